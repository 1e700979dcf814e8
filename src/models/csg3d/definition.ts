/**
 * The 3D CAD policy/value network as a registered model (the shared CAD model shape of
 * src/csg-models/definition.ts): imitation on generated scenes, then RL where a rollout succeeds when
 * its best object has IoU > 0.95 and is no longer than the ground truth (as the paper's 2D
 * criterion). The learner is imported only when training.
 */
import type { ModelDefinition, Task } from '../../core/index.js';
import { csgModelDefinition, csgSuccess } from '../../csg-models/definition.js';
import {
  bestObject,
  createCsg3dDomain,
  lineCount,
  type Csg3dAction,
  type Csg3dDomain,
  type Csg3dSpec,
  type Csg3dState,
} from '../../domains/csg3d/index.js';
import { uniformCsg3dEvaluator } from './evaluator.js';
import { PIECE_FILES, loadCsg3dModel, readCsg3dConfig } from './store.js';

/** RL success: IoU > 0.95 and no more lines than the ground-truth program. */
export function cad3dSuccess(state: Csg3dState, task: Task<Csg3dSpec, Csg3dAction>): boolean {
  return csgSuccess(bestObject(state), lineCount, task);
}

export const csg3dModel: ModelDefinition = csgModelDefinition({
  id: 'csg3d',
  alias: 'cad3d',
  description: '3D CAD policy/value network (per-object Conv3d encoder, factorised line policy, value head)',
  trainerDescription: 'train the 3D CAD policy/value network (resumes from the checkpoint folder)',
  pieceFiles: Object.values(PIECE_FILES),
  load: (files, o) => loadCsg3dModel(files, o.threads),
  uniform: (domain) => uniformCsg3dEvaluator(domain as Csg3dDomain) as never,
  async learner(o, s) {
    const { Csg3dLearner } = await import('./learner.js');
    const cfg = s.resume ? await readCsg3dConfig(s.checkpoint) : null;
    const learner = cfg
      ? await Csg3dLearner.resume(
          createCsg3dDomain(cfg.domainParams),
          s.checkpoint.location,
          cfg,
          s.threads,
          s.batchSize,
        )
      : await Csg3dLearner.create(
          createCsg3dDomain({ maxShapes: o.maxShapes as number }),
          {},
          { lr: s.lr, seed: s.seed, threads: s.threads },
          s.batchSize,
        );
    return { learner, domain: learner.domain };
  },
  success: cad3dSuccess as never,
});
