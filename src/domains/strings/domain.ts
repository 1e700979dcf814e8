/**
 * The strings Domain: wires the action table, REPL, generators and features together for one set of
 * resolved parameters. Paper mode reproduces the original system (482 actions, 1 column, strings ≤ 36,
 * 6 commits); extended mode (the default for users) adds columns, Trim, delete-all, constant words and
 * longer strings.
 */
import {
  SpecError,
  resolveParams,
  type Domain,
  type ParamSpec,
  type ParamValue,
  type Rng,
  type TaskOptions,
} from '../../core/index.js';
import { buildActionTable, type ActionTable } from './actions.js';
import { parseProgram, printProgram, type Program } from './dsl.js';
import { makeFeatures } from './features.js';
import { generateTask, type GeneratorConfig } from './generator.js';
import { splitFamilyTask } from './training-tasks.js';
import {
  committedProgram,
  initialReplState,
  legalMaskOf,
  legalActionList,
  progressScore,
  replStep,
  stateKeyOf,
  type ReplConfig,
  type StringsSpec,
  type StringsState,
} from './repl.js';
import { CHARACTERS } from './regex.js';
import { codePoints } from './spec-check.js';

export const STRINGS_PARAMS: readonly ParamSpec[] = [
  {
    name: 'mode',
    type: 'enum',
    default: 'extended',
    choices: ['paper', 'extended', 'rich'],
    description:
      'paper = the original 482-action REPL; extended adds columns, Trim, delete-all, constant words, long strings; rich adds constants proposed from the examples, conditionals, numbers and Unicode word classes',
  },
  {
    name: 'maxLength',
    type: 'int',
    default: 0,
    min: 0,
    max: 10_000,
    description: 'longest string in a spec (0 = 36 in paper mode, 200 in extended mode)',
  },
  {
    name: 'columns',
    type: 'int',
    default: 3,
    min: 1,
    max: 16,
    description: 'input columns an action can choose (extended mode)',
  },
  {
    name: 'maxCommits',
    type: 'int',
    default: 0,
    min: 0,
    max: 100,
    description: 'commits per episode (0 = 6 in paper mode, 12 in extended mode)',
  },
  {
    name: 'examples',
    type: 'int',
    default: 4,
    min: 1,
    max: 16,
    description: 'examples per generated task and example slots in the features',
  },
  {
    name: 'window',
    type: 'int',
    default: 36,
    min: 8,
    max: 512,
    description: 'positions per string in the features (longer strings are clipped)',
  },
  {
    name: 'taskSource',
    type: 'enum',
    default: 'random',
    choices: ['random', 'families', 'mixed'],
    description:
      'sampleTask draws random programs (paper), realistic families (training side of the template split only), or both',
  },
];

export type StringsDomain = Domain<StringsSpec, StringsState, number, Program> & {
  readonly table: ActionTable;
  readonly repl: ReplConfig;
  readonly generatorConfig: GeneratorConfig;
  readonly extended: boolean;
  readonly rich: boolean;
  readonly maxLength: number;
};

const PAPER_CHARS = new Set(CHARACTERS);

function validateSpec(spec: StringsSpec, extended: boolean, maxLength: number, columns: number): void {
  if (!spec || !Array.isArray(spec.examples) || spec.examples.length === 0)
    throw new SpecError('a strings spec needs at least one example');
  // The user's limit on lengths wins; the columns an action can read are fixed by the action table.
  const longest = spec.limits?.maxLength ?? maxLength;
  const ncol = spec.examples[0]?.inputs?.length;
  if (!extended && ncol !== 1) throw new SpecError(`paper mode takes exactly 1 input column, got ${ncol}`);
  if (!(ncol >= 1) || ncol > columns)
    throw new SpecError(
      `the examples have ${ncol} input columns; this formulation reads 1–${columns}` +
        (extended ? ' (more need --columns N, with --model uniform or an unguided method)' : ''),
    );
  spec.examples.forEach((ex, i) => {
    if (!Array.isArray(ex.inputs) || ex.inputs.length !== ncol)
      throw new SpecError(`example ${i + 1}: expected ${ncol} input columns`);
    for (const s of [...ex.inputs, ex.output]) {
      if (typeof s !== 'string') throw new SpecError(`example ${i + 1}: inputs and output must be strings`);
      const n = codePoints(s);
      if (n > longest)
        throw new SpecError(
          `example ${i + 1}: a string of ${n} characters is longer than the limit of ${longest} (--max-length)`,
        );
      if (!extended)
        for (const ch of s)
          if (!PAPER_CHARS.has(ch))
            throw new SpecError(
              `example ${i + 1}: character ${JSON.stringify(ch)} is outside the paper's 96 characters`,
            );
    }
  });
}

export function createStringsDomain(given: Readonly<Record<string, ParamValue>> = {}): StringsDomain {
  const params = resolveParams(STRINGS_PARAMS, given);
  const rich = params.mode === 'rich';
  const extended = params.mode === 'extended' || rich;
  const maxLength = (params.maxLength as number) || (extended ? 200 : 36);
  const columns = extended ? (params.columns as number) : 1;
  const maxCommits = (params.maxCommits as number) || (extended ? 12 : 6);
  const table = buildActionTable({ extended, columns, rich });
  const repl: ReplConfig = { table, maxCommits };
  const generatorConfig: GeneratorConfig = {
    repl,
    extended,
    rich,
    columns,
    // Generated strings stay within the paper's 36 unless the user asks for shorter ones.
    maxLength: Math.min(maxLength, 36),
    maxExprs: 6,
    maxTrace: 30,
    examples: params.examples as number,
    tests: 2,
  };
  const features = makeFeatures({
    examples: params.examples as number,
    window: params.window as number,
    table,
    slotRows: rich,
  });
  const source = params.taskSource as string;
  const validated = new WeakSet<StringsSpec>();

  const domain: StringsDomain = {
    id: 'strings',
    params,
    table,
    repl,
    generatorConfig,
    extended,
    rich,
    maxLength,
    actionSpace: {
      size: table.size,
      flat: true,
      name: (a) => table.entries[a]?.name ?? `?${a}`,
      key: (a) => a,
    },
    maxDepth: rich ? 80 : extended ? 60 : 45,
    features,
    sampleTask(rng: Rng, options?: TaskOptions) {
      const cfg = options?.maxSize
        ? { ...generatorConfig, maxExprs: Math.max(1, Math.min(options.maxSize, 6)) }
        : generatorConfig;
      const src = (options?.extra?.source as string | undefined) ?? source;
      const useFamilies = src === 'families' || (src === 'mixed' && rng.bool());
      const t = useFamilies ? splitFamilyTask(rng, domain, 'train') : generateTask(rng, cfg);
      return { spec: t.spec, trace: t.trace, name: t.spec.name };
    },
    initialState(spec) {
      // Searches restart from the same spec object many times: validate it once.
      if (!validated.has(spec)) {
        validateSpec(spec, extended, maxLength, columns);
        validated.add(spec);
      }
      return initialReplState(spec);
    },
    legalMask: (s) => legalMaskOf(repl, s),
    randomLegalAction(s, rng) {
      const list = legalActionList(repl, s);
      return list.length === 0 ? null : list[rng.int(list.length)];
    },
    legalActions: (s) => legalActionList(repl, s),
    step: (s, a) => replStep(repl, s, a),
    isSolved: (s) => s.solved,
    // Without commits left nothing can reach the committed text any more.
    isTerminal: (s) => s.solved || s.commits >= maxCommits,
    score: progressScore,
    stateKey: stateKeyOf,
    program: committedProgram,
    print: printProgram,
    parse: parseProgram,
    describe(s) {
      return {
        scratch: s.scratch,
        committed: s.committed,
        pending: s.pending.map((a) => table.entries[a].name),
        lastAction: s.lastAction < 0 ? null : table.entries[s.lastAction].name,
        commits: s.commits,
        solved: s.solved,
        program: s.exprs.length ? printProgram({ exprs: s.exprs }) : null,
      };
    },
  };
  return domain;
}
