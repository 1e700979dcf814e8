/**
 * Trainer: builds the training graph of a ModelDef (forward + autodiff backward, weights as inputs),
 * runs one ORT session per step that returns loss, metrics and every gradient, then updates the weights
 * in place with Adam. The ORT tensors wrap the weight arrays, so no copies go in.
 */
import { Rng, type RngState } from '../core/rng.js';
import { type AdamOptions, type AdamSlot, adamStep, defaultAdamOptions } from './adam.js';
import { AdamArena } from './adam-wasm.js';
import { gradients } from './autodiff.js';
import { readInitializers } from './fp16.js';
import { type Tensor, concreteShape, shapeSize } from './graph.js';
import { InferenceModel } from './model.js';
import { readCheckpoint, writeCheckpoint } from './node-io.js';
import { nchwcBlockSize } from './nchwc.js';
import { exportInputs, exportModel } from './onnx-export.js';
import { BuildContext, type ModelDef, ParamStore } from './params.js';
import { type FeedArray, type RtTensor, Session, defaultThreads, rtTensor } from './runtime.js';

export interface TrainerOptions extends Partial<AdamOptions> {
  threads?: number;
  /** Seeds weight initialisation and the trainer's own Rng (saved in checkpoints). */
  seed?: number;
}

export interface LoadOptions {
  threads?: number;
  /** Parameter values to use instead of the checkpoint's model.onnx (every saved parameter must be here). */
  weights?: ReadonlyMap<string, { readonly shape: readonly number[]; readonly data: Float32Array }>;
}

export interface StepResult {
  step: number;
  loss: number;
  metrics: Record<string, number>;
  lr: number;
  gradNorm: number;
}

/** Batch sizes a trainer opens a concrete-shape session for; further sizes use the symbolic graph. */
const CONCRETE_SESSIONS = 3;

interface Compiled {
  /**
   * ORT sessions of the training graph by batch size (0: a graph without a batch dim), each opened
   * with concrete shapes on first use (ExportSpec.batch: symbolic shapes make a large graph slow to open).
   */
  sessions: Map<number, Promise<Session>>;
  /** The graph for a batch size. */
  exportFor: (batch: number | undefined) => Uint8Array;
  params: { name: string; tensor: Tensor; rt: RtTensor; data: Float32Array }[];
  /** Gradient buffers ORT writes into every step (pre-allocated outputs), one per parameter. */
  grads: Float32Array[];
  /** Outputs of a step: loss and metrics allocated by ORT, gradients into `grads`. */
  fetches: Record<string, RtTensor | null>;
  data: Tensor[];
  metricNames: string[];
}

export class Trainer {
  stepCount = 0;
  /** Wall-clock seconds of training up to the last save, over every resumed run (0 when new). */
  trainedSeconds = 0;
  private compiled!: Compiled;
  private slots: AdamSlot[] = [];
  /** Where the weights, gradients and moments live when Adam runs in WebAssembly (else null). */
  private arena: AdamArena | null = null;

  private constructor(
    readonly def: ModelDef,
    readonly store: ParamStore,
    readonly options: AdamOptions,
    readonly threads: number,
    /** A seeded Rng for the caller's data sampling; saved and restored with checkpoints. */
    public rng: Rng,
    private readonly seed: number,
  ) {}

  static async create(def: ModelDef, opts: TrainerOptions, store?: ParamStore): Promise<Trainer> {
    const seed = opts.seed ?? 0;
    const options: AdamOptions = {
      ...defaultAdamOptions,
      ...Object.fromEntries(Object.entries(opts).filter(([k]) => k in defaultAdamOptions)),
    };
    const t = new Trainer(
      def,
      store ?? new ParamStore(new Rng(seed).derive('init')),
      options,
      opts.threads ?? defaultThreads(),
      new Rng(seed).derive('trainer'),
      seed,
    );
    await t.compile();
    return t;
  }

  private async compile(): Promise<void> {
    const ctx = new BuildContext(this.store, true);
    const built = this.def.build(ctx);
    if (!built.loss) throw new Error(`nn: model '${this.def.name}' built no loss in training mode`);
    const names = [...ctx.params.keys()];
    const tensors = names.map((n) => ctx.params.get(n)!);
    const grads = gradients(built.loss, tensors);
    const outputs: Record<string, Tensor> = { loss: built.loss };
    const metricNames = Object.keys(built.metrics ?? {});
    for (const k of metricNames) outputs[`metric_${k}`] = built.metrics![k];
    grads.forEach((g, i) => (outputs[`grad_${i}`] = g));
    const nchwcBlock = await nchwcBlockSize();
    const name = `${this.def.name}-train`;
    const exportFor = (batch: number | undefined) => exportModel({ outputs, name, nchwcBlock, batch }).bytes;
    // Nothing is serialised here: each session's graph is exported when the session is opened.
    const inputs = exportInputs({ outputs });
    // Weights, gradients and moments move into Adam's WebAssembly memory: the store's values become
    // views into it (so do the ORT tensors below), and a step updates them there.
    const decay = tensors.map((t) => t.rank >= 2);
    this.arena = AdamArena.create(
      names.map((n) => this.store.values.get(n)!.data.length),
      decay,
    );
    const arena = this.arena;
    if (arena)
      names.forEach((name, i) => {
        const v = this.store.values.get(name)!;
        arena.slots[i].param.set(v.data);
        this.store.values.set(name, { shape: v.shape, data: arena.slots[i].param });
      });
    const params = names.map((name, i) => {
      const v = this.store.values.get(name)!;
      return { name, tensor: tensors[i], rt: rtTensor('float32', v.data, v.shape), data: v.data };
    });
    const paramIds = new Set(tensors.map((t) => t.id));
    const gradBufs = arena
      ? arena.slots.map((s) => s.grad)
      : params.map((p) => new Float32Array(p.data.length));
    const fetches: Record<string, RtTensor | null> = { loss: null };
    for (const k of metricNames) fetches[`metric_${k}`] = null;
    params.forEach((p, i) => {
      const shape = this.store.values.get(p.name)!.shape;
      fetches[`grad_${i}`] = rtTensor('float32', gradBufs[i], shape);
    });
    this.compiled = {
      sessions: new Map(),
      exportFor,
      params,
      grads: gradBufs,
      fetches,
      data: inputs.filter((t) => !paramIds.has(t.id)),
      metricNames,
    };
    this.slots =
      arena?.slots ??
      params.map((p, i) => ({
        param: p.data,
        grad: gradBufs[i],
        m: new Float32Array(p.data.length),
        v: new Float32Array(p.data.length),
        decay: decay[i],
      }));
  }

  /** Names of the data inputs a batch must provide. */
  get inputNames(): string[] {
    return this.compiled.data.map((t) => t.name);
  }

  /**
   * The training graph (ONNX bytes) with symbolic batch dims: data and weights in; loss, metrics and
   * gradients out. Exported anew on each call.
   */
  get trainingBytes(): Uint8Array {
    return this.compiled.exportFor(undefined);
  }

  /** The training graph for one batch size, with concrete shapes (the graph its sessions run). */
  trainingBytesFor(batch: number): Uint8Array {
    return this.compiled.exportFor(batch);
  }

  /** The ORT feeds of one step for a batch (data inputs and current weights). */
  feedsFor(batch: Record<string, FeedArray>): Record<string, RtTensor> {
    return this.feedsAndBatch(batch).feeds;
  }

  /** The feeds and the batch size they are for (0: the graph has no batch dim). */
  feedsAndBatch(batch: Record<string, FeedArray>): { feeds: Record<string, RtTensor>; n: number } {
    const feeds: Record<string, RtTensor> = {};
    let n = -1;
    for (const t of this.compiled.data) {
      const data = batch[t.name];
      if (!data) throw new Error(`nn: batch lacks input '${t.name}'`);
      const { known, coef } = shapeSize(t.shape);
      const b = coef > 0 ? data.length / (known * coef) : 1;
      if (!Number.isInteger(b))
        throw new Error(`nn: input '${t.name}' has ${data.length} values, not a whole batch of [${t.shape}]`);
      if (coef > 0 && n >= 0 && b !== n) throw new Error(`nn: input '${t.name}' has batch ${b}, others ${n}`);
      if (coef > 0) n = b;
      const conv =
        t.dtype === 'int64' && data instanceof Int32Array ? BigInt64Array.from(data, (x) => BigInt(x)) : data;
      feeds[t.name] = rtTensor(t.dtype, conv, concreteShape(t.shape, b));
    }
    for (const p of this.compiled.params) feeds[p.name] = p.rt;
    return { feeds, n: Math.max(0, n) };
  }

  /**
   * The session for a batch size, opened on first use. The first CONCRETE_SESSIONS sizes get a graph
   * with concrete shapes (the training batch, a validation chunk, a remainder); any further size shares
   * one session of the symbolic graph, so batches of ever new sizes (reinforcement learning's last
   * minibatch) open no more sessions and hold no more memory.
   */
  private session(n: number): Promise<Session> {
    const c = this.compiled;
    const key = c.sessions.has(n) || c.sessions.size < CONCRETE_SESSIONS ? n : 0;
    let s = c.sessions.get(key);
    if (!s) {
      s = Session.create(c.exportFor(key > 0 ? key : undefined), {
        threads: this.threads,
        optimization: 'extended',
      });
      // A failed open is not kept: the next call tries again and reports its own error.
      s.catch(() => c.sessions.delete(key));
      c.sessions.set(key, s);
    }
    return s;
  }

  /** One ORT run: loss and metrics returned, gradients written into the pre-allocated buffers. */
  private async run(
    batch: Record<string, FeedArray>,
  ): Promise<{ loss: number; metrics: Record<string, number> }> {
    const { feeds, n } = this.feedsAndBatch(batch);
    const res = await (await this.session(n)).run(feeds, this.compiled.fetches);
    const metrics: Record<string, number> = {};
    for (const k of this.compiled.metricNames) metrics[k] = Number(res[`metric_${k}`].data[0]);
    return { loss: Number(res.loss.data[0]), metrics };
  }

  /** Loss, metrics and gradients (by parameter name, copies) for a batch, without updating anything. */
  async lossAndGrads(
    batch: Record<string, FeedArray>,
  ): Promise<{ loss: number; metrics: Record<string, number>; grads: Map<string, Float32Array> }> {
    const { loss, metrics } = await this.run(batch);
    const grads = new Map<string, Float32Array>();
    this.compiled.params.forEach((p, i) => grads.set(p.name, Float32Array.from(this.compiled.grads[i])));
    return { loss, metrics, grads };
  }

  /** One training step: forward, backward, clip, Adam update. */
  async step(batch: Record<string, FeedArray>): Promise<StepResult> {
    const { loss, metrics } = await this.run(batch);
    if (!Number.isFinite(loss)) throw new Error(`nn: loss is ${loss} at step ${this.stepCount + 1}`);
    this.stepCount++;
    const { lr, gradNorm } = this.arena
      ? this.arena.step(this.stepCount, this.options)
      : adamStep(this.slots, this.stepCount, this.options);
    return { step: this.stepCount, loss, metrics, lr, gradNorm };
  }

  /** The inference model (forward outputs only) with the current weights baked in. */
  inferenceBytes(includeAllParams = false): Uint8Array {
    const ctx = new BuildContext(this.store, false);
    const built = this.def.build(ctx);
    const bake = new Map<Tensor, Float32Array>();
    for (const [name, t] of ctx.params) bake.set(t, Float32Array.from(this.store.values.get(name)!.data));
    const extra = includeAllParams
      ? [...this.store.values]
          .filter(([n]) => !ctx.params.has(n))
          .map(([name, v]) => ({ name, shape: v.shape, data: v.data }))
      : [];
    return exportModel({ outputs: built.outputs, bake, extra, name: this.def.name }).bytes;
  }

  /** A snapshot of the current weights with its own session: call `dispose()` when done with it. */
  async exportInference(opts: { threads?: number } = {}): Promise<InferenceModel> {
    return InferenceModel.fromBytes(this.inferenceBytes(), {
      threads: opts.threads ?? this.threads,
      cache: false,
    });
  }

  /**
   * Saves model.onnx + training state into `dir` (atomically per file); `seconds`, when given, is
   * the training's wall-clock seconds so far (kept as trainedSeconds).
   */
  async save(dir: string, seconds?: number): Promise<void> {
    if (seconds !== undefined) this.trainedSeconds = seconds;
    const moments = new Float32Array(this.slots.reduce((a, s) => a + 2 * s.m.length, 0));
    let o = 0;
    for (const s of this.slots) {
      moments.set(s.m, o);
      moments.set(s.v, o + s.m.length);
      o += 2 * s.m.length;
    }
    await writeCheckpoint(dir, {
      model: this.inferenceBytes(true),
      moments,
      state: {
        format: 'replsynth-nn-checkpoint/1',
        model: this.def.name,
        step: this.stepCount,
        seconds: this.trainedSeconds,
        seed: this.seed,
        options: this.options,
        threads: this.threads,
        rng: this.rng.state(),
        params: this.compiled.params.map((p) => p.name),
      },
    });
  }

  /**
   * Restores a trainer saved by `save`; the model definition is code and must be passed again. With
   * `weights`, the parameters come from there instead of the checkpoint's model.onnx (which may then be
   * absent): a shipped folder whose weights live in other files, e.g. float16 inference pieces.
   */
  static async load(dir: string, def: ModelDef, opts: LoadOptions = {}): Promise<Trainer> {
    const ck = await readCheckpoint(dir, { model: !opts.weights });
    const st = ck.state as {
      model: string;
      step: number;
      seconds?: number;
      seed: number;
      options: AdamOptions;
      threads: number;
      rng: RngState;
      params: string[];
    };
    if (st.model !== def.name)
      throw new Error(`nn: checkpoint in ${dir} is for model '${st.model}', not '${def.name}'`);
    const store = new ParamStore(new Rng(st.seed).derive('init'));
    const weights = opts.weights ?? readInitializers(ck.model!);
    if (opts.weights) {
      const missing = st.params.filter((n) => !weights.has(n));
      if (missing.length > 0)
        throw new Error(`nn: checkpoint in ${dir}: no weights given for ${missing.join(', ')}`);
    }
    // Given weights are copied: training updates the store's arrays in place.
    for (const [name, v] of weights)
      if (st.params.includes(name))
        store.values.set(name, {
          shape: [...v.shape],
          data: opts.weights ? Float32Array.from(v.data) : v.data,
        });
    const t = await Trainer.create(
      def,
      { ...st.options, seed: st.seed, threads: opts.threads ?? st.threads },
      store,
    );
    const order = t.compiled.params.map((p) => p.name);
    if (order.join('\n') !== st.params.join('\n'))
      throw new Error(`nn: checkpoint parameters differ from model '${def.name}'`);
    let o = 0;
    for (const s of t.slots) {
      s.m.set(ck.moments.subarray(o, o + s.m.length));
      s.v.set(ck.moments.subarray(o + s.m.length, o + 2 * s.m.length));
      o += 2 * s.m.length;
    }
    t.stepCount = st.step;
    // Checkpoints from before this field was saved count from here.
    t.trainedSeconds = typeof st.seconds === 'number' ? st.seconds : 0;
    t.rng = Rng.fromState(st.rng);
    return t;
  }
}

export const createTrainer = (def: ModelDef, opts: TrainerOptions = {}): Promise<Trainer> =>
  Trainer.create(def, opts);
export const loadTrainer = (dir: string, def: ModelDef, opts: LoadOptions = {}): Promise<Trainer> =>
  Trainer.load(dir, def, opts);
