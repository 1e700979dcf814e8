/**
 * The training recipe every sequence model shares (RobustFill, Property Signatures, the LaSynth
 * variants): the size parameters of `train <model>`, a `from` warm start, and the learner a resumed,
 * warm-started or new run trains with. The learner code (whole-learner.ts) is imported only when
 * training, so registering a model pulls in no training code.
 */
import type { ModelFiles, ParamSpec, ParamValue, TrainerDefinition } from '../../core/index.js';
import type { TokenDomainLike } from './codec.js';
import type { SeqSizes } from './net.js';
import { wholeProgramDomain } from './whole.js';
import type { WholeConfig, WholeModelSpec } from './whole-learner.js';

const size = (name: string, description: string): ParamSpec => ({
  name,
  type: 'int',
  default: 0,
  min: 0,
  description,
});

/** `--hidden`, `--embed`, `--attention`, `--train-tokens` (0 = the model's default). */
export const seqSizeParams: readonly ParamSpec[] = [
  size('hidden', 'LSTM width (new models only; 0 = the default)'),
  size('embed', 'embedding width (new models only)'),
  size('attention', 'attention score width (new models only)'),
  size(
    'trainTokens',
    'teacher-forced tokens per program; longer programs are not trained on (new models only)',
  ),
];

export const fromParam = (description: string): ParamSpec => ({
  name: 'from',
  type: 'string',
  default: '',
  description,
});

/** The sizes of a new model: the options given (> 0), else the defaults. */
export function seqSizesOf(defaults: SeqSizes, o: Readonly<Record<string, ParamValue>>): SeqSizes {
  const pick = (k: keyof SeqSizes, flag: string = k): number =>
    (o[flag] as number) > 0 ? (o[flag] as number) : defaults[k];
  return {
    hidden: pick('hidden'),
    embed: pick('embed'),
    attention: pick('attention'),
    steps: pick('steps', 'trainTokens'),
  };
}

export interface WholeRecipe<
  C extends WholeConfig & { formulationParams: Readonly<Record<string, ParamValue>> },
> {
  /** A folder's config.json, checked for this model (user errors, exit 2). */
  readConfig(files: ModelFiles): Promise<C>;
  /** The token formulation of a config. */
  tokens(formulationParams: Readonly<Record<string, ParamValue>>): TokenDomainLike;
  /** The config of a new run (`from`: the warm-start folder, if any). */
  fresh(o: Readonly<Record<string, ParamValue>>, from: ModelFiles | null): Promise<C>;
  /** The learner's model spec (imported lazily: training code). */
  spec(): Promise<WholeModelSpec<C, string>>;
}

/** TrainerDefinition.learner of a sequence model: resume the checkpoint, or start new (warm-started from
 * the same-named, same-shaped weights of every entry file the `from` folder holds). */
export function wholeRecipeLearner<
  C extends WholeConfig & { formulationParams: Readonly<Record<string, ParamValue>> },
>(recipe: WholeRecipe<C>): TrainerDefinition['learner'] {
  return async (o, s, open) => {
    const [{ WholeLearner }, spec] = await Promise.all([import('./whole-learner.js'), recipe.spec()]);
    const train = { lr: s.lr, seed: s.seed, threads: s.threads };
    let learner;
    if (s.resume) {
      const cfg = await recipe.readConfig(s.checkpoint);
      learner = await WholeLearner.create(spec, cfg, recipe.tokens(cfg.formulationParams), {
        ...train,
        resume: s.checkpoint.location,
      });
    } else {
      const from = o.from ? open(String(o.from)) : null;
      const cfg = await recipe.fresh(o, from);
      const weights: Uint8Array[] = [];
      if (from)
        for (const f of Object.values<string>(spec.files))
          if (await from.has(f)) weights.push(await from.read(f));
      learner = await WholeLearner.create(spec, cfg, recipe.tokens(cfg.formulationParams), {
        ...train,
        from: weights,
      });
    }
    return { learner, domain: wholeProgramDomain(learner.tokens, learner.config.net.steps) };
  };
}
