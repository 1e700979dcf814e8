/**
 * The LaSynth variants (variants.ts) as registered models: folder, loader and training recipe
 * (imitation only, teacher-forced on whole programs of minic's token stream, the same stream and sizes as
 * robustfill-minic). The learner is imported only when training. A variant is declared shipped
 * (variants.ts) only once its weights are.
 */
import type { ModelDefinition } from '../../../core/index.js';
import { fromParam, seqSizeParams, seqSizesOf, wholeRecipeLearner } from '../recipe.js';
import { tokenDomain } from '../store.js';
import { lasynthFiles, loadLaSynthModel, newLaSynthConfig, readLaSynthConfig } from './store.js';
import { lasynthOptions, lasynthVariants, type LaSynthVariant } from './variants.js';

const everyParam = {
  name: 'every',
  type: 'int',
  default: 0,
  min: 0,
  description: 'tokens between latent executions, K (new models only; 0 = 16, the paper)',
} as const;

export function lasynthModelDefinition(v: LaSynthVariant): ModelDefinition {
  const files = lasynthFiles(v);
  return {
    id: v.id,
    problem: v.problem,
    formulation: v.formulation,
    description: v.description,
    ...(v.shipped ? { shipped: v.shipped } : {}),
    files,
    load: (f, o) => loadLaSynthModel(v, f, o.threads),
    trainer: {
      description: `train ${v.id} (${v.paperName}) teacher-forced on generated programs, loss = token NLL + L_Exec + L_Op (imitation only; resumes from the checkpoint folder)`,
      defaults: { iterations: 1, batch: 32 },
      params: [
        ...seqSizeParams,
        everyParam,
        fromParam(
          'when the checkpoint folder is empty, start from the same-named, same-shaped weights of this model folder',
        ),
      ],
      imitationOnly: true,
      learner: wholeRecipeLearner({
        readConfig: (files) => readLaSynthConfig(files, v),
        tokens: (params) => tokenDomain(v, params),
        fresh(o) {
          const tokens = tokenDomain(v, v.formulationParams ?? {});
          const every = (o.every as number) > 0 ? { every: o.every as number } : {};
          const net = lasynthOptions(v, seqSizesOf(v.sizes, o), tokens.actionSpace.size, every);
          return Promise.resolve(newLaSynthConfig(v, net, tokens));
        },
        spec: async () => (await import('./learner.js')).lasynthModelSpec(v),
      }),
      imitation: { validationSize: 256, validateEvery: 100, checkpointEvery: 100 },
      shipFiles: [...files],
      shipFloat16: true,
    },
  };
}

/** The registered LaSynth models: lasynth and its four ablations. */
export const lasynthModels: readonly ModelDefinition[] = lasynthVariants.map(lasynthModelDefinition);
