/**
 * Graph → ONNX ModelProto bytes (IR 8, opset 17). Chosen graph inputs can be baked in as initializers:
 * inference models carry their weights as constants so ORT can pre-pack them (its fast NCHWc conv path).
 */
import onnxProto from 'onnx-proto';
import type { onnx as O } from 'onnx-proto';
import { type ConstValue, type Dim, type Node, type Tensor, nodesFor, symCoef } from './graph.js';
import { NCHWC_DOMAIN } from './nchwc.js';
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
  /**
   * ORT's NCHWc block size (nchwc.ts): when set, 2-D Convs whose channel counts are multiples of it are
   * emitted as ORT's blocked-layout kernels (training graphs only: the file is then ORT-specific).
   */
  nchwcBlock?: number;
  /**
   * When set, the symbolic dims of the inputs and outputs ('batch', 'batch*K') are written as the
   * sizes for this batch. ORT's memory planner is far slower on symbolic shapes in a large graph:
   * LaSynth's training graph (20,736 nodes) took 111–121 s to open with them and 4.5 s without.
   */
  batch?: number;
}

const roundUp = (v: number, m: number) => Math.ceil(v / m) * m;

/**
 * A 1-D or 2-D Conv as ReorderInput → nchwc Conv (weights reordered in the graph) → ReorderOutput, or
 * null when it does not qualify (groups, dilations, or channel counts that padding to whole blocks would
 * grow by more than a quarter). A 1-D conv runs as a 2-D one of height 1; channel counts that are not
 * whole blocks are zero-padded (input channels to a multiple of 4 for ReorderInput, which pads to the
 * block itself; weights and bias to whole blocks) and ReorderOutput keeps the first F channels.
 */
function nchwcConv(
  n: Node,
  block: number,
  constant: (name: string, values: readonly number[]) => string,
): O.INodeProto[] | null {
  const [x, w, b] = n.inputs;
  if (x.rank !== 4 && x.rank !== 3) return null;
  if (n.attrs.group !== undefined || n.attrs.dilations !== undefined) return null;
  const oneD = x.rank === 3;
  const [F, C] = w.shape as number[];
  const [kh, kw] = oneD ? [1, w.shape[2] as number] : (w.shape.slice(2) as number[]);
  const Fp = roundUp(F, block);
  const Cp = roundUp(C, block);
  if (Fp > 1.25 * F || Cp > 1.25 * C) return null;
  const id = `n${n.id}_nchwc`;
  const D = NCHWC_DOMAIN;
  const out: O.INodeProto[] = [];
  const node = (opType: string, input: string[], output: string, attrs: O.IAttributeProto[] = []) => {
    out.push({ opType, name: `${id}_${out.length}`, input, output: [output], attribute: attrs });
    return output;
  };
  // Input: [N, C, (1,) L] → channels padded to a multiple of 4 → blocked.
  let xin = x.name;
  if (oneD) {
    const L = x.shape[2] as number;
    xin = node('Reshape', [xin, constant(`${id}_shape_x4`, [0, C, 1, L])], `${id}_x4`);
  }
  if (C % 4 !== 0)
    xin = node(
      'Pad',
      [xin, constant(`${id}_shape_xpad`, [0, 0, 0, 0, 0, roundUp(C, 4) - C, 0, 0])],
      `${id}_xp`,
    );
  out.push({ opType: 'ReorderInput', domain: D, name: `${id}_in`, input: [xin], output: [`${id}_x`] });
  // Weights: [F, C, kh, kw] zero-padded to [Fp, Cp, …], then [Fp/B, Cp/B, kh, kw, B(c), B(f)].
  let wt = oneD ? node('Reshape', [w.name, constant(`${id}_shape_w4`, [F, C, 1, kw])], `${id}_w4`) : w.name;
  if (Fp !== F || Cp !== C)
    wt = node('Pad', [wt, constant(`${id}_shape_wpad`, [0, 0, 0, 0, Fp - F, Cp - C, 0, 0])], `${id}_wp`);
  wt = node(
    'Reshape',
    [wt, constant(`${id}_shape_split`, [Fp / block, block, Cp / block, block, kh, kw])],
    `${id}_w1`,
  );
  wt = node('Transpose', [wt], `${id}_w2`, [attribute('perm', [0, 2, 4, 5, 3, 1])]);
  wt = node('Reshape', [wt, constant(`${id}_shape_back`, [Fp, Cp, kh, kw])], `${id}_w`);
  let bias = b?.name;
  if (b && Fp !== F) bias = node('Pad', [b.name, constant(`${id}_shape_bpad`, [0, Fp - F])], `${id}_b`);
  const at = (k: string) => n.attrs[k] as readonly number[] | undefined;
  const attrs: O.IAttributeProto[] = [attribute('kernel_shape', [kh, kw])];
  const strides = at('strides');
  const pads = at('pads');
  if (strides) attrs.push(attribute('strides', oneD ? [1, strides[0]] : strides));
  if (pads) attrs.push(attribute('pads', oneD ? [0, pads[0], 0, pads[1]] : pads));
  out.push({
    opType: 'Conv',
    domain: D,
    name: id,
    input: [`${id}_x`, wt, ...(bias ? [bias] : [])],
    output: [`${id}_y`],
    attribute: attrs,
  });
  const y = n.outputs[0];
  const y4 = oneD ? `${id}_y4` : y.name;
  out.push({
    opType: 'ReorderOutput',
    domain: D,
    name: `${id}_out`,
    input: [`${id}_y`],
    output: [y4],
    attribute: [attribute('channels', F)],
  });
  if (oneD) node('Reshape', [y4, constant(`${id}_shape_y3`, [0, F, y.shape[2] as number])], y.name);
  return out;
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

function valueInfo(name: string, t: Tensor, batch?: number): O.IValueInfoProto {
  const dim = (d: Dim): O.TensorShapeProto.IDimension =>
    typeof d === 'number'
      ? { dimValue: d }
      : batch !== undefined
        ? { dimValue: symCoef(d) * batch }
        : { dimParam: d };
  return { name, type: { tensorType: { elemType: onnxDType(t.dtype), shape: { dim: t.shape.map(dim) } } } };
}

function attribute(name: string, v: unknown): O.IAttributeProto {
  const A = onnx.AttributeProto.AttributeType;
  if (typeof v === 'number') return { name, type: A.INT, i: v };
  if (typeof v === 'string') return { name, type: A.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: A.INTS, ints: v as number[] };
  return { name, type: A.FLOAT, f: (v as { float: number }).float };
}

/** The nodes the outputs depend on, the ids of every tensor they read, and the graph inputs among them. */
function reach(spec: Pick<ExportSpec, 'outputs' | 'bake'>): {
  nodes: Node[];
  used: Set<number>;
  inputs: Tensor[];
} {
  const outs = Object.values(spec.outputs);
  if (outs.length === 0) throw new Error('nn: export needs at least one output');
  const nodes = nodesFor(outs);
  const used = new Set<number>(outs.map((t) => t.id));
  for (const n of nodes) n.inputs.forEach((t) => used.add(t.id));
  const bake = spec.bake ?? new Map<Tensor, Float32Array>();
  const inputs = outs[0].graph.inputs.filter((t) => used.has(t.id) && !bake.has(t));
  return { nodes, used, inputs };
}

/** The graph inputs an export of these outputs would have, without building the model. */
export const exportInputs = (spec: Pick<ExportSpec, 'outputs' | 'bake'>): Tensor[] => reach(spec).inputs;

/** The tensors that the outputs depend on, the graph inputs among them, and the ModelProto bytes. */
export function exportModel(spec: ExportSpec): { bytes: Uint8Array; inputs: Tensor[] } {
  const { nodes, used, inputs } = reach(spec);
  const graph = Object.values(spec.outputs)[0].graph;
  const bake = spec.bake ?? new Map<Tensor, Float32Array>();
  const initializer: O.ITensorProto[] = [];
  for (const c of graph.constants)
    if (used.has(c.id))
      initializer.push(tensorProto(c.name, c.shape as number[], c.value!, onnxDType(c.dtype)));
  for (const [t, v] of bake) initializer.push(tensorProto(t.name, t.shape as number[], v, 1));
  for (const e of spec.extra ?? []) initializer.push(tensorProto(e.name, e.shape, e.data, 1));
  const constant = (name: string, values: readonly number[]): string => {
    initializer.push(tensorProto(name, [values.length], BigInt64Array.from(values, BigInt), 7));
    return name;
  };
  let nchwcUsed = false;
  const node: O.INodeProto[] = nodes.flatMap((n) => {
    const lowered = spec.nchwcBlock && n.op === 'Conv' ? nchwcConv(n, spec.nchwcBlock, constant) : null;
    if (lowered) {
      nchwcUsed = true;
      return lowered;
    }
    return [
      {
        opType: getOp(n.op).onnxType ?? n.op,
        name: `n${n.id}`,
        input: n.inputs.map((t) => t.name),
        output: n.outputs.map((t) => t.name),
        attribute: Object.entries(n.attrs).map(([k, v]) => attribute(k, v)),
      },
    ];
  });
  const output: O.IValueInfoProto[] = [];
  for (const [name, t] of Object.entries(spec.outputs)) {
    node.push({ opType: 'Identity', name: `out_${name}`, input: [t.name], output: [name] });
    output.push(valueInfo(name, t, spec.batch));
  }
  const model: O.IModelProto = {
    irVersion: 8,
    opsetImport: [
      { domain: '', version: OPSET },
      ...(nchwcUsed ? [{ domain: NCHWC_DOMAIN, version: 1 }] : []),
    ],
    producerName: 'replsynth',
    graph: {
      name: spec.name ?? 'replsynth',
      node,
      input: inputs.map((t) => valueInfo(t.name, t, spec.batch)),
      output,
      initializer,
    },
    metadataProps: Object.entries(spec.metadata ?? {}).map(([key, value]) => ({ key, value })),
  };
  return { bytes: onnx.ModelProto.encode(model).finish(), inputs };
}
