/**
 * A sequence kind (kind.ts) as a registered model: its folder, loader and training recipe (imitation
 * only, teacher-forced on whole programs of the token formulation's task stream). The learner is
 * imported only when training, so loading for inference pulls in no training code.
 */
import type { ModelDefinition } from '../../core/index.js';
import { netOptions, type SeqKind } from './kind.js';
import { propsigMinic, robustfillMinic } from './minic.js';
import { fromParam, seqSizeParams, seqSizesOf, wholeRecipeLearner } from './recipe.js';
import { SEQ_FILES, loadSeqModel, newSeqConfig, readSeqConfig, tokenDomain } from './store.js';

export function seqModelDefinition(kind: SeqKind): ModelDefinition {
  return {
    id: kind.id,
    problem: kind.problem,
    formulation: kind.formulation,
    description: kind.description,
    ...(kind.shipped ? { shipped: kind.shipped } : {}),
    files: SEQ_FILES,
    load: (files, o) => loadSeqModel(kind, files, o.threads),
    trainer: {
      description: `train ${kind.id} teacher-forced on generated programs (imitation only; resumes from the checkpoint folder)`,
      defaults: { iterations: 1, batch: 32 },
      params: [
        ...seqSizeParams,
        fromParam('when the checkpoint folder is empty, start from the weights of this model folder'),
      ],
      imitationOnly: true,
      learner: wholeRecipeLearner({
        readConfig: (files) => readSeqConfig(files, kind),
        tokens: (params) => tokenDomain(kind, params),
        async fresh(o, from) {
          const base = from ? await readSeqConfig(from, kind) : null;
          const tokens = tokenDomain(kind, base?.formulationParams ?? kind.formulationParams ?? {});
          // A warm start keeps the weights' sizes; only the teacher-forced length may change.
          const net = base
            ? {
                ...base.net,
                steps: (o.trainTokens as number) > 0 ? (o.trainTokens as number) : base.net.steps,
              }
            : netOptions(kind, seqSizesOf(kind.sizes, o), tokens.actionSpace.size);
          return newSeqConfig(kind, net, tokens);
        },
        spec: async () => (await import('./learner.js')).seqModelSpec(kind),
      }),
      imitation: { validationSize: 256, validateEvery: 100, checkpointEvery: 100 },
      shipFiles: [...SEQ_FILES],
      shipFloat16: true,
    },
  };
}

/** The registered minic sequence models: robustfill-minic and propsig-minic (see minic.ts). */
export const robustfillMinicModel = seqModelDefinition(robustfillMinic);
export const propsigMinicModel = seqModelDefinition(propsigMinic);
