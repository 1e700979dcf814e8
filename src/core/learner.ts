import type { Evaluator } from './evaluator.js';

/** One supervised example for the policy: in this state, the expert (or a successful rollout) did this. */
export interface PolicyExample<State, Action> {
  readonly state: State;
  readonly action: Action;
}

/** One supervised example for the value: did the rollout through this state end in success? */
export interface ValueExample<State> {
  readonly state: State;
  readonly success: boolean;
  /**
   * A soft target in [0, 1] for the value's cross-entropy, when the trainer grades outcomes (e.g. the
   * best score the rollout reached from this state); absent, the target is `success` as 0 or 1.
   */
  readonly target?: number;
}

/** The value target of an example: its soft target, else success as 0/1. */
export function valueTargetOf<State>(e: ValueExample<State>): number {
  return e.target ?? (e.success ? 1 : 0);
}

export interface StepMetrics {
  readonly loss: number;
  /** Fraction of examples whose most probable action (or success class) was right, when known. */
  readonly accuracy?: number;
}

/**
 * What the trainers need from a model, whatever its domain: train the policy on (state, action) pairs,
 * train the value on (state, success) pairs, evaluate with the current weights, and save/resume.
 * Implemented per domain in src/models/<domain>/ with the nn engine.
 */
export interface Learner<State, Action> {
  /** Training steps taken so far (restored on resume). */
  readonly step: number;
  /**
   * Wall-clock seconds of training up to the last save, over every resumed run (restored on resume;
   * 0 for a new model). The trainers log `seconds` from it and save it as `meta.seconds`.
   */
  readonly trainedSeconds: number;
  trainPolicy(batch: readonly PolicyExample<State, Action>[]): Promise<StepMetrics>;
  trainValue(batch: readonly ValueExample<State>[]): Promise<StepMetrics>;
  /** Next-action accuracy and loss on held-out examples, without training. */
  measurePolicy(batch: readonly PolicyExample<State, Action>[]): Promise<StepMetrics>;
  /** An evaluator with the current weights (cheap to create; may share the learner's sessions). */
  evaluator(): Promise<Evaluator<State, Action>>;
  /**
   * Writes a checkpoint (inference model + training state) atomically into dir; `meta.seconds`
   * (a number), when given, becomes trainedSeconds.
   */
  save(dir: string, meta: Record<string, unknown>): Promise<void>;
  dispose(): Promise<void>;
}

/** The training seconds a trainer passed in a checkpoint's meta (Learner.save), if it passed any. */
export function metaSeconds(meta: Readonly<Record<string, unknown>>): number | undefined {
  return typeof meta.seconds === 'number' ? meta.seconds : undefined;
}
