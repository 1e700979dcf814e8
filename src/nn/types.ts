/**
 * Element types and symbolic dimensions: the vocabulary the graph builder and the inference runtime
 * share. No graph code here, so the browser inference entry (inference.ts) can use it alone.
 */
export type DType = 'float32' | 'int32' | 'int64' | 'bool';
/** A dimension: a known size, or a symbolic one: 'batch' or 'batch*K' (K an integer). */
export type Dim = number | string;
export type Shape = readonly Dim[];

/** The multiplier K of a symbolic dim 'batch*K' (1 for 'batch'); NaN for a known dim. */
export function symCoef(d: Dim): number {
  if (typeof d === 'number') return NaN;
  if (d === 'batch') return 1;
  const m = /^batch\*(\d+)$/.exec(d);
  if (!m) throw new Error(`nn: unsupported symbolic dimension '${d}' (use 'batch' or 'batch*K')`);
  return Number(m[1]);
}

const ONNX_DTYPE: Record<DType, number> = { float32: 1, int32: 6, int64: 7, bool: 9 };
const FROM_ONNX: Record<number, DType> = { 1: 'float32', 6: 'int32', 7: 'int64', 9: 'bool' };
/** ONNX TensorProto.DataType of an element type. */
export const onnxDType = (d: DType): number => ONNX_DTYPE[d];
export const fromOnnxDType = (n: number): DType => {
  const d = FROM_ONNX[n];
  if (!d) throw new Error(`nn: unsupported ONNX element type ${n}`);
  return d;
};
