/**
 * The strings policy/value network as a registered model: its folder, loader and training recipe
 * (imitation on generated tasks, then RL). The learner is imported only when training, so loading a
 * model for inference pulls in no training code.
 */
import { UserError, type ModelDefinition, type ParamValue, type TaskSource } from '../../core/index.js';
import {
  createStringsDomain,
  generateTask,
  realisticInputTask,
  splitFamilyTask,
  type StringsDomain,
  type StringsSpec,
} from '../../domains/strings/index.js';
import { netOptionsFor } from './evaluator.js';
import { loadStringsModel, readStringsConfig } from './store.js';

/** The sizes a formulation fixes (actions, action types, mask rows, slots); the rest is the model's. */
function netShape(domain: StringsDomain) {
  const n = netOptionsFor(domain);
  return { actions: n.actions, actionTypes: n.actionTypes, maskRows: n.maskRows, examples: n.examples };
}

function taskSource(domain: StringsDomain, kind: ParamValue): TaskSource<StringsSpec, number> {
  if (kind === 'random') return (rng) => domain.sampleTask(rng);
  // mixed: a third random programs on generated inputs (the paper's stream), a third random programs on
  // realistic rows, a third realistic tasks from the training half of the template split.
  if (kind === 'mixed')
    return (rng) => {
      const u = rng.int(3);
      if (u === 1) return realisticInputTask(rng, domain) ?? domain.sampleTask(rng);
      if (u === 2) return splitFamilyTask(rng, domain, 'train');
      return domain.sampleTask(rng);
    };
  // mixed-long: the mixed stream, plus (a quarter of the tasks) random programs of up to 10 parts and
  // 45 actions — the curriculum step toward the long outputs of real spreadsheet tasks.
  if (kind === 'mixed-long') {
    const mixed = taskSource(domain, 'mixed');
    const long = { ...domain.generatorConfig, maxExprs: 10, maxTrace: 45 };
    return (rng) => {
      if (!rng.bool(0.25)) return mixed(rng);
      const t = generateTask(rng, long);
      return { spec: t.spec, trace: t.trace };
    };
  }
  throw new UserError(`--tasks: expected random, mixed or mixed-long, got '${String(kind)}'`, 2);
}

export const stringsModel: ModelDefinition = {
  id: 'strings',
  problem: 'strings',
  formulation: 'strings',
  description: 'strings policy/value network (character CNN + dense blocks over the REPL state)',
  shipped: 'strings',
  files: ['config.json', 'model.onnx'],
  load: (files, o) => loadStringsModel(files, o.threads),
  trainer: {
    description: 'train the strings policy/value network (resumes from the checkpoint folder)',
    defaults: { iterations: 200, batch: 256 },
    params: [
      {
        name: 'tasks',
        type: 'enum',
        choices: ['random', 'mixed', 'mixed-long'],
        default: 'random',
        description: 'training tasks: random (DSL programs) or mixed (plus realistic families)',
      },
      {
        name: 'from',
        type: 'string',
        default: '',
        description: 'when the checkpoint folder is empty, start from the weights of this model folder',
      },
      {
        name: 'mode',
        type: 'enum',
        choices: ['extended', 'rich'],
        default: 'extended',
        description:
          'formulation of a new model (rich: spec constants, conditionals, numbers); with --from, the weights are remapped to it',
      },
      {
        name: 'imitationMix',
        type: 'float',
        default: 0,
        min: 0,
        max: 0.9,
        description:
          'rl: share of each policy batch that is ground-truth pairs from --tasks (anchors eq. 3 fine-tuning; 0 = the paper)',
      },
      { name: 'dense', type: 'int', default: 0, min: 0, description: 'dense block layers (new models only)' },
      {
        name: 'growth',
        type: 'int',
        default: 0,
        min: 0,
        description: 'dense block growth (new models only)',
      },
    ],
    async learner(o, s, open) {
      const { StringsLearner } = await import('./learner.js');
      const train = { lr: s.lr, seed: s.seed, threads: s.threads };
      let learner;
      if (s.resume) {
        const cfg = await readStringsConfig(s.checkpoint);
        learner = await StringsLearner.resume(
          createStringsDomain(cfg.domainParams),
          s.checkpoint.location,
          cfg,
          s.threads,
        );
      } else if (o.from) {
        const cfg = await readStringsConfig(open(String(o.from)));
        // The from-model's formulation, or (a mode it was not trained for) its weights remapped.
        const params = { ...cfg.domainParams, ...(o.mode !== 'extended' ? { mode: o.mode as string } : {}) };
        const domain = createStringsDomain(params);
        const target =
          params.mode === cfg.domainParams.mode
            ? cfg
            : {
                format: cfg.format,
                domainParams: { ...domain.params } as Record<string, string | number | boolean>,
                net: { ...cfg.net, ...netShape(domain) },
              };
        learner = await StringsLearner.warmStart(domain, String(o.from), target, train);
      } else {
        const net = {
          ...(o.dense ? { denseLayers: o.dense as number } : {}),
          ...(o.growth ? { growth: o.growth as number } : {}),
        };
        learner = await StringsLearner.create(createStringsDomain({ mode: o.mode as string }), net, train);
      }
      if (typeof o.imitationMix === 'number' && o.imitationMix > 0)
        learner.setImitationMix(taskSource(learner.domain, o.tasks), o.imitationMix, s.seed);
      return { learner, domain: learner.domain };
    },
    source: (domain, o) => taskSource(domain as StringsDomain, o.tasks),
    shipFiles: ['model.onnx', 'config.json'],
    // Checked: float16 storage keeps top-1 agreement at 100 % (scripts/check-fp16.ts).
    shipFloat16: true,
  },
};
