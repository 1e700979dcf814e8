/**
 * The registered-model shape both CAD line models share: imitation on generated scenes
 * (≤ maxShapes, paper: 13), then RL where a rollout succeeds when its best object has IoU > 0.95 and
 * is no longer than the ground truth (the paper's 2D criterion). Each model gives its names, loader,
 * uniform prior and learner; the training options, schedule and shipped files are the same.
 */
import type { ModelDefinition, Task, TrainerDefinition } from '../core/index.js';

/** RL success (paper): IoU > 0.95 and no more lines than the ground-truth program. */
export function csgSuccess<P>(
  best: { readonly iou: number; readonly program: P } | null,
  lineCount: (p: P) => number,
  task: Task<unknown, unknown>,
): boolean {
  return best !== null && best.iou > 0.95 && lineCount(best.program) <= task.trace.length;
}

/** What differs between the two CAD models' definitions. */
export interface CsgModelSpec {
  /** Model, problem, formulation and shipped folder id (csg2d, csg3d). */
  readonly id: string;
  readonly alias: string;
  readonly description: string;
  readonly trainerDescription: string;
  /** The inference pieces' files (config.json comes first). */
  readonly pieceFiles: readonly string[];
  readonly load: ModelDefinition['load'];
  readonly uniform: NonNullable<ModelDefinition['uniform']>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly learner: TrainerDefinition<any, any, any>['learner'];
  readonly success: (state: never, task: never) => boolean;
}

export function csgModelDefinition(m: CsgModelSpec): ModelDefinition {
  return {
    id: m.id,
    aliases: [m.alias],
    problem: m.id,
    formulation: m.id,
    description: m.description,
    shipped: m.id,
    files: ['config.json', ...m.pieceFiles],
    load: m.load,
    uniform: m.uniform,
    trainer: {
      description: m.trainerDescription,
      defaults: { iterations: 100, batch: 32, lrNote: ' (paper: 1e-3)' },
      params: [
        {
          name: 'maxShapes',
          type: 'int',
          default: 13,
          min: 1,
          max: 60,
          description: 'most shapes per training scene (paper: 13)',
        },
        {
          name: 'tasksPerIteration',
          type: 'int',
          default: 16,
          min: 1,
          description: 'rl: scenes per iteration',
        },
        { name: 'rollouts', type: 'int', default: 8, min: 1, description: 'rl: rollouts per scene' },
      ],
      learner: m.learner,
      imitation: { validationSize: 256, validateEvery: 100, checkpointEvery: 200 },
      reinforce: (o) => ({
        tasksPerIteration: o.tasksPerIteration as number,
        rolloutsPerTask: o.rollouts as number,
        // Successes (IoU > 0.95, no longer than the truth) are rare for a young policy: the value also
        // learns the best IoU a rollout reaches. A rollout longer than twice the truth cannot succeed.
        valueTargets: 'best-score',
        rolloutDepth: (task: Task<unknown, unknown>) => 2 * task.trace.length,
      }),
      success: m.success as never,
      // The optimizer state is small (a few MB), so the shipped folder is also a resumable checkpoint.
      shipFiles: ['config.json', ...m.pieceFiles, 'training-state.json', 'training-state.bin'],
      // Checked: float16 storage keeps top-1 agreement (scripts/check-fp16.ts, bench/csg3d-fp16).
      shipFloat16: true,
    },
  };
}
