/**
 * The 2D CAD policy/value network as a registered model (the shared CAD model shape of
 * src/csg-models/definition.ts): imitation on generated scenes, then RL where a rollout succeeds when
 * its best object has IoU > 0.95 and is no longer than the ground truth (paper). The learner is
 * imported only when training.
 */
import type { ModelDefinition, Task } from '../../core/index.js';
import { csgModelDefinition, csgSuccess } from '../../csg-models/definition.js';
import {
  bestObject,
  createCsg2dDomain,
  lineCount,
  type Csg2dAction,
  type Csg2dDomain,
  type Csg2dSpec,
  type Csg2dState,
} from '../../domains/csg2d/index.js';
import { uniformCsg2dEvaluator } from './evaluator.js';
import { PIECE_FILES, loadCsg2dModel, readCsg2dConfig } from './store.js';

/** RL success (paper): IoU > 0.95 and no more lines than the ground-truth program. */
export function cadSuccess(state: Csg2dState, task: Task<Csg2dSpec, Csg2dAction>): boolean {
  return csgSuccess(bestObject(state), lineCount, task);
}

export const csg2dModel: ModelDefinition = csgModelDefinition({
  id: 'csg2d',
  alias: 'cad2d',
  description: '2D CAD policy/value network (per-object CNN encoder, factorised line policy, value head)',
  trainerDescription: 'train the 2D CAD policy/value network (resumes from the checkpoint folder)',
  pieceFiles: Object.values(PIECE_FILES),
  load: (files, o) => loadCsg2dModel(files, o.threads),
  uniform: (domain) => uniformCsg2dEvaluator(domain as Csg2dDomain) as never,
  async learner(o, s) {
    const { Csg2dLearner } = await import('./learner.js');
    const cfg = s.resume ? await readCsg2dConfig(s.checkpoint) : null;
    const learner = cfg
      ? await Csg2dLearner.resume(createCsg2dDomain(cfg.domainParams), s.checkpoint.location, cfg, s.threads)
      : await Csg2dLearner.create(
          createCsg2dDomain({ maxShapes: o.maxShapes as number }),
          {},
          { lr: s.lr, seed: s.seed, threads: s.threads },
        );
    return { learner, domain: learner.domain };
  },
  success: cadSuccess as never,
});
