/**
 * Batch feed buffers of a decoder backend, reused from call to call. Row k of a feed is copied from
 * its source only when the source (by identity) differs from the one the previous call copied into
 * that row. A spec's encodings and LaSynth's memory sets are shared by many decoder states and never
 * change, so in a search most rows are not copied again, and no buffer of the batch's size is
 * allocated per call (the copies and the garbage they made were a fifth of LaSynth's decoding time).
 */
export class RowFeeds {
  private buf = new Float32Array(0);
  private rows: (Float32Array | undefined)[] = [];
  private busy = false;

  /** Rows of `width` floats, read at `at` in each source. */
  constructor(
    readonly width: number,
    readonly at = 0,
  ) {}

  /**
   * The rows [n, width] (row k from sources[k]); valid until `release(rows)`, which the caller must
   * call once the run that reads them is over. A call while the buffer is in use gets a fresh array.
   */
  fill(sources: readonly Float32Array[]): Float32Array {
    const { width: w, at } = this;
    const n = sources.length;
    if (this.busy) {
      const a = new Float32Array(n * w);
      sources.forEach((s, k) => a.set(s.subarray(at, at + w), k * w));
      return a;
    }
    this.busy = true;
    if (this.buf.length < n * w) {
      this.buf = new Float32Array(Math.max(n, 2 * (this.buf.length / w)) * w);
      this.rows = [];
    }
    for (let k = 0; k < n; k++) {
      const s = sources[k];
      if (this.rows[k] === s) continue;
      this.buf.set(s.subarray(at, at + w), k * w);
      this.rows[k] = s;
    }
    return this.buf.subarray(0, n * w);
  }

  /** Rows `fill` returned are no longer read: the shared buffer may be filled again. */
  release(rows: Float32Array): void {
    if (rows.buffer === this.buf.buffer) this.busy = false;
  }
}

/**
 * Fills `feeds[name]` from each (name, RowFeeds, sources) entry, runs `run` (which reads them) and
 * releases the rows afterwards, also when it throws.
 */
export async function withRows<T>(
  feeds: Record<string, Float32Array | Int32Array>,
  entries: readonly (readonly [string, RowFeeds, readonly Float32Array[]])[],
  run: () => Promise<T>,
): Promise<T> {
  const used = entries.map(([name, f, sources]) => {
    const rows = f.fill(sources);
    feeds[name] = rows;
    return [f, rows] as const;
  });
  try {
    return await run();
  } finally {
    for (const [f, rows] of used) f.release(rows);
  }
}
