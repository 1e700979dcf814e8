/**
 * The LaSynth variants (variants.ts) as registered models: folder, loader and training recipe
 * (imitation only, teacher-forced on whole programs of minic's token stream, the same stream and sizes as
 * robustfill-minic). The learner is imported only when training. A variant is declared shipped
 * (variants.ts) only once its weights are.
 */
import type { ModelDefinition, ParamSpec, ParamValue } from '../../../core/index.js';
import type { SeqSizes } from '../net.js';
import { tokenDomain } from '../store.js';
import { wholeProgramDomain } from '../whole.js';
import { lasynthFiles, loadLaSynthModel, readLaSynthConfig } from './store.js';
import { lasynthOptions, lasynthVariants, type LaSynthVariant } from './variants.js';

const int = (name: string, description: string): ParamSpec => ({
  name,
  type: 'int',
  default: 0,
  min: 0,
  description,
});

const sizeParams: readonly ParamSpec[] = [
  int('hidden', 'LSTM width (new models only; 0 = the default, as robustfill-minic)'),
  int('embed', 'embedding width (new models only)'),
  int('attention', 'attention score width (new models only)'),
  int(
    'trainTokens',
    'teacher-forced tokens per program; longer programs are not trained on (new models only)',
  ),
  int('every', 'tokens between latent executions, K (new models only; 0 = 16, the paper)'),
];

function sizesOf(v: LaSynthVariant, o: Readonly<Record<string, ParamValue>>): SeqSizes {
  const pick = (k: keyof SeqSizes, flag: string = k): number =>
    (o[flag] as number) > 0 ? (o[flag] as number) : v.sizes[k];
  return {
    hidden: pick('hidden'),
    embed: pick('embed'),
    attention: pick('attention'),
    steps: pick('steps', 'trainTokens'),
  };
}

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
        ...sizeParams,
        {
          name: 'from',
          type: 'string',
          default: '',
          description:
            'when the checkpoint folder is empty, start from the same-named, same-shaped weights of this model folder',
        },
      ],
      imitationOnly: true,
      async learner(o, s, open) {
        const { LaSynthLearner, newLaSynthConfig } = await import('./learner.js');
        const train = { lr: s.lr, seed: s.seed, threads: s.threads };
        let learner;
        if (s.resume) {
          const cfg = await readLaSynthConfig(s.checkpoint, v);
          learner = await LaSynthLearner.create(v, cfg, tokenDomain(v, cfg.formulationParams), {
            ...train,
            resume: s.checkpoint.location,
          });
        } else {
          const tokens = tokenDomain(v, v.formulationParams ?? {});
          const every = (o.every as number) > 0 ? { every: o.every as number } : {};
          const net = lasynthOptions(v, sizesOf(v, o), tokens.actionSpace.size, every);
          const from = o.from ? open(String(o.from)) : null;
          const weights: Uint8Array[] = [];
          if (from) for (const f of ['encode.onnx', 'step.onnx']) weights.push(await from.read(f));
          learner = await LaSynthLearner.create(v, newLaSynthConfig(v, net, tokens), tokens, {
            ...train,
            from: weights,
          });
        }
        return { learner, domain: wholeProgramDomain(learner.tokens, learner.config.net.steps) };
      },
      imitation: { validationSize: 256, validateEvery: 100, checkpointEvery: 100 },
      shipFiles: [...files],
      shipFloat16: true,
    },
  };
}

/** The registered LaSynth models: lasynth and its four ablations. */
export const lasynthModels: readonly ModelDefinition[] = lasynthVariants.map(lasynthModelDefinition);
