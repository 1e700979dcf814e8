/**
 * The token formulation: any problem as an MDP over its program tokens, the decoding space of
 * baselines without a REPL (RobustFill, CSGNet) and of LaSynth. An action appends one token of a fixed
 * vocabulary, the grammar masks illegal ones, and nothing runs until the end token: then the finished
 * program is evaluated once against the spec. Id convention: `${problem.id}-tokens`.
 */
import {
  resolveParams,
  type Domain,
  type DomainDefinition,
  type Metrics,
  type ParamSpec,
  type ParamValue,
  type Problem,
  type Rng,
  type StepResult,
  type Task,
  type TaskOptions,
} from '../core/index.js';
import { decodeTokens, programTokens, type TokenGrammar, type Tokenizer } from './grammar.js';

/** What the formulation needs of a problem (the full `Problem` fits). */
export type TokenProblem<Spec, Program> = Pick<
  Problem<Spec, Program>,
  'id' | 'evaluate' | 'print' | 'parse'
> &
  Partial<Pick<Problem<Spec, Program>, 'validate' | 'tokens' | 'fromTokens'>>;

/** A spec with the program that meets it (a generated task before it is turned into tokens). */
export interface SampledProgram<Spec, Program> {
  readonly spec: Spec;
  readonly program: Program;
  readonly name?: string;
}

export type SampleProgram<Spec, Program> = (rng: Rng, options?: TaskOptions) => SampledProgram<Spec, Program>;

export interface TokenFormulationOptions<Spec, Program> {
  /** Generated tasks: usually the REPL domain's generator, so both formulations see one distribution. */
  readonly sampleProgram: SampleProgram<Spec, Program>;
  /** Defaults to the problem's own `tokens`/`fromTokens`. */
  readonly tokenizer?: Tokenizer<Program>;
  /** Resolved parameters to report as `params` (default none). */
  readonly params?: Readonly<Record<string, ParamValue>>;
  /** Draws before `sampleTask` gives up on programs the grammar cannot write (default 100). */
  readonly maxAttempts?: number;
}

/**
 * A token prefix. States share their prefix through `parent` (appending is O(1) and never copies);
 * `grammar` is the grammar's immutable state after the prefix. Only the root holds the spec (the
 * finished program is evaluated once, and snapshots of deep prefixes stay small).
 */
export interface TokenState<Spec, Program, G> {
  /** The spec at the root, null below it (see `specOf`). */
  readonly spec: Spec | null;
  readonly parent: TokenState<Spec, Program, G> | null;
  /** The last token, −1 at the root. */
  readonly token: number;
  readonly length: number;
  readonly grammar: G;
  /** The prefix as token indices joined by '.', built by concatenation (cheap in V8). */
  readonly key: string;
  /** Set once the end token is written: the program and how well it meets the spec. */
  readonly done: { readonly program: Program; readonly metrics: Metrics } | null;
}

export type TokenDomain<Spec, Program, G> = Domain<Spec, TokenState<Spec, Program, G>, number, Program> & {
  readonly grammar: TokenGrammar<G>;
  readonly tokenizer: Tokenizer<Program>;
  /** The token indices of a state's prefix, in order. */
  prefix(state: TokenState<Spec, Program, G>): number[];
  /** The spec a state works on. */
  specOf(state: TokenState<Spec, Program, G>): Spec;
};

function problemTokenizer<Spec, Program>(problem: TokenProblem<Spec, Program>): Tokenizer<Program> {
  const { tokens, fromTokens } = problem;
  if (!tokens || !fromTokens)
    throw new Error(`token formulation: problem '${problem.id}' has no tokens/fromTokens; pass a tokenizer`);
  return { tokens: (p) => tokens.call(problem, p), fromTokens: (t) => fromTokens.call(problem, t) };
}

type State<Spec, Program, G> = TokenState<Spec, Program, G>;

/** The token MDP of a problem under a grammar (see the file header). */
export class TokenFormulation<Spec, Program, G> implements TokenDomain<Spec, Program, G> {
  readonly id: string;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly tokenizer: Tokenizer<Program>;
  readonly actionSpace: TokenDomain<Spec, Program, G>['actionSpace'];
  readonly maxDepth: number;
  private readonly size: number;
  private readonly validated = new WeakSet<object>();

  constructor(
    readonly problem: TokenProblem<Spec, Program>,
    readonly grammar: TokenGrammar<G>,
    private readonly opts: TokenFormulationOptions<Spec, Program>,
  ) {
    this.id = `${problem.id}-tokens`;
    this.params = opts.params ?? {};
    this.tokenizer = opts.tokenizer ?? problemTokenizer(problem);
    const vocabulary = grammar.vocabulary;
    this.size = vocabulary.length;
    this.actionSpace = { size: this.size, flat: true, name: (a) => vocabulary[a] ?? `?${a}`, key: (a) => a };
    this.maxDepth = grammar.maxTokens;
  }

  sampleTask(rng: Rng, options?: TaskOptions): Task<Spec, number> {
    const attempts = this.opts.maxAttempts ?? 100;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const s = this.opts.sampleProgram(rng, options);
      let names: readonly string[];
      try {
        names = this.tokenizer.tokens(s.program);
      } catch {
        continue;
      }
      // Programs outside the vocabulary or longer than the cap are drawn again.
      const trace = programTokens(this.grammar, names);
      if (trace) return { spec: s.spec, trace, ...(s.name !== undefined ? { name: s.name } : {}) };
    }
    throw new Error(`${this.id}: no sampled program fits the grammar in ${attempts} draws`);
  }

  initialState(spec: Spec): State<Spec, Program, G> {
    // Searches restart from the same spec object many times: validate it once.
    const isObject = typeof spec === 'object' && spec !== null;
    if (!isObject || !this.validated.has(spec)) {
      this.problem.validate?.(spec);
      if (isObject) this.validated.add(spec);
    }
    return { spec, parent: null, token: -1, length: 0, grammar: this.grammar.start(), key: '', done: null };
  }

  legalMask(s: State<Spec, Program, G>): Uint8Array {
    const out = new Uint8Array(this.size);
    if (s.done === null && s.length < this.grammar.maxTokens) this.grammar.legal(s.grammar, out);
    return out;
  }

  legalActions(s: State<Spec, Program, G>): number[] {
    const m = this.legalMask(s);
    const out: number[] = [];
    for (let t = 0; t < this.size; t++) if (m[t]) out.push(t);
    return out;
  }

  randomLegalAction(s: State<Spec, Program, G>, rng: Rng): number | null {
    const list = this.legalActions(s);
    return list.length === 0 ? null : list[rng.int(list.length)];
  }

  step(s: State<Spec, Program, G>, a: number): StepResult<State<Spec, Program, G>> {
    if (s.done !== null) return { ok: false, reason: 'the program is finished' };
    if (s.length >= this.grammar.maxTokens)
      return { ok: false, reason: `at most ${this.grammar.maxTokens} tokens` };
    const g = Number.isInteger(a) ? this.grammar.next(s.grammar, a) : null;
    if (g === null) {
      const name = this.grammar.vocabulary[a] ?? String(a);
      return { ok: false, reason: `token ${name} is not legal after '${this.describe(s)}'` };
    }
    const key = s.key === '' ? String(a) : `${s.key}.${a}`;
    const child = { spec: null, parent: s, token: a, length: s.length + 1, grammar: g, key, done: null };
    if (a !== this.grammar.end) return { ok: true, state: child };
    const done = this.finish(child);
    return typeof done === 'string' ? { ok: false, reason: done } : { ok: true, state: { ...child, done } };
  }

  /** The finished program and its metrics, or why the tokens do not make one. */
  private finish(s: State<Spec, Program, G>): State<Spec, Program, G>['done'] | string {
    const program = this.tokenizer.fromTokens(decodeTokens(this.grammar, this.prefix(s)));
    if (program === null) return `tokens '${this.describe(s)}' do not parse`;
    try {
      return { program, metrics: this.problem.evaluate(this.specOf(s), program) };
    } catch (e) {
      return `evaluate threw: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  isSolved(s: State<Spec, Program, G>): boolean {
    return s.done !== null && s.done.metrics.solved;
  }

  isTerminal(s: State<Spec, Program, G>): boolean {
    return s.done !== null || s.length >= this.grammar.maxTokens;
  }

  score(s: State<Spec, Program, G>): number {
    return s.done === null ? 0 : s.done.metrics.score;
  }

  stateKey(s: State<Spec, Program, G>): string {
    return s.key;
  }

  program(s: State<Spec, Program, G>): Program | null {
    return s.done === null ? null : s.done.program;
  }

  print(p: Program): string {
    return this.problem.print(p);
  }

  parse(text: string): Program {
    return this.problem.parse(text);
  }

  /** The prefix as text: token names separated by spaces. */
  describe(s: State<Spec, Program, G>): string {
    return decodeTokens(this.grammar, this.prefix(s)).join(' ');
  }

  prefix(s: State<Spec, Program, G>): number[] {
    const out = new Array<number>(s.length);
    for (let q: State<Spec, Program, G> | null = s; q && q.token >= 0; q = q.parent)
      out[q.length - 1] = q.token;
    return out;
  }

  specOf(s: State<Spec, Program, G>): Spec {
    let q = s;
    while (q.parent) q = q.parent;
    return q.spec as Spec;
  }
}

/** The token MDP of a problem under a grammar (see the file header). */
export function tokenFormulation<Spec, Program, G>(
  problem: TokenProblem<Spec, Program>,
  grammar: TokenGrammar<G>,
  opts: TokenFormulationOptions<Spec, Program>,
): TokenFormulation<Spec, Program, G> {
  return new TokenFormulation(problem, grammar, opts);
}

/** How to build a token formulation's parts from resolved parameters (they differ per problem). */
export interface TokenFormulationParts<Spec, Program, G> {
  readonly grammar: TokenGrammar<G>;
  readonly sampleProgram: SampleProgram<Spec, Program>;
  readonly tokenizer?: Tokenizer<Program>;
}

/** A registrable definition `${problem.id}-tokens` whose instances are token formulations. */
export function tokenFormulationDefinition<Spec, Program, G>(
  problem: TokenProblem<Spec, Program> & { readonly description?: string },
  setup: {
    readonly params: readonly ParamSpec[];
    readonly parts: (params: Readonly<Record<string, ParamValue>>) => TokenFormulationParts<Spec, Program, G>;
    readonly description?: string;
  },
): DomainDefinition {
  return {
    id: `${problem.id}-tokens`,
    problem: problem.id,
    description:
      setup.description ?? `${problem.description ?? problem.id}: token by token, without a REPL (decoders)`,
    params: setup.params,
    create(given = {}) {
      const params = resolveParams(setup.params, given);
      const parts = setup.parts(params);
      return tokenFormulation(problem, parts.grammar, {
        sampleProgram: parts.sampleProgram,
        tokenizer: parts.tokenizer,
        params,
      });
    },
  };
}
