/**
 * CSGNet-style models as registered models (`csgnet-2d` for csg2d, `csgnet-3d` for csg3d): they guide
 * every search over the problem's token formulation, and the `csgnet` method decodes with them.
 * Training: imitation of whole programs from the REPL formulation's own scene sampler (the same
 * scenes the REPL model learns from), teacher-forced; there is no value head and no RL phase.
 */
import type { ModelDefinition, TrainerDefinition } from '../../core/index.js';
import { CSGNET_KINDS, SequenceStream, tokenDomain, type CsgnetKind } from './kinds.js';
import { CSGNET_FILES, loadCsgnet, readCsgnetConfig } from './store.js';
import { wholeProgramDomain } from './whole.js';

/** Models with weights shipped under models/<id>/ (a declared folder must exist: conformance loads it). */
const SHIPPED: ReadonlySet<string> = new Set<string>(['csgnet-2d']);

/** Decoder steps of the training graph: the longest program of ≤ 13 training shapes, end included. */
const TRAIN_STEPS: Readonly<Record<string, number>> = { 'csgnet-2d': 80, 'csgnet-3d': 104 };

function trainer(kind: CsgnetKind): TrainerDefinition {
  return {
    description: `train the ${kind.id} CSGNet-style decoder by imitation (resumes from the checkpoint folder; imitation only)`,
    defaults: { iterations: 1, batch: 32, lrNote: ' (CSGNet: 1e-3)' },
    params: [
      {
        name: 'maxShapes',
        type: 'int',
        default: 13,
        min: 1,
        max: 13,
        description: 'most shapes per training scene (paper: 13; the training graph holds ≤ 13)',
      },
      {
        name: 'hidden',
        type: 'int',
        default: kind.net.hidden,
        min: 1,
        description: 'GRU width (new models)',
      },
      {
        name: 'encoding',
        type: 'int',
        default: kind.net.encoding,
        min: 1,
        description: 'image code width (new models)',
      },
      {
        name: 'embed',
        type: 'int',
        default: kind.net.embed,
        min: 1,
        description: 'token embedding width (new models)',
      },
    ],
    async learner(o, s) {
      const { CsgnetLearner } = await import('./learner.js');
      if (s.resume) {
        const cfg = await readCsgnetConfig(s.checkpoint, kind);
        const domain = tokenDomain(kind, cfg.tokenParams);
        const learner = await CsgnetLearner.resume(kind, domain, s.checkpoint.location, cfg, s.threads);
        const stream = new SequenceStream(kind, domain, cfg.replParams, cfg.net.steps);
        return { learner, domain: wholeProgramDomain(stream) };
      }
      const tokenParams = { ...kind.decodeParams };
      const domain = tokenDomain(kind, tokenParams);
      const replParams = { maxShapes: o.maxShapes as number };
      const net = {
        ...kind.net,
        hidden: o.hidden as number,
        encoding: o.encoding as number,
        embed: o.embed as number,
        vocab: domain.actionSpace.size,
        steps: TRAIN_STEPS[kind.id],
      };
      const learner = await CsgnetLearner.create(
        kind,
        domain,
        { tokenParams, replParams, net },
        { lr: s.lr, seed: s.seed, threads: s.threads, clipNorm: 1 },
      );
      const stream = new SequenceStream(kind, domain, replParams, net.steps);
      return { learner, domain: wholeProgramDomain(stream) };
    },
    imitation: { validationSize: 256, validateEvery: 100, checkpointEvery: 100 },
    imitationOnly: true,
    shipFiles: ['config.json', ...Object.values(CSGNET_FILES)],
    shipFloat16: true,
  };
}

function definition(kind: CsgnetKind): ModelDefinition {
  return {
    id: kind.id,
    problem: kind.problem,
    formulation: kind.formulation,
    description: `CSGNet-style decoder for ${kind.problem}: CNN encoder of the target, GRU over program tokens (no REPL)`,
    ...(SHIPPED.has(kind.id) ? { shipped: kind.id } : {}),
    files: ['config.json', ...Object.values(CSGNET_FILES)],
    load: (files, o) => loadCsgnet(kind, files, o.threads),
    trainer: trainer(kind),
  };
}

export const csgnetModels: readonly ModelDefinition[] = CSGNET_KINDS.map(definition);
