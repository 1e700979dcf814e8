/**
 * Priority queues for search: a plain binary heap, and a bounded double-ended queue (A*'s open list,
 * which must drop its worst entry when full).
 */

/** Binary heap; `before(a, b)` true when a must come out first. */
export class Heap<T> {
  private readonly items: T[] = [];

  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const h = this.items;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  pop(): T | undefined {
    const h = this.items;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  /** The items in heap order (no particular priority order). */
  contents(): readonly T[] {
    return this.items;
  }

  /** Replaces the contents with `items` in O(n). */
  rebuild(items: T[]): void {
    this.items.length = 0;
    for (const x of items) this.items.push(x);
    for (let i = (this.items.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private siftDown(i: number): void {
    const h = this.items;
    const n = h.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) return;
      const r = l + 1;
      const c = r < n && this.before(h[r], h[l]) ? r : l;
      if (!this.before(h[c], h[i])) return;
      [h[i], h[c]] = [h[c], h[i]];
      i = c;
    }
  }
}

interface Entry<T> {
  readonly f: number;
  readonly seq: number;
  readonly item: T;
  alive: boolean;
}

const lowFirst = <T>(a: Entry<T>, b: Entry<T>): boolean => a.f < b.f || (a.f === b.f && a.seq < b.seq);
const highFirst = <T>(a: Entry<T>, b: Entry<T>): boolean => a.f > b.f || (a.f === b.f && a.seq > b.seq);

/**
 * Min-priority queue holding at most `capacity` items; when full, the worst (highest f, latest on ties)
 * is dropped. Two heaps with lazy deletion: simpler to get right than a min-max heap, and compaction
 * keeps dead entries to a constant factor of the live ones.
 */
export class BoundedQueue<T> {
  private readonly low = new Heap<Entry<T>>(lowFirst);
  private readonly high = new Heap<Entry<T>>(highFirst);
  private seq = 0;
  private live = 0;
  /** Items refused or evicted because the queue was full. */
  dropped = 0;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new Error(`BoundedQueue capacity must be ≥ 1, got ${capacity}`);
  }

  get size(): number {
    return this.live;
  }

  /** Adds an item with priority f (lower = better); returns false when it was dropped. */
  push(f: number, item: T): boolean {
    const e: Entry<T> = { f, seq: this.seq++, item, alive: true };
    if (this.live >= this.capacity) {
      const worst = this.peekAlive(this.high)!;
      this.dropped++;
      if (!lowFirst(e, worst)) return false;
      this.high.pop();
      worst.alive = false;
      this.live--;
    }
    this.low.push(e);
    this.high.push(e);
    this.live++;
    this.maybeCompact();
    return true;
  }

  pop(): T | undefined {
    const e = this.peekAlive(this.low);
    if (!e) return undefined;
    this.low.pop();
    e.alive = false;
    this.live--;
    this.maybeCompact();
    return e.item;
  }

  private peekAlive(h: Heap<Entry<T>>): Entry<T> | undefined {
    let e = h.peek();
    while (e && !e.alive) {
      h.pop();
      e = h.peek();
    }
    return e;
  }

  private maybeCompact(): void {
    if (this.low.size + this.high.size <= 4 * this.live + 64) return;
    const alive = this.low.contents().filter((x) => x.alive);
    this.low.rebuild(alive);
    this.high.rebuild(alive.slice());
  }
}
