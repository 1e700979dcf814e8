/**
 * Deep, order-stable serialisation of any value (typed arrays, Maps, Sets, class instances), so two
 * snapshots are equal exactly when the values are structurally equal. Used to detect mutation.
 */
export function snapshot(value: unknown): string {
  const seen = new Set<object>();
  const walk = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') {
      if (typeof v === 'number' && !Number.isFinite(v)) return `#${String(v)}`;
      if (typeof v === 'bigint') return `#${v}n`;
      if (typeof v === 'function') return '#fn';
      return v;
    }
    if (seen.has(v)) return '#cycle';
    seen.add(v);
    let out: unknown;
    if (ArrayBuffer.isView(v))
      out = { '#typed': v.constructor.name, d: Array.from(v as unknown as ArrayLike<number>) };
    else if (Array.isArray(v)) out = v.map(walk);
    else if (v instanceof Map) out = { '#map': [...v.entries()].map(([k, x]) => [walk(k), walk(x)]) };
    else if (v instanceof Set) out = { '#set': [...v.values()].map(walk) };
    else {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) o[k] = walk((v as Record<string, unknown>)[k]);
      out = o;
    }
    seen.delete(v);
    return out;
  };
  return JSON.stringify(walk(value));
}
