/** Helpers shared by the op files: attribute access, symbolic broadcasting, Reshape targets. */
import { type AttrValue, type Attrs, type Dim, type Shape, type Tensor, symCoef } from '../graph.js';

export function intAttr(attrs: Attrs, name: string, dflt: number): number {
  const v: AttrValue | undefined = attrs[name];
  return typeof v === 'number' ? v : dflt;
}

export function intsAttr(attrs: Attrs, name: string, dflt: readonly number[]): number[] {
  const v = attrs[name];
  return Array.isArray(v) ? [...(v as number[])] : [...dflt];
}

/** Broadcasts shapes numpy-style; a symbolic dim broadcasts against 1 and itself only. */
export function broadcastDims(...shapes: Shape[]): Dim[] {
  const r = Math.max(...shapes.map((s) => s.length));
  const out: Dim[] = new Array<Dim>(r).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = r - s.length + i;
      if (s[i] === 1) continue;
      if (out[j] !== 1 && out[j] !== s[i])
        throw new Error(`nn: cannot broadcast shapes [${shapes.map((x) => x.join(',')).join('] [')}]`);
      out[j] = s[i];
    }
  }
  return out;
}

/** A Reshape target for a static-or-symbolic shape: the (single) symbolic dim becomes -1. */
export function reshapeTarget(shape: Shape): number[] {
  let sym = 0;
  const t = shape.map((d) => {
    if (typeof d === 'number') return d;
    sym++;
    return -1;
  });
  if (sym > 1) throw new Error(`nn: cannot reshape to [${shape.join(',')}]: more than one symbolic dim`);
  return t;
}

/** Integer values of a constant tensor (Reshape targets, axes, pads). */
export function constInts(t: Tensor): number[] {
  if (!t.value) throw new Error(`nn: ${t.name} must be a constant`);
  return Array.from(t.value as ArrayLike<number | bigint>, (v) => Number(v));
}

export function normAxis(a: number, rank: number): number {
  const r = a < 0 ? a + rank : a;
  if (r < 0 || r >= rank) throw new Error(`nn: axis ${a} out of range for rank ${rank}`);
  return r;
}

export function dimsEqual(a: Dim, b: Dim): boolean {
  return a === b || (typeof a === 'string' && typeof b === 'string' && symCoef(a) === symCoef(b));
}
