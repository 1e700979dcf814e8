/**
 * The reference domain the search checks run on: write a Reverse-Polish arithmetic expression (digits
 * 1–9, + − ×) whose value hits a target number. Small, flat (12 actions, with a legality mask) and
 * fast, so a search's conformance does not depend on any product domain. Not a product domain itself.
 */
import {
  ParseError,
  resolveParams,
  type Domain,
  type DomainDefinition,
  type Features,
  type ParamValue,
  type Rng,
  type StepResult,
  type Task,
} from '../core/index.js';

export interface ToySpec {
  readonly target: number;
}
export interface ToyState {
  readonly target: number;
  readonly stack: readonly number[];
  readonly tokens: readonly number[];
}
/** Actions 0–8 push digits 1–9; 9, 10, 11 are +, −, ×. */
export type ToyAction = number;
export type ToyDomain = Domain<ToySpec, ToyState, ToyAction, number[]>;

const OPS = ['+', '-', '*'];
const ACTIONS = 12;
const MAX_STACK = 3;
const MAX_DEPTH = 9;

function apply(op: number, a: number, b: number): number {
  return op === 0 ? a + b : op === 1 ? a - b : a * b;
}

function tokenName(a: number): string {
  return a < 9 ? String(a + 1) : OPS[a - 9];
}

function randomExpr(rng: Rng, size: number): number[] {
  if (size <= 1) return [rng.int(9)];
  const left = 1 + rng.int(size - 1);
  return [...randomExpr(rng, left), ...randomExpr(rng, size - left), 9 + rng.int(3)];
}

function push(stack: number[], a: number): void {
  if (a < 9) stack.push(a + 1);
  else {
    const b = stack.pop()!;
    const x = stack.pop()!;
    stack.push(apply(a - 9, x, b));
  }
}

function evalTokens(tokens: readonly number[]): number[] {
  const stack: number[] = [];
  for (const t of tokens) push(stack, t);
  return stack;
}

function legal(s: ToyState, a: number): boolean {
  return s.tokens.length < MAX_DEPTH && (a < 9 ? s.stack.length < MAX_STACK : s.stack.length >= 2);
}

function* legalActions(s: ToyState): Iterable<number> {
  for (let a = 0; a < ACTIONS; a++) if (legal(s, a)) yield a;
}

const features: Features<ToyState> = {
  shapes: { stack: [MAX_STACK + 1], target: [1] },
  dtypes: { stack: 'float32', target: 'float32' },
  encode(states) {
    const stack = new Float32Array(states.length * (MAX_STACK + 1));
    const target = new Float32Array(states.length);
    states.forEach((s, i) => {
      s.stack.forEach((v, j) => (stack[i * (MAX_STACK + 1) + j] = v / 100));
      stack[i * (MAX_STACK + 1) + MAX_STACK] = s.stack.length;
      target[i] = s.target / 100;
    });
    return { stack, target };
  },
};

function sampleTask(rng: Rng): Task<ToySpec, ToyAction> {
  const trace = randomExpr(rng, 1 + rng.int(3));
  return { spec: { target: evalTokens(trace)[0] }, trace };
}

function step(state: ToyState, a: number): StepResult<ToyState> {
  if (!Number.isInteger(a) || a < 0 || a >= ACTIONS) return { ok: false, reason: `no action ${a}` };
  if (!legal(state, a)) return { ok: false, reason: `${tokenName(a)} is not legal here` };
  const stack = state.stack.slice();
  push(stack, a);
  return { ok: true, state: { target: state.target, stack, tokens: [...state.tokens, a] } };
}

function parse(text: string): number[] {
  const out: number[] = [];
  let pos = 0;
  for (const tok of text.split(' ')) {
    const op = OPS.indexOf(tok);
    const i = /^[1-9]$/.test(tok) ? Number(tok) - 1 : op >= 0 ? 9 + op : -1;
    if (i < 0) throw new ParseError(`unexpected token '${tok}'`, pos);
    out.push(i);
    pos += tok.length + 1;
  }
  return out;
}

const isSolved = (s: ToyState): boolean => s.stack.length === 1 && s.stack[0] === s.target;

/** A fresh instance of the toy RPN domain (instances are interchangeable; the domain has no params). */
export function createToyDomain(): ToyDomain {
  return {
    id: 'toy',
    params: {},
    maxDepth: MAX_DEPTH,
    features,
    actionSpace: { size: ACTIONS, flat: true, name: tokenName, key: (a) => a },
    sampleTask,
    initialState: (spec) => ({ target: spec.target, stack: [], tokens: [] }),
    legalMask(state) {
      const m = new Uint8Array(ACTIONS);
      for (let a = 0; a < ACTIONS; a++) m[a] = legal(state, a) ? 1 : 0;
      return m;
    },
    randomLegalAction(state, rng) {
      const ok = [...legalActions(state)];
      return ok.length ? rng.pick(ok) : null;
    },
    legalActions,
    step,
    isSolved,
    isTerminal: (s) => isSolved(s) || s.tokens.length >= MAX_DEPTH,
    score: (s) => (s.stack.length === 0 ? 0 : 1 / (1 + Math.abs(s.stack[s.stack.length - 1] - s.target))),
    stateKey: (s) => s.stack.join(','),
    program: (s) => (s.stack.length === 1 ? s.tokens.slice() : null),
    print: (p) => p.map(tokenName).join(' '),
    parse,
    describe: (s) => ({ stack: s.stack, tokens: s.tokens.map(tokenName).join(' ') }),
  };
}

export const toyDefinition: DomainDefinition = {
  id: 'toy',
  description: 'Conformance reference: RPN arithmetic that hits a target number',
  params: [],
  create(params?: Readonly<Record<string, ParamValue>>) {
    resolveParams([], params); // rejects any parameter: the toy declares none
    return createToyDomain();
  },
};
