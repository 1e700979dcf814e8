import type { ParamSpec, ParamValue } from './domain.js';
import type { Rng } from './rng.js';

/**
 * How well a program meets a spec. `score` in [0, 1] (1 = meets the spec) and `solved` are what every
 * method and report understands; the other fields are the problem's named metrics (iou, lines,
 * heldOutCorrect, fill …), JSON-able, written as they are into evaluation results.
 */
export interface Metrics {
  readonly score: number;
  readonly solved: boolean;
  readonly [name: string]: unknown;
}

/** A spec with a name, and facts about it that reports show (e.g. the ground truth's size). */
export interface NamedSpec<Spec> {
  readonly name: string;
  readonly spec: Spec;
  readonly facts?: Readonly<Record<string, unknown>>;
}

/** What parsing a user's input gave: specs, and warnings worth showing (e.g. "image was resized"). */
export interface ParsedInput<Spec> {
  readonly specs: readonly NamedSpec<Spec>[];
  readonly warnings?: readonly string[];
}

/**
 * A kind of user input (a JSONL/CSV task file, a PNG, a voxel file). Parsers take bytes, never paths:
 * reading files is the edge's job (CLI, browser), so problems run anywhere. Errors are `InputError`s
 * naming the file, line and field.
 */
export interface InputFormat<Spec> {
  /** Also the CLI flag of `eval` (`--tasks`, `--images`). */
  readonly id: string;
  /** The flag for one file of a folder format in `synth` (`--image`). */
  readonly single?: string;
  readonly description: string;
  /** 'file': one file holds many specs; 'folder': a folder of files, one spec each. */
  readonly kind: 'file' | 'folder';
  /** Lower-case extensions with the dot, e.g. ['.jsonl', '.csv']. */
  readonly extensions: readonly string[];
  /** `values`: the problem's declared option values (`io.options`), e.g. limits or `--no-header`. */
  parse(bytes: Uint8Array, name: string, values?: OptionValues): ParsedInput<Spec>;
}

/** A program written for use outside replsynth: JavaScript, OpenSCAD, SVG, JSON, STL … */
export interface Exporter<Program> {
  /** With the dot: '.js', '.scad'. */
  readonly extension: string;
  readonly description: string;
  write(program: Program): string | Uint8Array;
}

/** A command-line option a problem adds to `synth` (e.g. strings' `--apply ROW`). */
export interface ProblemOption extends ParamSpec {
  /** The option may be given several times; its value is then the list of strings. */
  readonly repeatable?: boolean;
}

export type OptionValues = Readonly<Record<string, ParamValue | readonly string[]>>;

/** One method's result on one spec, as evaluation results and `synth --json` record it. */
export interface ItemResult {
  readonly name: string;
  readonly search: string;
  readonly solved: boolean;
  readonly program: string | null;
  readonly timeMs: number;
  readonly nodes: number;
  readonly firstSolutionMs: number | null;
  readonly firstSolutionNodes: number | null;
  readonly [field: string]: unknown;
}

/** A summary statistic over one method's results (`ctx.timeoutMs` is the per-item budget). */
export type Aggregate = (results: readonly ItemResult[], ctx: { readonly timeoutMs: number }) => unknown;

export type CurveKind = 'solvedVsTime' | 'solvedVsNodes' | 'meanScoreVsTime';

/** What reports show for a problem: declared, so one summary, one plot and one printer serve all. */
export interface ProblemReport {
  /** What the items are called: the key of the results' item list ('tasks', 'scenes'). */
  readonly noun: string;
  /** Plot titles: `replsynth ${title}: …`. */
  readonly title: string;
  /** The name the problem gives `score` in traces and curves ('iou'); default 'score'. */
  readonly scoreName?: string;
  /** The field that holds an item's index in the results ('scene'); default none. */
  readonly indexField?: string;
  readonly curves: readonly CurveKind[];
  /** Result fields that hold an export of the program (field → exporter extension). */
  readonly exports?: Readonly<Record<string, string>>;
  /** Per method: name → statistic, in order (the results' `summary.<method>` object). */
  readonly summary: Readonly<Record<string, Aggregate>>;
  /** One line per method for the terminal, from its summary. */
  headline(summary: Readonly<Record<string, unknown>>): string;
  /** A few words on one item's result, for progress lines ("solved 0.02s held-out 3/3"). */
  brief(result: ItemResult): string;
  /** The lines `synth` prints for a result (program, metrics, exports …). */
  human(result: ItemResult): readonly string[];
}

/** How to generate evaluation tasks when the user gives no input file (e.g. seeded CAD scenes). */
export interface TaskGenerator<Spec> {
  /** Parameters, with defaults; the CLI offers each as an option of `eval`. */
  readonly params: readonly ParamSpec[];
  /** Also the eval flag: `--scenes N`. */
  readonly countFlag: string;
  readonly defaultCount: number;
  /** Task i of a seed: the same for every process that asks. */
  task(rng: Rng, i: number, params: Readonly<Record<string, ParamValue>>): NamedSpec<Spec>;
}

/** One part of a dataset: `replsynth data <problem> --<name> N` writes N items to OUT/<name>.jsonl. */
export interface DatasetSplit {
  readonly name: string;
  readonly description: string;
  readonly defaultCount: number;
}

/** What `replsynth data <problem>` asks a dataset generator for. */
export interface DatasetRequest<Item> {
  /** Items wanted per declared split. */
  readonly counts: Readonly<Record<string, number>>;
  readonly seed: number;
  /** Values of the generator's declared params, defaults filled in. */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** Receives every item as it is made, in order (so a large dataset is never held whole). */
  onItem(split: string, item: Item): void;
  /** Called now and then with the items made so far and the total asked for (for a progress bar). */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * A dataset made in independent pieces, so that many machines can share the work (`data … --queue`):
 * `work` turns candidates [from, to) of a seed into JSON-able outcomes on any machine; an assembler
 * takes the outcomes of candidates 0, 1, 2 … in order and gives exactly what `generate` gives.
 */
export interface DatasetPieces<Item = unknown> {
  /** Candidates per piece the generator suggests (a piece should take about a second). */
  readonly pieceSize: number;
  work(seed: number, params: Readonly<Record<string, ParamValue>>, from: number, to: number): unknown[];
  assembler(request: DatasetRequest<Item>): DatasetAssembler;
}

/** Takes the outcomes of consecutive pieces, in order, until the dataset is full. */
export interface DatasetAssembler {
  /** Takes the next piece's outcomes; returns true once every split is full (later ones are ignored). */
  offer(outcomes: readonly unknown[]): boolean;
  /** The statistics, as `generate` returns them (once full). */
  result(): unknown;
}

/**
 * A problem's dataset generator (training and evaluation data for its models): `replsynth data
 * <problem>` offers one option per split and per declared param, and writes each split as JSONL (one
 * `record` a line, in a format the problem's first input reads back) plus stats.json. Deterministic
 * for a seed; runs anywhere (no node modules: the CLI writes the files).
 */
export interface DatasetGenerator<Item = unknown> {
  readonly description: string;
  readonly splits: readonly DatasetSplit[];
  readonly params: readonly ParamSpec[];
  /** Makes the items (through `request.onItem`) and returns JSON-able statistics for stats.json. */
  generate(request: DatasetRequest<Item>): unknown;
  /** One item as one line of JSON (no newline). */
  record(item: Item): string;
  /** A few lines about the statistics for the terminal. */
  summary?(stats: unknown): readonly string[];
  /** The same generation in pieces (for a job queue), when the generator supports it. */
  readonly pieces?: DatasetPieces<Item>;
}

/**
 * A synthesis problem: what the user has (the spec), what counts as success (the metrics), and how
 * programs are read, written and shown. No MDP: the REPL is one *formulation* of a problem (a `Domain`
 * whose definition names the problem), a token MDP another. Implementations live in
 * src/domains/<id>/problem.ts and must not import node modules.
 *
 * Contract (checked by src/conformance on every registered problem): `evaluate` is pure and its score
 * is in [0, 1], `solved` implies score 1; `parse(print(p))` prints as `print(p)`; `fromTokens(tokens(p))`
 * prints as `print(p)`; generated tasks are deterministic for a seed.
 */
export interface Problem<Spec = unknown, Program = unknown> {
  readonly id: string;
  /** Other accepted names ('cad2d' for csg2d). */
  readonly aliases?: readonly string[];
  readonly description: string;
  /** Throws a SpecError when the spec cannot be worked on (too long, wrong arity …). */
  validate(spec: Spec): void;
  evaluate(spec: Spec, program: Program | null): Metrics;
  print(program: Program): string;
  /** Parses `print`'s output back; throws ParseError. */
  parse(text: string): Program;
  /** The program as tokens of a fixed vocabulary (enables the generic token formulation). */
  tokens?(program: Program): readonly string[];
  fromTokens?(tokens: readonly string[]): Program | null;
  /** Runs a program on one input (for featurisers over executions and executor supervision). */
  execute?(program: Program, input: unknown): unknown;
  readonly io: {
    readonly inputs: readonly InputFormat<Spec>[];
    /** Specs from command-line words (strings: 'Jane Smith => J. Smith'). */
    readonly inline?: {
      readonly usage: string;
      parse(words: readonly string[], values?: OptionValues): NamedSpec<Spec>[];
    };
    /** Options `synth` adds for this problem, and how they change a spec. */
    readonly options?: readonly ProblemOption[];
    withOptions?(spec: Spec, values: OptionValues): Spec;
    readonly generator?: TaskGenerator<Spec>;
    /** Datasets of generated tasks in splits (`replsynth data <problem>`). */
    readonly dataset?: DatasetGenerator;
    readonly exporters: readonly Exporter<Program>[];
    /** A picture of the target beside the program's output and their difference (PNG bytes). */
    render?(spec: Spec, program: Program): Uint8Array;
  };
  readonly report: ProblemReport;
  /** How the command line presents the problem. */
  readonly cli?: ProblemCli;
}

/** Command-line defaults of a problem. */
export interface ProblemCli {
  /** A friendly top-level command for `synth <problem>` ('strings', 'cad'). */
  readonly command?: string;
  readonly synth: {
    readonly timeoutS: number;
    readonly method: string;
    /** The flag `synth` uses for the input (default: the input format's id). */
    readonly inputFlag?: string;
    /** Exit code 1 unless this holds for every result (default: solved). */
    readonly ok?: (r: ItemResult) => boolean;
  };
  readonly eval: { readonly timeoutS: number; readonly methods: string };
  /** A bundled input (relative to the package root) that `replsynth demo` runs. */
  readonly demo?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProblem = Problem<any, any>;
