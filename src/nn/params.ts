/**
 * Parameters (name → shape + Float32Array) and the build context models are written against. A model is a
 * function of a BuildContext; the same function builds the training graph (weights as inputs, updated
 * each step) and the inference graph (weights baked in as initializers).
 */
import { Rng } from '../core/rng.js';
import { type DType, Graph, type Shape, type Tensor } from './graph.js';

/** Weight initialisations; fans are given by the layer that knows its geometry. */
export type Init =
  | { kind: 'he'; fanIn: number }
  | { kind: 'glorot'; fanIn: number; fanOut: number }
  | { kind: 'normal'; std: number }
  | { kind: 'zeros' }
  | { kind: 'ones' };

export class ParamStore {
  readonly values = new Map<string, { shape: number[]; data: Float32Array }>();

  constructor(private readonly rng: Rng = new Rng(0)) {}

  /** The values of `name`, created from its init (an Rng derived from the name) on first use. */
  ensure(name: string, shape: readonly number[], init: Init): Float32Array {
    const have = this.values.get(name);
    if (have) {
      if (have.shape.length !== shape.length || have.shape.some((d, i) => d !== shape[i]))
        throw new Error(`nn: parameter '${name}' has shape [${have.shape}], the model asks for [${shape}]`);
      return have.data;
    }
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    const r = this.rng.derive(name);
    if (init.kind === 'he') for (let i = 0; i < n; i++) data[i] = r.normal() * Math.sqrt(2 / init.fanIn);
    else if (init.kind === 'glorot') {
      const a = Math.sqrt(6 / (init.fanIn + init.fanOut));
      for (let i = 0; i < n; i++) data[i] = (2 * r.float() - 1) * a;
    } else if (init.kind === 'normal') for (let i = 0; i < n; i++) data[i] = r.normal() * init.std;
    else if (init.kind === 'ones') data.fill(1);
    this.values.set(name, { shape: [...shape], data });
    return data;
  }

  get names(): string[] {
    return [...this.values.keys()];
  }

  count(): number {
    let n = 0;
    for (const v of this.values.values()) n += v.data.length;
    return n;
  }
}

export class BuildContext {
  readonly graph = new Graph();
  /** Parameter tensors of this graph, by name (graph inputs). */
  readonly params = new Map<string, Tensor>();

  constructor(
    readonly store: ParamStore,
    /** True when building the training graph: models add their loss inputs and heads then. */
    readonly training: boolean,
  ) {
    this.graph.forTraining = training;
  }

  input(name: string, shape: Shape, dtype: DType = 'float32'): Tensor {
    return this.graph.input(name, shape, dtype);
  }

  /** A parameter; asking again for the same name returns the same tensor (weight sharing, RNN unrolling). */
  param(name: string, shape: readonly number[], init: Init): Tensor {
    const have = this.params.get(name);
    if (have) {
      if (have.shape.some((d, i) => d !== shape[i]) || have.rank !== shape.length)
        throw new Error(`nn: parameter '${name}' reused with another shape`);
      return have;
    }
    this.store.ensure(name, shape, init);
    const t = this.graph.input(name, shape, 'float32');
    this.params.set(name, t);
    return t;
  }
}

export interface BuiltModel {
  /** Named inference outputs (exported to the .onnx model). */
  outputs: Record<string, Tensor>;
  /** Scalar training loss (required when ctx.training). */
  loss?: Tensor;
  /** Extra scalars reported by each training step (e.g. accuracy). */
  metrics?: Record<string, Tensor>;
}

export interface ModelDef {
  readonly name: string;
  build(ctx: BuildContext): BuiltModel;
}
