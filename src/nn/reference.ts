/** Runs a graph with the ops' float64 reference implementations (for gradient checks and tests). */
import { type Tensor, nodesFor } from './graph.js';
import type { NDArray } from './ops/ndarray.js';
import { getOp } from './ops/registry.js';
import './ops/all.js';

export function evalReference(outputs: readonly Tensor[], feeds: ReadonlyMap<Tensor, NDArray>): NDArray[] {
  const vals = new Map<number, NDArray>();
  for (const [t, v] of feeds) vals.set(t.id, v);
  const get = (t: Tensor): NDArray => {
    const v = vals.get(t.id);
    if (v) return v;
    if (t.value) {
      const c = {
        shape: t.shape as number[],
        data: Float64Array.from(t.value as ArrayLike<number | bigint>, Number),
      };
      vals.set(t.id, c);
      return c;
    }
    throw new Error(`nn: no value for ${t} in the reference run`);
  };
  for (const n of nodesFor(outputs)) {
    const def = getOp(n.op);
    if (!def.reference) throw new Error(`nn: op ${n.op} has no reference implementation`);
    const res = def.reference(n.inputs.map(get), n.attrs);
    n.outputs.forEach((t, i) => vals.set(t.id, res[i]));
  }
  return outputs.map(get);
}
