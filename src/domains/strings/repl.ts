/**
 * The REPL of "Write, Execute, Assess" for strings. Per example: input, scratch (starts as input
 * column 0), committed (starts empty) and target output. Every non-Commit action rewrites scratch;
 * Commit appends scratch to committed and resets scratch. A step fails on an index error, an action
 * out of phase, an action that changes nothing, or a committed string that is no longer a prefix of
 * the output. Solved when committed equals the output on every example.
 *
 * One departure from the original code: after the first phase of a multi-phase operation (e.g.
 * GetToken1) only its next phase is legal; the original let any other action silently drop it,
 * which only added dead actions to the search.
 */
import type { ActionEntry, ActionTable, Arg } from './actions.js';
import type { Expr, Op, Program, Source } from './dsl.js';
import { INPUT0 } from './dsl.js';
import { applyOp } from './interpreter.js';
import { specConstants, specTexts } from './proposals.js';

export interface StringsExample {
  /** Input columns (one in paper mode). */
  readonly inputs: readonly string[];
  readonly output: string;
}

export interface StringsSpec {
  readonly examples: readonly StringsExample[];
  /** Held-out rows (not seen by the REPL; used to check generalisation). */
  readonly tests?: readonly StringsExample[];
  /** Rows whose output the user wants filled in. */
  readonly fill?: readonly (readonly string[])[];
  readonly name?: string;
  /** Limits the user set (longest string, most columns); absent: the domain's own. */
  readonly limits?: { readonly maxLength?: number; readonly columns?: number };
}

export interface StringsState {
  readonly spec: StringsSpec;
  readonly scratch: readonly string[];
  readonly committed: readonly string[];
  /** Actions of the unfinished multi-phase operation (empty when none is pending). */
  readonly pending: readonly number[];
  /** Last action taken, −1 before the first. */
  readonly lastAction: number;
  readonly commits: number;
  readonly depth: number;
  /** Committed expressions, in order. */
  readonly exprs: readonly Expr[];
  /** The expression being written into scratch. */
  readonly current: Expr;
  readonly solved: boolean;
}

export interface ReplConfig {
  readonly table: ActionTable;
  readonly maxCommits: number;
}

export type StepOutcome = { ok: true; state: StringsState } | { ok: false; reason: string };

const fail = (reason: string): StepOutcome => ({ ok: false, reason });

// Column 0 of every example, shared by all states of a spec (states are immutable, so sharing is safe).
const firstColumns = new WeakMap<StringsSpec, readonly string[]>();
function firstColumn(spec: StringsSpec): readonly string[] {
  let c = firstColumns.get(spec);
  if (c === undefined) {
    c = spec.examples.map((e) => e.inputs[0]);
    firstColumns.set(spec, c);
  }
  return c;
}

function makeState(
  spec: StringsSpec,
  scratch: readonly string[],
  committed: readonly string[],
  pending: readonly number[],
  lastAction: number,
  commits: number,
  depth: number,
  exprs: readonly Expr[],
  current: Expr,
  solved: boolean,
): StringsState {
  // One constructor keeps every state the same shape, which keeps the step fast.
  return { spec, scratch, committed, pending, lastAction, commits, depth, exprs, current, solved };
}

const NO_PENDING: readonly number[] = [];
const NO_EXPRS: readonly Expr[] = [];
const EMPTY_EXPR: Expr = { source: INPUT0, ops: [] };

export function initialReplState(spec: StringsSpec): StringsState {
  const ex = spec.examples;
  return {
    spec,
    scratch: firstColumn(spec),
    committed: ex.map(() => ''),
    pending: NO_PENDING,
    lastAction: -1,
    commits: 0,
    depth: 0,
    exprs: NO_EXPRS,
    current: EMPTY_EXPR,
    solved: ex.every((e) => e.output === ''),
  };
}

/** Whether the action is in phase: the next phase of the pending operation, or a first phase. */
export function inPhase(cfg: ReplConfig, s: StringsState, e: ActionEntry): boolean {
  if (s.pending.length === 0) return e.phase === 0;
  const first = cfg.table.entries[s.pending[0]];
  return e.family === first.family && e.phase === s.pending.length;
}

function commit(cfg: ReplConfig, s: StringsState, action: number): StepOutcome {
  if (s.commits >= cfg.maxCommits) return fail(`at most ${cfg.maxCommits} commits`);
  const ex = s.spec.examples;
  const committed = new Array<string>(ex.length);
  let changed = false;
  let solved = true;
  for (let i = 0; i < ex.length; i++) {
    const c = s.committed[i] + s.scratch[i];
    const out = ex[i].output;
    if (!out.startsWith(c)) return fail(`committed text is not a prefix of the output (example ${i})`);
    if (s.scratch[i] !== '') changed = true;
    if (c.length !== out.length) solved = false;
    committed[i] = c;
  }
  if (!changed) return fail('commit of an empty scratch changes nothing');
  const exprs = [...s.exprs, s.current];
  return {
    ok: true,
    state: makeState(
      s.spec,
      firstColumn(s.spec),
      committed,
      NO_PENDING,
      action,
      s.commits + 1,
      s.depth + 1,
      exprs,
      EMPTY_EXPR,
      solved,
    ),
  };
}

/** Executes one action (never throws, never mutates `s`). */
export function replStep(cfg: ReplConfig, s: StringsState, action: number): StepOutcome {
  const table = cfg.table;
  if (!Number.isInteger(action) || action < 0 || action >= table.size) return fail(`no action ${action}`);
  if (s.solved) return fail('the task is already solved');
  const e = table.entries[action];
  if (!inPhase(cfg, s, e)) {
    const want =
      s.pending.length === 0
        ? 'a first-phase action'
        : `${table.entries[s.pending[0]].family.id}${s.pending.length + 1}`;
    return fail(`${e.name} out of phase: expected ${want}`);
  }
  const fam = e.family;
  if (fam.kind === 'commit') return commit(cfg, s, action);
  if (e.phase < fam.phases.length - 1) {
    // A first or middle phase only records its argument; scratch changes when the last phase comes.
    const pending = [...s.pending, action];
    return {
      ok: true,
      state: makeState(
        s.spec,
        s.scratch,
        s.committed,
        pending,
        action,
        s.commits,
        s.depth + 1,
        s.exprs,
        s.current,
        false,
      ),
    };
  }
  const built = fam.resolve ? resolveFor(table, s.spec, s.pending, e) : buildFor(table, s.pending, e);
  if (built === null) return fail(`${e.name} has no meaning`);
  const ex = s.spec.examples;
  const n = ex.length;
  const scratch = new Array<string>(n);
  let current: Expr;
  let changed = false;
  if (fam.kind === 'source') {
    const src = built as Source;
    for (let i = 0; i < n; i++) {
      let v: string;
      if (src.src === 'const') v = src.value;
      else {
        if (src.col >= ex[i].inputs.length) return fail(`example ${i} has no input column ${src.col}`);
        v = ex[i].inputs[src.col];
      }
      if (v !== s.scratch[i]) changed = true;
      scratch[i] = v;
    }
    current = { source: src, ops: [] };
  } else {
    const op = built as Op;
    for (let i = 0; i < n; i++) {
      const r = applyOp(op, s.scratch[i], ex[i].inputs);
      if (r === null) return fail(`${e.name}: index error on example ${i}`);
      if (r !== s.scratch[i]) changed = true;
      scratch[i] = r;
    }
    current = { source: s.current.source, ops: [...s.current.ops, op] };
  }
  if (!changed) return fail(`${e.name} changes nothing`);
  return {
    ok: true,
    state: makeState(
      s.spec,
      scratch,
      s.committed,
      NO_PENDING,
      action,
      s.commits,
      s.depth + 1,
      s.exprs,
      current,
      false,
    ),
  };
}

// Built ops are immutable, so each (pending phases, last phase) combination is built once.
const builtCache = new WeakMap<ActionTable, Map<string, Op | Source | null>>();
function buildFor(table: ActionTable, pending: readonly number[], e: ActionEntry): Op | Source | null {
  let m = builtCache.get(table);
  if (m === undefined) {
    m = new Map();
    builtCache.set(table, m);
  }
  const key = pending.length === 0 ? e.index : `${pending.join(',')},${e.index}`;
  const k = String(key);
  let b = m.get(k);
  if (b === undefined) {
    const args: Arg[] = pending.map((a) => table.entries[a].arg);
    args.push(e.arg);
    b = e.family.build(args) as Op | Source | null;
    m.set(k, b);
  }
  return b;
}

// Spec-dependent ops and sources (rich mode), built once per spec and action combination.
const resolvedCache = new WeakMap<StringsSpec, Map<string, Op | Source | null>>();
function resolveFor(
  table: ActionTable,
  spec: StringsSpec,
  pending: readonly number[],
  e: ActionEntry,
): Op | Source | null {
  let m = resolvedCache.get(spec);
  if (m === undefined) {
    m = new Map();
    resolvedCache.set(spec, m);
  }
  const k = pending.length === 0 ? String(e.index) : `${pending.join(',')},${e.index}`;
  let b = m.get(k);
  if (b === undefined) {
    const args: Arg[] = pending.map((a) => table.entries[a].arg);
    args.push(e.arg);
    b = e.family.resolve!(args, spec);
    m.set(k, b);
  }
  return b;
}

/** Legal actions of a state as a sorted index list (shared and cached: do not mutate). */
export function legalActionList(cfg: ReplConfig, s: StringsState): Int32Array {
  // Legality depends only on the pending phase and on whether Commit is allowed, so a handful of
  // lists cover every state; random rollouts and masks reuse them instead of scanning the table.
  let c = legalCache.get(cfg);
  if (c === undefined) {
    c = new Map();
    legalCache.set(cfg, c);
  }
  let key: string;
  if (s.solved) key = 'solved';
  else if (s.pending.length > 0) key = `${cfg.table.entries[s.pending[0]].family.id}/${s.pending.length}`;
  else key = s.commits < cfg.maxCommits && commitKeepsPrefix(s) ? 'free+commit' : 'free';
  // Rich mode: slot actions are legal only for the slots the spec proposes.
  if (cfg.table.slots && !s.solved && s.pending.length === 0)
    key += `/${specConstants(s.spec).length}/${specTexts(s.spec).length}`;
  let list = c.get(key);
  if (list === undefined) {
    list = computeLegal(cfg, s, key);
    c.set(key, list);
  }
  return list;
}

const legalCache = new WeakMap<ReplConfig, Map<string, Int32Array>>();

function computeLegal(cfg: ReplConfig, s: StringsState, key: string): Int32Array {
  const out: number[] = [];
  if (key === 'solved') return new Int32Array(0);
  if (s.pending.length > 0) {
    const first = cfg.table.entries[s.pending[0]];
    for (const e of cfg.table.entries)
      if (e.family === first.family && e.phase === s.pending.length) out.push(e.index);
  } else {
    const nc = cfg.table.slots ? specConstants(s.spec).length : 0;
    const nt = cfg.table.slots ? specTexts(s.spec).length : 0;
    for (const e of cfg.table.entries) {
      if (e.phase !== 0 || e.family.kind === 'commit') continue;
      if (e.slot && e.slot.k >= (e.slot.kind === 'const' ? nc : nt)) continue;
      out.push(e.index);
    }
    if (key.startsWith('free+commit')) out.push(cfg.table.commit);
    out.sort((a, b) => a - b);
  }
  return Int32Array.from(out);
}

/** Syntactic legality: in phase, commits left, and a Commit only when it keeps committed a prefix. */
export function legalMaskOf(cfg: ReplConfig, s: StringsState): Uint8Array {
  const mask = new Uint8Array(cfg.table.size);
  for (const a of legalActionList(cfg, s)) mask[a] = 1;
  return mask;
}

function commitKeepsPrefix(s: StringsState): boolean {
  let changed = false;
  const ex = s.spec.examples;
  for (let i = 0; i < ex.length; i++) {
    const sc = s.scratch[i];
    if (sc !== '') changed = true;
    if (!ex[i].output.startsWith(sc, s.committed[i].length)) return false;
  }
  return changed;
}

/** The committed program, or null before the first Commit. */
export function committedProgram(s: StringsState): Program | null {
  return s.exprs.length === 0 ? null : { exprs: s.exprs };
}

/** Mean over examples of the committed fraction of the output (committed is always a prefix). */
export function progressScore(s: StringsState): number {
  if (s.solved) return 1;
  const ex = s.spec.examples;
  let sum = 0;
  for (let i = 0; i < ex.length; i++)
    sum += ex[i].output.length === 0 ? 1 : s.committed[i].length / ex[i].output.length;
  return Math.min(sum / ex.length, 1 - 1e-9);
}

/** Observational-equivalence key: scratch and committed per example, the pending phase, commits. */
export function stateKeyOf(s: StringsState): string {
  return `${s.commits}|${s.pending.join(',')}|${s.scratch.join('\u0000')}\u0001${s.committed.join('\u0000')}`;
}
