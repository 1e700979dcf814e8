/**
 * Graph → ONNX ModelProto bytes (IR 8, opset 17). Chosen graph inputs can be baked in as initializers:
 * inference models carry their weights as constants so ORT can pre-pack them (its fast NCHWc conv path).
 */
import onnxProto from 'onnx-proto';
import type { onnx as O } from 'onnx-proto';
import { type ConstValue, type Tensor, nodesFor } from './graph.js';
import { onnxDType } from './ops/compare.js';
import { getOp } from './ops/registry.js';

const { onnx } = onnxProto;
export const OPSET = 17;

export interface ExportSpec {
  /** Named outputs (an Identity node gives each its name). */
  outputs: Record<string, Tensor>;
  /** Graph inputs to store as initializers with these values (weights). */
  bake?: ReadonlyMap<Tensor, Float32Array>;
  /** Further initializers stored whether used or not (checkpoints keep training-only weights). */
  extra?: readonly { name: string; shape: readonly number[]; data: Float32Array }[];
  name?: string;
  /** Metadata strings stored in the model (e.g. parameter names). */
  metadata?: Record<string, string>;
}

function tensorProto(
  name: string,
  shape: readonly number[],
  value: ConstValue,
  dtype: number,
): O.ITensorProto {
  const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return { name, dims: [...shape], dataType: dtype, rawData: bytes };
}

function valueInfo(name: string, t: Tensor): O.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnxDType(t.dtype),
        shape: { dim: t.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attribute(name: string, v: unknown): O.IAttributeProto {
  const A = onnx.AttributeProto.AttributeType;
  if (typeof v === 'number') return { name, type: A.INT, i: v };
  if (typeof v === 'string') return { name, type: A.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: A.INTS, ints: v as number[] };
  return { name, type: A.FLOAT, f: (v as { float: number }).float };
}

/** The tensors that the outputs depend on, the graph inputs among them, and the ModelProto bytes. */
export function exportModel(spec: ExportSpec): { bytes: Uint8Array; inputs: Tensor[] } {
  const outs = Object.values(spec.outputs);
  if (outs.length === 0) throw new Error('nn: export needs at least one output');
  const graph = outs[0].graph;
  const nodes = nodesFor(outs);
  const used = new Set<number>(outs.map((t) => t.id));
  for (const n of nodes) n.inputs.forEach((t) => used.add(t.id));
  const bake = spec.bake ?? new Map<Tensor, Float32Array>();
  const inputs = graph.inputs.filter((t) => used.has(t.id) && !bake.has(t));
  const initializer: O.ITensorProto[] = [];
  for (const c of graph.constants)
    if (used.has(c.id))
      initializer.push(tensorProto(c.name, c.shape as number[], c.value!, onnxDType(c.dtype)));
  for (const [t, v] of bake) initializer.push(tensorProto(t.name, t.shape as number[], v, 1));
  for (const e of spec.extra ?? []) initializer.push(tensorProto(e.name, e.shape, e.data, 1));
  const node: O.INodeProto[] = nodes.map((n) => ({
    opType: getOp(n.op).onnxType ?? n.op,
    name: `n${n.id}`,
    input: n.inputs.map((t) => t.name),
    output: n.outputs.map((t) => t.name),
    attribute: Object.entries(n.attrs).map(([k, v]) => attribute(k, v)),
  }));
  const output: O.IValueInfoProto[] = [];
  for (const [name, t] of Object.entries(spec.outputs)) {
    node.push({ opType: 'Identity', name: `out_${name}`, input: [t.name], output: [name] });
    output.push(valueInfo(name, t));
  }
  const model: O.IModelProto = {
    irVersion: 8,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'replsynth',
    graph: {
      name: spec.name ?? 'replsynth',
      node,
      input: inputs.map((t) => valueInfo(t.name, t)),
      output,
      initializer,
    },
    metadataProps: Object.entries(spec.metadata ?? {}).map(([key, value]) => ({ key, value })),
  };
  return { bytes: onnx.ModelProto.encode(model).finish(), inputs };
}
