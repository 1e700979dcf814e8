/**
 * `replsynth data minic`: train/val/test splits of distinct behaviours, one JSON task a line, and
 * statistics that set the result beside the paper's constraints (REFERENCE §2). Candidate i of a seed
 * depends on nothing else, so a smaller dataset of the same seed is a prefix of a larger one.
 */
import { Rng, type DatasetGenerator, type ParamValue } from '../../core/index.js';
import { CONST_MAX, CONST_MIN, LIST_LENGTH, MAX_PROGRAM_TOKENS, printProgram, programShape } from './dsl.js';
import {
  EXAMPLES_PER_TASK,
  SPLITS,
  TESTS_PER_TASK,
  candidateTask,
  looksTrivial,
  type MinicExample,
  type MinicTask,
  type Rejected,
  type RejectReason,
  type Split,
} from './dataset.js';
import { defaultGeneratorOptions } from './generator.js';

/** The name of a task: its behaviour key, the same in every dataset. */
export const taskName = (t: MinicTask): string => `minic-${t.key}`;

/** One task as a JSONL line (the format the `tasks` input reads). */
export function taskRecord(t: MinicTask): string {
  const ex = (e: MinicExample) => ({ input: e.input, output: e.output });
  return JSON.stringify({
    name: taskName(t),
    program: printProgram(t.program),
    examples: t.spec.examples.map(ex),
    tests: t.spec.tests.map(ex),
  });
}

export interface SplitStats {
  readonly tasks: number;
  readonly tokens: {
    readonly min: number | null;
    readonly max: number | null;
    readonly mean: number | null;
    /** Programs per 16-token bucket ("64-79": 1234), whole functions counted. */
    readonly histogram: Readonly<Record<string, number>>;
  };
  /** Shares of programs with at least one such construct. */
  readonly share: {
    readonly forLoop: number;
    readonly nestedLoop: number;
    readonly if: number;
    readonly break: number;
    readonly continue: number;
  };
  readonly values: { readonly min: number | null; readonly max: number | null };
  /** Tasks whose examples and tests all show the identity or one constant output. */
  readonly trivial: number;
  readonly listLengthsOk: boolean;
  readonly examplesPerTaskOk: boolean;
}

const BUCKET = 16;

/**
 * Statistics of tasks, computed from the tasks themselves (not from what the generator promised),
 * one task at a time so a dataset never has to be held in memory.
 */
export class StatsBuilder {
  private readonly hist: Record<string, number> = {};
  private n = 0;
  private sum = 0;
  private min = Infinity;
  private max = -Infinity;
  private vmin = Infinity;
  private vmax = -Infinity;
  private readonly count = { forLoop: 0, nestedLoop: 0, if: 0, break: 0, continue: 0 };
  private trivial = 0;
  private lengthsOk = true;
  private examplesOk = true;

  add(t: MinicTask): void {
    const s = programShape(t.program);
    this.n++;
    this.sum += s.tokens;
    this.min = Math.min(this.min, s.tokens);
    this.max = Math.max(this.max, s.tokens);
    const b = Math.floor(s.tokens / BUCKET) * BUCKET;
    const label = `${b}-${b + BUCKET - 1}`;
    this.hist[label] = (this.hist[label] ?? 0) + 1;
    if (s.loops > 0) this.count.forLoop++;
    if (s.loopDepth > 1) this.count.nestedLoop++;
    if (s.ifs > 0) this.count.if++;
    if (s.breaks > 0) this.count.break++;
    if (s.continues > 0) this.count.continue++;
    const all = [...t.spec.examples, ...t.spec.tests];
    if (looksTrivial(all)) this.trivial++;
    if (t.spec.examples.length !== EXAMPLES_PER_TASK || t.spec.tests.length !== TESTS_PER_TASK)
      this.examplesOk = false;
    for (const e of all) {
      if (e.input.length !== LIST_LENGTH || e.output.length !== LIST_LENGTH) this.lengthsOk = false;
      for (const xs of [e.input, e.output])
        for (const v of xs) {
          if (v < this.vmin) this.vmin = v;
          if (v > this.vmax) this.vmax = v;
        }
    }
  }

  result(): SplitStats {
    const n = this.n;
    const share = (k: number): number => (n ? Number((k / n).toFixed(4)) : 0);
    const sorted = Object.keys(this.hist).sort((a, b) => parseInt(a) - parseInt(b));
    const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
    const c = this.count;
    return {
      tasks: n,
      tokens: {
        min: finite(this.min),
        max: finite(this.max),
        mean: n ? Number((this.sum / n).toFixed(2)) : null,
        histogram: Object.fromEntries(sorted.map((k) => [k, this.hist[k]])),
      },
      share: {
        forLoop: share(c.forLoop),
        nestedLoop: share(c.nestedLoop),
        if: share(c.if),
        break: share(c.break),
        continue: share(c.continue),
      },
      values: { min: finite(this.vmin), max: finite(this.vmax) },
      trivial: this.trivial,
      listLengthsOk: this.lengthsOk,
      examplesPerTaskOk: this.examplesOk,
    };
  }
}

/** Statistics of a list of tasks. */
export function splitStats(tasks: readonly MinicTask[]): SplitStats {
  const b = new StatsBuilder();
  for (const t of tasks) b.add(t);
  return b.result();
}

interface Constraint {
  readonly constraint: string;
  readonly paper: string;
  readonly measured: string;
  readonly holds: boolean;
}

function constraints(all: SplitStats, distinct: boolean): Constraint[] {
  const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
  return [
    {
      constraint: 'programs of at most 256 tokens',
      paper: `≤ ${MAX_PROGRAM_TOKENS} tokens`,
      measured: `longest ${all.tokens.max ?? '-'} tokens, mean ${all.tokens.mean ?? '-'}`,
      holds: (all.tokens.max ?? 0) <= MAX_PROGRAM_TOKENS,
    },
    {
      constraint: 'every input and output value in [−4, 4]',
      paper: `[${CONST_MIN}, ${CONST_MAX}]`,
      measured: `[${all.values.min ?? '-'}, ${all.values.max ?? '-'}]`,
      holds: all.tasks === 0 || ((all.values.min ?? 0) >= CONST_MIN && (all.values.max ?? 0) <= CONST_MAX),
    },
    {
      constraint: 'no trivial program (identity or constant output)',
      paper: 'removed',
      measured: `${all.trivial} trivial`,
      holds: all.trivial === 0,
    },
    {
      constraint: 'at least half the programs contain a for loop',
      paper: '≥ 50 %',
      measured: pct(all.share.forLoop),
      holds: all.tasks === 0 || all.share.forLoop >= 0.5,
    },
    {
      constraint: `lists of ${LIST_LENGTH} ints; ${EXAMPLES_PER_TASK} examples and ${TESTS_PER_TASK} held-out tests per task`,
      paper: `${LIST_LENGTH} ints, ${EXAMPLES_PER_TASK} + ${TESTS_PER_TASK}`,
      measured: all.listLengthsOk && all.examplesPerTaskOk ? 'every task' : 'some tasks differ',
      holds: all.listLengthsOk && all.examplesPerTaskOk,
    },
    {
      constraint: 'no two tasks with the same behaviour on the probe set (within and across splits)',
      paper: 'deduplicated',
      measured: distinct ? 'all distinct' : 'duplicates found',
      holds: distinct,
    },
  ];
}

type Counts = Readonly<Record<string, number>>;

const candidateOptions = (params: Readonly<Record<string, ParamValue>>) => ({
  maxStatements: (params.maxStatements as number | undefined) ?? defaultGeneratorOptions.maxStatements,
  loopRate: (params.loopRate as number | undefined) ?? defaultGeneratorOptions.loopRate,
});

/**
 * Takes candidates in seed order, each behaviour once, until every split is full: each task goes to
 * `onItem` as it is taken (nothing is kept but the behaviour keys). A candidate made here asks `want`
 * itself (so unwanted ones skip sampling); one made elsewhere without it (a piece of work on a queue)
 * is asked at the same point of the order, so both give the same tasks and statistics.
 */
export class MinicAssembler {
  private readonly wanted: Record<Split, number>;
  private readonly total: number;
  private readonly made: Record<Split, number> = { train: 0, val: 0, test: 0 };
  private readonly stats = Object.fromEntries(SPLITS.map((s) => [s, new StatsBuilder()])) as Record<
    Split,
    StatsBuilder
  >;
  private readonly everything = new StatsBuilder();
  private readonly seen = new Set<string>();
  private readonly rejected: Record<RejectReason | 'duplicate', number> = {
    error: 0,
    identity: 0,
    constant: 0,
    range: 0,
    tokens: 0,
    unwanted: 0,
    duplicate: 0,
  };
  private done = 0;
  private candidates = 0;
  private readonly limit: number;
  /** The options candidates are made with here (`want` included). */
  readonly options: ReturnType<typeof candidateOptions> & { want: (split: Split, key: string) => boolean };

  constructor(
    counts: Counts,
    private readonly seed: number,
    params: Readonly<Record<string, ParamValue>>,
    private readonly onItem: (split: Split, task: MinicTask) => void,
    private readonly onProgress?: (done: number, total: number) => void,
  ) {
    this.wanted = Object.fromEntries(SPLITS.map((s) => [s, Math.max(0, counts[s] ?? 0)])) as Record<
      Split,
      number
    >;
    this.total = SPLITS.reduce((a, s) => a + this.wanted[s], 0);
    // Splits hold 90/5/5 % of behaviours: a generous bound that still stops a hopeless request.
    this.limit = 200 * this.total + 100_000;
    this.options = { ...candidateOptions(params), want: (split, key) => this.want(split, key) };
  }

  private want(split: Split, key: string): boolean {
    if (this.seen.has(key)) {
      this.rejected.duplicate++;
      return false;
    }
    return this.made[split] < this.wanted[split];
  }

  get full(): boolean {
    return this.done >= this.total;
  }

  /** The index of the next candidate to take (its rng is `new Rng(seed).derive(index)`). */
  get next(): number {
    if (this.candidates >= this.limit)
      throw new Error(`minic data: the splits were not filled after ${this.candidates} candidate programs`);
    return this.candidates;
  }

  /** Takes the next candidate; `remote`: it was made without `want`, which is asked now. */
  take(t: MinicTask | Rejected, remote = false): void {
    this.candidates++;
    if (remote && (!('reject' in t) || t.key !== undefined) && !this.want(t.split!, t.key!)) {
      this.rejected.unwanted++;
      return;
    }
    if ('reject' in t) {
      this.rejected[t.reject]++;
      return;
    }
    this.seen.add(t.key);
    this.made[t.split]++;
    this.stats[t.split].add(t);
    this.everything.add(t);
    this.onItem(t.split, t);
    this.done++;
    if (this.onProgress && (this.done % 500 === 0 || this.done === this.total))
      this.onProgress(this.done, this.total);
  }

  /** Takes the outcomes of the next candidates (made elsewhere) until full; returns whether it is. */
  offer(outcomes: readonly unknown[]): boolean {
    for (const t of outcomes) {
      if (this.full) break;
      void this.next;
      this.take(t as MinicTask | Rejected, true);
    }
    return this.full;
  }

  result() {
    const rejected = { ...this.rejected, unwanted: this.rejected.unwanted - this.rejected.duplicate };
    const all = this.everything.result();
    return {
      seed: this.seed,
      params: { maxStatements: this.options.maxStatements, loopRate: this.options.loopRate },
      candidates: this.candidates,
      rejected,
      splits: Object.fromEntries(SPLITS.map((s) => [s, this.stats[s].result()])),
      all,
      paper: constraints(all, this.seen.size === this.done),
    };
  }
}

/** Candidates [from, to) of a seed, made without `want` (a piece of work for another machine). */
export function candidatePiece(
  seed: number,
  params: Readonly<Record<string, ParamValue>>,
  from: number,
  to: number,
): (MinicTask | Rejected)[] {
  const base = new Rng(seed);
  const options = candidateOptions(params);
  const out: (MinicTask | Rejected)[] = [];
  for (let i = from; i < to; i++) out.push(candidateTask(base.derive(i), options));
  return out;
}

/** Generates the splits here (see MinicAssembler) and returns the statistics. */
export function generateDataset(
  counts: Counts,
  seed: number,
  params: Readonly<Record<string, ParamValue>>,
  onItem: (split: Split, task: MinicTask) => void,
  onProgress?: (done: number, total: number) => void,
) {
  const a = new MinicAssembler(counts, seed, params, onItem, onProgress);
  const base = new Rng(seed);
  while (!a.full) a.take(candidateTask(base.derive(a.next), a.options));
  return a.result();
}

/** A whole dataset in memory (tests and benchmarks). */
export function datasetInMemory(
  counts: Counts,
  seed: number,
  params: Readonly<Record<string, ParamValue>> = {},
) {
  const splits: Record<Split, MinicTask[]> = { train: [], val: [], test: [] };
  const stats = generateDataset(counts, seed, params, (s, t) => splits[s].push(t));
  return { splits, stats };
}

export const MINIC_DATASET_PARAMS = [
  {
    name: 'maxStatements',
    type: 'int' as const,
    default: defaultGeneratorOptions.maxStatements,
    min: 1,
    max: 40,
    description: 'most statements in a generated program (nested ones included)',
  },
  {
    name: 'loopRate',
    type: 'float' as const,
    default: defaultGeneratorOptions.loopRate,
    min: 0,
    max: 1,
    description: 'share of generated programs built around a for loop',
  },
];

/** The `io.dataset` of the minic problem. */
export const minicDatasets: DatasetGenerator<MinicTask> = {
  description: 'restricted-C tasks with the paper constraints: train/val/test JSONL files and stats.json',
  splits: [
    { name: 'train', description: 'training tasks', defaultCount: 1000 },
    { name: 'val', description: 'validation tasks', defaultCount: 100 },
    { name: 'test', description: 'test tasks', defaultCount: 100 },
  ],
  params: MINIC_DATASET_PARAMS,
  generate: (r) => generateDataset(r.counts, r.seed, r.params, (s, t) => r.onItem(s, t), r.onProgress),
  pieces: {
    pieceSize: 2000,
    work: candidatePiece,
    assembler: (r) => new MinicAssembler(r.counts, r.seed, r.params, (s, t) => r.onItem(s, t), r.onProgress),
  },
  record: taskRecord,
  summary(stats) {
    const s = stats as ReturnType<typeof generateDataset>;
    const lines = [
      `${s.all.tasks} tasks from ${s.candidates} candidate programs; tokens ${s.all.tokens.min}–${s.all.tokens.max} (mean ${s.all.tokens.mean}); for ${(100 * s.all.share.forLoop).toFixed(1)} %, nested ${(100 * s.all.share.nestedLoop).toFixed(1)} %, if ${(100 * s.all.share.if).toFixed(1)} %, break ${(100 * s.all.share.break).toFixed(1)} %, continue ${(100 * s.all.share.continue).toFixed(1)} %`,
    ];
    for (const c of s.paper) lines.push(`${c.holds ? 'ok  ' : 'FAIL'} ${c.constraint}: ${c.measured}`);
    return lines;
  },
};
