import type { Rng } from './rng.js';

/** A declared domain parameter: its type, default and meaning (listed by `replsynth domains`). */
export type ParamValue = number | boolean | string;

export interface ParamSpec {
  readonly name: string;
  readonly type: 'int' | 'float' | 'bool' | 'enum' | 'string';
  readonly default: ParamValue;
  readonly description: string;
  readonly choices?: readonly string[];
  readonly min?: number;
  readonly max?: number;
}

/** A task: what the user gives (the spec) and, for generated tasks, one action trace that solves it. */
export interface Task<Spec, Action> {
  readonly spec: Spec;
  /** Actions that, replayed from `initialState(spec)`, reach a solved state. */
  readonly trace: readonly Action[];
  /** Optional human-readable name (template id, file line …). */
  readonly name?: string;
}

/** Result of one REPL step: a new state, or a typed failure (the branch dies). */
export type StepResult<State> =
  { readonly ok: true; readonly state: State } | { readonly ok: false; readonly reason: string };

/** Options for `sampleTask`; domains may read more fields from `extra`. */
export interface TaskOptions {
  /** Upper bound on program size in the domain's own unit (expressions, shapes …). */
  readonly maxSize?: number;
  readonly extra?: Readonly<Record<string, ParamValue>>;
}

/** A dense tensor made of one state's features (the batch dimension is added by `encode`). */
export interface FeatureTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array;
}

/** How a domain turns states into network inputs. */
export interface Features<State> {
  /** Per-state shape of every named feature tensor (without the batch dimension). Constant. */
  readonly shapes: Readonly<Record<string, readonly number[]>>;
  /** Element type of every named feature tensor. */
  readonly dtypes: Readonly<Record<string, 'float32' | 'int32'>>;
  /**
   * Encodes a batch of states: for each name, one typed array of length batch × product(shape),
   * states in order. Must not allocate per-position objects (it runs in the search's hot path).
   */
  encode(states: readonly State[]): Record<string, Float32Array | Int32Array>;
}

/** Flat action spaces (every action an integer in [0, size)) can expose a legality mask. */
export interface ActionSpace<Action> {
  /** Number of distinct actions (may be astronomically large for structured spaces). */
  readonly size: number;
  /** True when actions are the integers 0 … size−1 and `legalMask` is implemented. */
  readonly flat: boolean;
  /** A short readable name of an action, e.g. "GetToken1(Word)". */
  name(action: Action): string;
  /** A key equal for equal actions: used to merge identical children and to order deterministically. */
  key(action: Action): string | number;
}

/**
 * A synthesis domain: a language, its REPL, task generator and features. A domain instance is
 * immutable and holds its resolved parameters. Implementations live in src/domains/<id>/.
 *
 * Contract (checked by test/conformance/check-domain.ts on every registered domain):
 * - Determinism: `sampleTask` depends only on the rng and options; the same seed gives the same task.
 * - Purity: `step` never mutates its input state and never throws for a bad action — it returns a
 *   typed failure instead. States may share immutable structure.
 * - `initialState(task.spec)` followed by `task.trace` reaches a state with `isSolved` true.
 * - `parse(print(p))` equals `p` (structurally) for every program the domain can produce.
 * - `randomLegalAction` never returns an action whose `step` throws; it returns null only when no
 *   action is legal (terminal state).
 * - `features.encode` gives the same shapes for every state.
 */
export interface Domain<Spec, State, Action, Program = unknown> {
  readonly id: string;
  /** Resolved parameter values of this instance (defaults filled in). */
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly actionSpace: ActionSpace<Action>;
  /** Longest action sequence a search should try from the initial state. */
  readonly maxDepth: number;
  /** Optional state features for neural evaluators. */
  readonly features?: Features<State>;

  /** A random task with a ground-truth action trace. */
  sampleTask(rng: Rng, options?: TaskOptions): Task<Spec, Action>;
  /** The REPL state before any action. Throws a `SpecError` when the spec is unusable. */
  initialState(spec: Spec): State;
  /** Flat spaces only: 1 for actions that are legal in this state, 0 otherwise. */
  legalMask?(state: State): Uint8Array;
  /** A uniformly random legal action, or null when none is legal. */
  randomLegalAction(state: State, rng: Rng): Action | null;
  /** All legal actions, lazily (for enumeration baselines; may be large). */
  legalActions(state: State): Iterable<Action>;
  /** Executes one action: the REPL step. */
  step(state: State, action: Action): StepResult<State>;
  /** True when some program in the state satisfies the whole spec. */
  isSolved(state: State): boolean;
  /** True when no further action can change the outcome (solved, or out of moves). */
  isTerminal(state: State): boolean;
  /** Quality of the best program in the state, in [0, 1] (1 = satisfies the spec). */
  score(state: State): number;
  /** A key equal for states the search may treat as identical (observational equivalence). */
  stateKey(state: State): string;
  /** The best program written so far in this state (null before anything useful exists). */
  program(state: State): Program | null;
  /** Readable source text of a program. */
  print(program: Program): string;
  /** Parses `print`'s output back; throws `ParseError` on bad text. */
  parse(text: string): Program;
  /** A JSON-able description of a state, for golden playthrough files and debugging. */
  describe(state: State): unknown;
}

/**
 * A registered domain — a *formulation* of a problem as an MDP (the REPL; a token MDP …): how to build
 * instances with given parameters. Searches, conformance and golden files work on these.
 */
export interface DomainDefinition {
  readonly id: string;
  /** The problem this formulates (default: the same id as the domain). */
  readonly problem?: string;
  readonly description: string;
  readonly params: readonly ParamSpec[];
  /** Extra parameter sets that get their own golden playthrough file (e.g. a paper-faithful mode). */
  readonly goldenVariants?: readonly {
    readonly name: string;
    readonly params: Readonly<Record<string, ParamValue>>;
  }[];
  // The instance type is erased here; callers that know the domain cast to its concrete type.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  create(params?: Readonly<Record<string, ParamValue>>): Domain<any, any, any, any>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDomain = Domain<any, any, any, any>;

/** Raised by `parse` for malformed program text; `position` is a 0-based character offset. */
export class ParseError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'ParseError';
  }
}

/** Raised for a spec the domain cannot work with (too long, wrong arity, …). */
export class SpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpecError';
  }
}

/** Fills defaults and validates values against their ParamSpecs; throws a one-line Error. */
export function resolveParams(
  specs: readonly ParamSpec[],
  given: Readonly<Record<string, ParamValue>> = {},
): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const key of Object.keys(given)) {
    if (!specs.some((s) => s.name === key)) {
      throw new Error(`unknown parameter '${key}' (known: ${specs.map((s) => s.name).join(', ') || 'none'})`);
    }
  }
  for (const s of specs) {
    const v = s.name in given ? given[s.name] : s.default;
    out[s.name] = checkParam(s, v);
  }
  return out;
}

function checkParam(s: ParamSpec, v: ParamValue | undefined): ParamValue {
  if (v === undefined) return s.default;
  const bad = (why: string): never => {
    throw new Error(`parameter '${s.name}': ${why}`);
  };
  switch (s.type) {
    case 'bool':
      if (typeof v === 'boolean') return v;
      if (v === 'true' || v === 'false') return v === 'true';
      return bad(`expected true or false, got '${v}'`);
    case 'int':
    case 'float': {
      const n = typeof v === 'number' ? v : Number(v);
      if (!Number.isFinite(n) || (s.type === 'int' && !Number.isInteger(n)))
        bad(`expected ${s.type}, got '${v}'`);
      if (s.min !== undefined && n < s.min) bad(`must be ≥ ${s.min}, got ${n}`);
      if (s.max !== undefined && n > s.max) bad(`must be ≤ ${s.max}, got ${n}`);
      return n;
    }
    case 'enum':
      if (typeof v === 'string' && s.choices?.includes(v)) return v;
      return bad(`expected one of ${s.choices?.join('|')}, got '${v}'`);
    case 'string':
      return String(v);
  }
}

// Small helper whose absence would make every domain re-implement the same loop.
/** Replays actions from the initial state; returns the final state or the failing step. */
export function replay<Spec, State, Action>(
  domain: Domain<Spec, State, Action>,
  spec: Spec,
  actions: readonly Action[],
): { ok: true; state: State; states: State[] } | { ok: false; at: number; reason: string; states: State[] } {
  let state = domain.initialState(spec);
  const states = [state];
  for (let i = 0; i < actions.length; i++) {
    const r = domain.step(state, actions[i]);
    if (!r.ok) return { ok: false, at: i, reason: r.reason, states };
    state = r.state;
    states.push(state);
  }
  return { ok: true, state, states };
}
