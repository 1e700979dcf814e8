/**
 * The op table: for every ONNX operator the graph may hold, its shape rule, its gradient rule (absent for
 * non-differentiable ops) and a plain-TypeScript float64 reference used by the gradient checks.
 */
import type { Attrs, DType, Node, Shape, Tensor } from '../graph.js';
import type { NDArray } from './ndarray.js';

export interface OutInfo {
  shape: Shape;
  dtype: DType;
}

export interface OpDef {
  /** Operator type in the graph; also the ONNX operator type unless `onnxType` says otherwise. */
  readonly type: string;
  /** The ONNX operator emitted for this op, when it differs from `type` (graph-only ops like StopGradient). */
  readonly onnxType?: string;
  shape(inputs: readonly Tensor[], attrs: Attrs): OutInfo[];
  /**
   * Gradients of the inputs given gradients of the outputs (undefined = zero), emitted as graph ops.
   * Only inputs with needs[i] must be returned.
   */
  grad?(node: Node, gys: readonly (Tensor | undefined)[], needs: readonly boolean[]): (Tensor | undefined)[];
  /** Float64 reference semantics. Optional for ops that only appear in backward graphs. */
  reference?(inputs: readonly NDArray[], attrs: Attrs): NDArray[];
}

const table = new Map<string, OpDef>();

export function registerOp(def: OpDef): OpDef {
  if (table.has(def.type)) throw new Error(`nn: op ${def.type} registered twice`);
  table.set(def.type, def);
  return def;
}

export function getOp(type: string): OpDef {
  const d = table.get(type);
  if (!d) throw new Error(`nn: unknown op '${type}' (import src/nn/index.js so that every op registers)`);
  return d;
}

export function allOps(): OpDef[] {
  return [...table.values()];
}
