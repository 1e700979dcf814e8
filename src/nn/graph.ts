/**
 * The symbolic graph: tensors with static shapes except for symbolic dimensions ('batch' or 'batch*K'),
 * and nodes that are ONNX operators. Backward passes are emitted into the same graph by autodiff.ts.
 */
import { getOp } from './ops/registry.js';
import { type DType, type Dim, type Shape, symCoef } from './types.js';

export { symCoef, type DType, type Dim, type Shape };

/** Attribute values: numbers are ONNX ints, `{ float }` is an ONNX float. */
export type AttrValue = number | readonly number[] | string | { readonly float: number };
export type Attrs = Readonly<Record<string, AttrValue>>;
export type ConstValue = Float32Array | Int32Array | BigInt64Array | Uint8Array;

export interface Node {
  readonly id: number;
  readonly op: string;
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  readonly attrs: Attrs;
}

export class Tensor {
  /** Set for constants (ONNX initializers); shape rules may read it (Reshape targets, axes…). */
  value?: ConstValue;
  constructor(
    readonly graph: Graph,
    readonly id: number,
    readonly name: string,
    readonly shape: Shape,
    readonly dtype: DType,
    readonly producer?: Node,
  ) {}
  get rank(): number {
    return this.shape.length;
  }
  toString(): string {
    return `${this.name}[${this.shape.join(',')}]:${this.dtype}`;
  }
}

export function symDim(coef: number): Dim {
  if (!Number.isInteger(coef) || coef < 1)
    throw new Error(`nn: symbolic dimension batch*${coef} is not whole`);
  return coef === 1 ? 'batch' : `batch*${coef}`;
}

export function isStatic(shape: Shape): shape is readonly number[] {
  return shape.every((d) => typeof d === 'number');
}

/** Product of the known dims and the total batch multiplier (0 if no symbolic dim). */
export function shapeSize(shape: Shape): { known: number; coef: number } {
  let known = 1;
  let coef = 0;
  for (const d of shape) {
    if (typeof d === 'number') known *= d;
    else coef = (coef || 1) * symCoef(d);
  }
  return { known, coef };
}

/** Concrete shape for a given batch size. */
export function concreteShape(shape: Shape, batch: number): number[] {
  return shape.map((d) => (typeof d === 'number' ? d : symCoef(d) * batch));
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export class Graph {
  /**
   * Set when the graph will be differentiated and trained (BuildContext in training mode): op builders
   * may then choose formulations whose backward passes are cheaper (e.g. ReLU after max-pooling).
   */
  forTraining = false;
  readonly nodes: Node[] = [];
  readonly inputs: Tensor[] = [];
  readonly constants: Tensor[] = [];
  private nextId = 0;
  private scalars = new Map<number, Tensor>();
  /** How many node inputs read each tensor (by id). */
  private readers = new Map<number, number>();

  /** The number of node inputs that read `t` so far. */
  uses(t: Tensor): number {
    return this.readers.get(t.id) ?? 0;
  }

  input(name: string, shape: Shape, dtype: DType = 'float32'): Tensor {
    if (this.inputs.some((t) => t.name === name)) throw new Error(`nn: duplicate graph input '${name}'`);
    shape.forEach((d) => typeof d === 'string' && symCoef(d));
    const t = new Tensor(this, this.nextId++, name, shape, dtype);
    this.inputs.push(t);
    return t;
  }

  constant(value: ConstValue, shape: readonly number[], dtype?: DType, name?: string): Tensor {
    const dt: DType =
      dtype ??
      (value instanceof Float32Array
        ? 'float32'
        : value instanceof Int32Array
          ? 'int32'
          : value instanceof BigInt64Array
            ? 'int64'
            : 'bool');
    const n = shape.reduce((a, b) => a * b, 1);
    if (value.length !== n)
      throw new Error(`nn: constant of shape [${shape}] needs ${n} values, got ${value.length}`);
    const id = this.nextId++;
    const t = new Tensor(this, id, name ?? `c${id}`, shape, dt);
    t.value = value;
    this.constants.push(t);
    return t;
  }

  /** The empty name ONNX uses for an omitted optional input (e.g. Resize's roi). */
  none(): Tensor {
    return new Tensor(this, -1, '', [], 'float32');
  }

  /** A float32 scalar constant, shared per value. */
  scalar(v: number): Tensor {
    let t = this.scalars.get(v);
    if (!t) {
      t = this.constant(new Float32Array([v]), []);
      this.scalars.set(v, t);
    }
    return t;
  }

  int64(values: readonly number[]): Tensor {
    return this.constant(BigInt64Array.from(values.map((v) => BigInt(v))), [values.length], 'int64');
  }

  /** Adds a node running ONNX operator `op`; output shapes come from the op's shape rule. */
  apply(op: string, inputs: readonly Tensor[], attrs: Attrs = {}): Tensor[] {
    for (const t of inputs) if (t.graph !== this) throw new Error(`nn: ${op} mixes tensors of two graphs`);
    const def = getOp(op);
    const infos = def.shape(inputs, attrs);
    const id = this.nextId++;
    const outputs: Tensor[] = [];
    const node: Node = { id, op, inputs: [...inputs], outputs, attrs };
    for (const t of inputs) this.readers.set(t.id, (this.readers.get(t.id) ?? 0) + 1);
    for (const info of infos)
      outputs.push(new Tensor(this, this.nextId++, `t${this.nextId - 1}`, info.shape, info.dtype, node));
    this.nodes.push(node);
    return outputs;
  }

  apply1(op: string, inputs: readonly Tensor[], attrs: Attrs = {}): Tensor {
    return this.apply(op, inputs, attrs)[0];
  }
}

/** Nodes needed to compute `outputs`, in execution order. */
export function nodesFor(outputs: readonly Tensor[]): Node[] {
  const seen = new Set<number>();
  const order: Node[] = [];
  const stack: { node: Node; done: boolean }[] = [];
  for (const t of outputs) if (t.producer) stack.push({ node: t.producer, done: false });
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (top.done) {
      order.push(top.node);
      continue;
    }
    if (seen.has(top.node.id)) continue;
    seen.add(top.node.id);
    stack.push({ node: top.node, done: true });
    for (const i of top.node.inputs)
      if (i.producer && !seen.has(i.producer.id)) stack.push({ node: i.producer, done: false });
  }
  return order;
}
