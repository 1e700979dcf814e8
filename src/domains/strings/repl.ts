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

export function initialReplState(spec: StringsSpec): StringsState {
  const ex = spec.examples;
  return {
    spec,
    scratch: ex.map((e) => e.inputs[0]),
    committed: ex.map(() => ''),
    pending: [],
    lastAction: -1,
    commits: 0,
    depth: 0,
    exprs: [],
    current: { source: INPUT0, ops: [] },
    solved: ex.every((e) => e.output === ''),
  };
}

/** Whether the action is in phase: the next phase of the pending operation, or a first phase. */
export function inPhase(cfg: ReplConfig, s: StringsState, e: ActionEntry): boolean {
  if (s.pending.length === 0) return e.phase === 0;
  const first = cfg.table.entries[s.pending[0]];
  return e.family === first.family && e.phase === s.pending.length;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
  return {
    ok: true,
    state: {
      spec: s.spec,
      scratch: ex.map((e) => e.inputs[0]),
      committed,
      pending: [],
      lastAction: action,
      commits: s.commits + 1,
      depth: s.depth + 1,
      exprs: [...s.exprs, s.current],
      current: { source: INPUT0, ops: [] },
      solved,
    },
  };
}

/** Executes one action (never throws, never mutates `s`). */
export function replStep(cfg: ReplConfig, s: StringsState, action: number): StepOutcome {
  const table = cfg.table;
  if (!Number.isInteger(action) || action < 0 || action >= table.size) return fail(`no action ${action}`);
  if (s.solved) return fail('the task is already solved');
  const e = table.entries[action];
  if (!inPhase(cfg, s, e)) {
    const want = s.pending.length === 0 ? 'a first-phase action' : `${table.entries[s.pending[0]].family.id}${s.pending.length + 1}`;
    return fail(`${e.name} out of phase: expected ${want}`);
  }
  const fam = e.family;
  if (fam.kind === 'commit') return commit(cfg, s, action);
  const base = { spec: s.spec, committed: s.committed, commits: s.commits, depth: s.depth + 1, exprs: s.exprs, solved: false };
  if (e.phase < fam.phases.length - 1) {
    // A first or middle phase only records its argument; scratch changes when the last phase comes.
    return { ok: true, state: { ...base, scratch: s.scratch, pending: [...s.pending, action], lastAction: action, current: s.current } };
  }
  const args: Arg[] = s.pending.map((a) => table.entries[a].arg);
  args.push(e.arg);
  const built = fam.build(args);
  if (built === null) return fail(`${e.name} has no meaning`);
  const ex = s.spec.examples;
  const scratch = new Array<string>(ex.length);
  let current: Expr;
  if (fam.kind === 'source') {
    const src = built as Source;
    for (let i = 0; i < ex.length; i++) {
      if (src.src === 'const') scratch[i] = src.value;
      else {
        if (src.col >= ex[i].inputs.length) return fail(`example ${i} has no input column ${src.col}`);
        scratch[i] = ex[i].inputs[src.col];
      }
    }
    current = { source: src, ops: [] };
  } else {
    const op = built as Op;
    for (let i = 0; i < ex.length; i++) {
      const r = applyOp(op, s.scratch[i]);
      if (r === null) return fail(`${e.name}: index error on example ${i}`);
      scratch[i] = r;
    }
    current = { source: s.current.source, ops: [...s.current.ops, op] };
  }
  if (sameStrings(scratch, s.scratch)) return fail(`${e.name} changes nothing`);
  return { ok: true, state: { ...base, scratch, pending: [], lastAction: action, current } };
}

/** Syntactic legality: in phase, commits left, and a Commit only when it keeps committed a prefix. */
export function legalMaskOf(cfg: ReplConfig, s: StringsState): Uint8Array {
  const table = cfg.table;
  const mask = new Uint8Array(table.size);
  if (s.solved) return mask;
  if (s.pending.length > 0) {
    const first = table.entries[s.pending[0]];
    for (const e of table.entries) if (e.family === first.family && e.phase === s.pending.length) mask[e.index] = 1;
    return mask;
  }
  for (const e of table.entries) if (e.phase === 0 && e.family.kind !== 'commit') mask[e.index] = 1;
  if (s.commits < cfg.maxCommits && commitKeepsPrefix(s)) mask[table.commit] = 1;
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
  for (let i = 0; i < ex.length; i++) sum += ex[i].output.length === 0 ? 1 : s.committed[i].length / ex[i].output.length;
  return Math.min(sum / ex.length, 1 - 1e-9);
}

/** Observational-equivalence key: scratch and committed per example, the pending phase, commits. */
export function stateKeyOf(s: StringsState): string {
  return `${s.commits}|${s.pending.join(',')}|${s.scratch.join('\u0000')}\u0001${s.committed.join('\u0000')}`;
}
