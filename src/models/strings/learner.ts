/**
 * The strings Learner: turns (state, action) and (state, success) examples into feeds for the one
 * training graph of stringsNet, and hands out NeuralEvaluators with the current weights.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Evaluator } from '../../core/index.js';
import type { StringsDomain, StringsSpec, StringsState } from '../../domains/strings/index.js';
import { Rng, UserError, metaSeconds, replay, valueTargetOf, type TaskSource } from '../../core/index.js';
import {
  BuildContext,
  atomicWrite,
  createTrainer,
  loadTrainer,
  ParamStore,
  readInitializers,
  Trainer,
  type InferenceModel,
  type TrainerOptions,
} from '../../nn/index.js';
import type { Learner, PolicyExample, StepMetrics, ValueExample } from '../../core/index.js';
import { stringsNet, type StringsNetOptions } from './net.js';
import { NeuralEvaluator, netOptionsFor } from './evaluator.js';

export interface StringsModelConfig {
  readonly format: 'replsynth-strings-model/1';
  readonly domainParams: Record<string, string | number | boolean>;
  readonly net: StringsNetOptions;
}

function feeds(domain: StringsDomain, states: readonly StringsState[]) {
  return domain.features!.encode(states);
}

type Weight = { shape: number[]; data: Float32Array };

/**
 * A saved weight in a model whose dimensions grew at the end (actions appended to the table, action
 * types appended, mask rows appended after the paper's): the saved block is copied where it fits.
 * What is new starts so the old model's outputs are unchanged: new input channels and new policy
 * columns at zero, new policy biases at the mean old bias; new embedding rows keep their fresh init.
 */
export function remapWeight(name: string, saved: Weight, fresh: Weight): Weight {
  const same = saved.shape.length === fresh.shape.length && saved.shape.every((d, i) => d === fresh.shape[i]);
  if (same) return saved;
  if (saved.shape.length !== fresh.shape.length || saved.shape.some((d, i) => d > fresh.shape[i]))
    throw new UserError(
      `cannot start from a model whose '${name}' is [${saved.shape}] (this network's is [${fresh.shape}])`,
      2,
    );
  const out = new Float32Array(fresh.data.length);
  if (name.endsWith('.table')) out.set(fresh.data);
  else if (name === 'policy.b') out.fill(saved.data.reduce((a, b) => a + b, 0) / saved.data.length);
  const rank = fresh.shape.length;
  const strideOf = (shape: readonly number[]): number[] => {
    const st = new Array<number>(rank).fill(1);
    for (let d = rank - 2; d >= 0; d--) st[d] = st[d + 1] * shape[d + 1];
    return st;
  };
  const fs = strideOf(fresh.shape);
  const ss = strideOf(saved.shape);
  const idx = new Array<number>(rank).fill(0);
  for (let i = 0; i < saved.data.length; i++) {
    let r = i;
    let at = 0;
    for (let d = 0; d < rank; d++) {
      idx[d] = Math.floor(r / ss[d]);
      r -= idx[d] * ss[d];
      at += idx[d] * fs[d];
    }
    out[at] = saved.data[i];
  }
  return { shape: [...fresh.shape], data: out };
}

/** A checkpoint that cannot be resumed is the user's to fix (or remove): one line naming it. */
function checkpointError(dir: string, e: unknown): UserError {
  if (e instanceof UserError) return e;
  const msg = (e instanceof Error ? e.message : String(e)).replace(/^nn: /, '');
  return new UserError(
    `cannot resume from the checkpoint in ${dir}: ${msg} (remove the folder, or pass another --checkpoint, to start again)`,
    2,
  );
}

export class StringsLearner implements Learner<StringsState, number> {
  private inference: InferenceModel | null = null;

  private constructor(
    readonly domain: StringsDomain,
    readonly trainer: Trainer,
    readonly config: StringsModelConfig,
  ) {}

  static async create(
    domain: StringsDomain,
    net: Partial<StringsNetOptions> = {},
    opts: TrainerOptions = {},
  ): Promise<StringsLearner> {
    const config: StringsModelConfig = {
      format: 'replsynth-strings-model/1',
      domainParams: { ...domain.params } as Record<string, string | number | boolean>,
      net: { ...netOptionsFor(domain), ...net },
    };
    return new StringsLearner(domain, await createTrainer(stringsNet(config.net), opts), config);
  }

  static async resume(
    domain: StringsDomain,
    dir: string,
    config: StringsModelConfig,
    threads?: number,
  ): Promise<StringsLearner> {
    try {
      return new StringsLearner(domain, await loadTrainer(dir, stringsNet(config.net), { threads }), config);
    } catch (e) {
      throw checkpointError(dir, e);
    }
  }

  /**
   * Starts training from a shipped model folder (model.onnx + config.json) that has no optimizer
   * state: the weights (float32, or float16-stored in a shipped file) carry over; Adam's moments and
   * the step count start from zero.
   */
  static async warmStart(
    domain: StringsDomain,
    dir: string,
    config: StringsModelConfig,
    opts: TrainerOptions = {},
  ): Promise<StringsLearner> {
    const def = stringsNet(config.net);
    const store = new ParamStore(new Rng(opts.seed ?? 0).derive('init'));
    let weights;
    try {
      weights = readInitializers(new Uint8Array(readFileSync(join(dir, 'model.onnx'))));
    } catch (e) {
      throw new UserError(
        `${join(dir, 'model.onnx')}: not a readable model (${e instanceof Error ? e.message : String(e)})`,
        2,
      );
    }
    // Build first (fresh values of the right shapes), then take the file's weights: same shape as is,
    // else (a model with more actions, action types or mask rows, as rich mode has) remapped.
    const ctx = new BuildContext(store, true);
    def.build(ctx);
    // Keep only the network's parameters: the file's graph constants (c113 …) are not weights, and
    // kept in the store they were saved again as duplicate initializers of the next checkpoint.
    for (const name of store.names) {
      const have = weights.get(name);
      if (!ctx.params.has(name) || !have) continue;
      store.values.set(name, remapWeight(name, have, store.values.get(name)!));
    }
    for (const name of store.names) if (!ctx.params.has(name)) store.values.delete(name);
    const trainer = await Trainer.create(def, opts, store);
    // The step count restarts at 0 with the fresh Adam moments: Adam's bias correction is keyed by the
    // step, and carrying the old count over (as this did until issue 19) skipped it while the moments
    // were still zero, so the first few hundred updates were 3–10× lr per weight. That, not eq. 3
    // itself, is what wrecked fine-tuning from a shipped model (bench strings-rl).
    trainer.stepCount = 0;
    return new StringsLearner(domain, trainer, config);
  }

  get step(): number {
    return this.trainer.stepCount;
  }

  get trainedSeconds(): number {
    return this.trainer.trainedSeconds;
  }

  private batch(
    states: readonly StringsState[],
    rows: { action: number; pw: number; vt: number; vw: number }[],
  ): Record<string, Float32Array | Int32Array> {
    const A = this.config.net.actions;
    const f = feeds(this.domain, states);
    const legal = new Float32Array(states.length * A);
    const action = new Int32Array(states.length);
    const pw = new Float32Array(states.length);
    const vt = new Float32Array(states.length);
    const vw = new Float32Array(states.length);
    states.forEach((s, i) => {
      legal.set(this.domain.legalMask!(s), i * A);
      action[i] = rows[i].action;
      pw[i] = rows[i].pw;
      vt[i] = rows[i].vt;
      vw[i] = rows[i].vw;
    });
    return { ...f, legal, action, policyWeight: pw, valueTarget: vt, valueWeight: vw };
  }

  private async train(
    batch: Record<string, Float32Array | Int32Array>,
    kind: 'policy' | 'value',
  ): Promise<StepMetrics> {
    // The snapshot is stale after this step; evaluators handed out earlier hold their own reference
    // until the next snapshot replaces it (see model()).
    this.stale = true;
    const r = await this.trainer.step(batch);
    return kind === 'policy'
      ? { loss: r.metrics.policyLoss, accuracy: r.metrics.policyAccuracy }
      : { loss: r.metrics.valueLoss, accuracy: r.metrics.valueAccuracy };
  }

  private mix: { source: TaskSource<StringsSpec, number>; fraction: number; rng: Rng } | null = null;

  /**
   * Mixes ground-truth (imitation) pairs into every policy batch, `fraction` of the batch: policy
   * fine-tuning on the model's own successful rollouts (eq. 3) alone drifts from the ground-truth
   * actions it imitated; the mixed-in pairs anchor it. 0 turns mixing off.
   */
  setImitationMix(source: TaskSource<StringsSpec, number>, fraction: number, seed = 0): void {
    this.mix =
      fraction > 0 ? { source, fraction: Math.min(fraction, 0.9), rng: new Rng(seed).derive('mix') } : null;
  }

  /** `n` (state, ground-truth action) pairs from the mix source's tasks. */
  private imitationPairs(n: number): PolicyExample<StringsState, number>[] {
    const out: PolicyExample<StringsState, number>[] = [];
    const m = this.mix!;
    for (let guard = 0; out.length < n && guard < n * 50; guard++) {
      const task = m.source(m.rng);
      const r = replay(this.domain, task.spec, task.trace);
      if (!r.ok) continue;
      for (let t = 0; t < task.trace.length; t++) out.push({ state: r.states[t], action: task.trace[t] });
    }
    return m.rng.shuffle(out).slice(0, n);
  }

  trainPolicy(batch: readonly PolicyExample<StringsState, number>[]): Promise<StepMetrics> {
    const extra = this.mix
      ? this.imitationPairs(Math.round((batch.length * this.mix.fraction) / (1 - this.mix.fraction)))
      : [];
    const all = extra.length ? [...batch, ...extra] : batch;
    const rows = all.map((e) => ({ action: e.action, pw: 1, vt: 0, vw: 0 }));
    return this.train(
      this.batch(
        all.map((e) => e.state),
        rows,
      ),
      'policy',
    );
  }

  trainValue(batch: readonly ValueExample<StringsState>[]): Promise<StepMetrics> {
    const rows = batch.map((e) => ({ action: 0, pw: 0, vt: valueTargetOf(e), vw: 1 }));
    return this.train(
      this.batch(
        batch.map((e) => e.state),
        rows,
      ),
      'value',
    );
  }

  private stale = true;

  /** The current weights as an inference model; the previous snapshot's session is freed. */
  private async model(): Promise<InferenceModel> {
    if (this.stale || !this.inference) {
      await this.inference?.dispose();
      this.inference = await this.trainer.exportInference();
      this.stale = false;
    }
    return this.inference;
  }

  async measurePolicy(batch: readonly PolicyExample<StringsState, number>[]): Promise<StepMetrics> {
    const ev = new NeuralEvaluator(this.domain, await this.model());
    const scores = await ev.scores(batch.map((e) => e.state));
    let loss = 0;
    let hits = 0;
    batch.forEach((e, i) => {
      const logp = ev.logPolicy(batch[i].state, scores[i].logits);
      loss -= logp[e.action];
      let best = 0;
      for (let a = 1; a < logp.length; a++) if (logp[a] > logp[best]) best = a;
      if (best === e.action) hits++;
    });
    return { loss: loss / batch.length, accuracy: hits / batch.length };
  }

  async evaluator(): Promise<Evaluator<StringsState, number>> {
    return new NeuralEvaluator(this.domain, await this.model());
  }

  async save(dir: string, meta: Record<string, unknown>): Promise<void> {
    await this.trainer.save(dir, metaSeconds(meta));
    mkdirSync(dir, { recursive: true });
    await atomicWrite(join(dir, 'config.json'), JSON.stringify({ ...this.config, meta }, null, 2) + '\n');
  }

  async dispose(): Promise<void> {
    await this.inference?.dispose();
    this.inference = null;
  }
}
