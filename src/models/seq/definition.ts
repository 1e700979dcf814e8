/**
 * A sequence kind (kind.ts) as a registered model: its folder, loader and training recipe (imitation
 * only, teacher-forced on whole programs of the token formulation's task stream). The learner is
 * imported only when training, so loading for inference pulls in no training code.
 */
import type { ModelDefinition, ParamSpec, ParamValue } from '../../core/index.js';
import { netOptions, type SeqKind } from './kind.js';
import { propsigMinic, robustfillMinic } from './minic.js';
import type { SeqSizes } from './net.js';
import { SEQ_FILES, loadSeqModel, readSeqConfig, tokenDomain } from './store.js';
import { wholeProgramDomain } from './whole.js';

const sizeParams: readonly ParamSpec[] = [
  {
    name: 'hidden',
    type: 'int',
    default: 0,
    min: 0,
    description: 'LSTM width (new models only; 0 = the default)',
  },
  { name: 'embed', type: 'int', default: 0, min: 0, description: 'embedding width (new models only)' },
  {
    name: 'attention',
    type: 'int',
    default: 0,
    min: 0,
    description: 'attention score width (new models only)',
  },
  {
    name: 'trainTokens',
    type: 'int',
    default: 0,
    min: 0,
    description: 'teacher-forced tokens per program; longer programs are not trained on (new models only)',
  },
];

function sizesOf(kind: SeqKind, o: Readonly<Record<string, ParamValue>>): SeqSizes {
  const pick = (k: keyof SeqSizes, flag: string = k): number =>
    (o[flag] as number) > 0 ? (o[flag] as number) : kind.sizes[k];
  return {
    hidden: pick('hidden'),
    embed: pick('embed'),
    attention: pick('attention'),
    steps: pick('steps', 'trainTokens'),
  };
}

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
        ...sizeParams,
        {
          name: 'from',
          type: 'string',
          default: '',
          description: 'when the checkpoint folder is empty, start from the weights of this model folder',
        },
      ],
      imitationOnly: true,
      async learner(o, s, open) {
        const { SeqLearner, newSeqConfig } = await import('./learner.js');
        const train = { lr: s.lr, seed: s.seed, threads: s.threads };
        let learner;
        if (s.resume) {
          const cfg = await readSeqConfig(s.checkpoint, kind);
          const tokens = tokenDomain(kind, cfg.formulationParams);
          learner = await SeqLearner.create(kind, cfg, tokens, { ...train, resume: s.checkpoint.location });
        } else {
          const from = o.from ? open(String(o.from)) : null;
          const base = from ? await readSeqConfig(from, kind) : null;
          const tokens = tokenDomain(kind, base?.formulationParams ?? kind.formulationParams ?? {});
          // A warm start keeps the weights' sizes; only the teacher-forced length may change.
          const net = base
            ? {
                ...base.net,
                steps: (o.trainTokens as number) > 0 ? (o.trainTokens as number) : base.net.steps,
              }
            : netOptions(kind, sizesOf(kind, o), tokens.actionSpace.size);
          const weights = from ? [await from.read('encode.onnx'), await from.read('step.onnx')] : [];
          learner = await SeqLearner.create(kind, newSeqConfig(kind, net, tokens), tokens, {
            ...train,
            from: weights,
          });
        }
        return { learner, domain: wholeProgramDomain(learner.tokens, learner.config.net.steps) };
      },
      imitation: { validationSize: 256, validateEvery: 100, checkpointEvery: 100 },
      shipFiles: [...SEQ_FILES],
      shipFloat16: true,
    },
  };
}

/** The registered minic sequence models: robustfill-minic and propsig-minic (see minic.ts). */
export const robustfillMinicModel = seqModelDefinition(robustfillMinic);
export const propsigMinicModel = seqModelDefinition(propsigMinic);
