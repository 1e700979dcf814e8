/**
 * Token grammars: a fixed vocabulary and an incremental parser that says, after any prefix, which
 * tokens may come next. Decoders without a REPL (RobustFill, CSGNet, LaSynth) write programs in this
 * form; the token formulation (token.ts) turns any grammar into an MDP.
 *
 * Domain folders implement these interfaces structurally (they may not import src/formulations).
 */
import type { Rng } from '../core/index.js';

/**
 * An incremental grammar over token indices `0 … vocabulary.length − 1`, with immutable states `G`.
 *
 * Contract (checked by the property tests of every implementation):
 * - `next` never mutates `g` and returns null exactly for the tokens `legal` marks 0.
 * - `end` is legal exactly when `isComplete(g)`; after it nothing is legal.
 * - Every legal prefix can still be completed (reach `end`) within `maxTokens` tokens in total.
 * - Every sequence of legal tokens that ends with `end` is accepted by the tokenizer's `fromTokens`.
 */
export interface TokenGrammar<G> {
  /** Token names; the index of a name is its token. */
  readonly vocabulary: readonly string[];
  /** The end token's index. */
  readonly end: number;
  /** Longest sequence, the end token included. */
  readonly maxTokens: number;
  /** The state before any token. */
  start(): G;
  /** The state after `token`, or null when the token is not legal here. */
  next(g: G, token: number): G | null;
  /** Writes 1 into `out[t]` for every legal token t and 0 elsewhere (`out.length` = vocabulary size). */
  legal(g: G, out: Uint8Array): void;
  /** True when the tokens so far form a whole program (the end token is legal or was given). */
  isComplete(g: G): boolean;
}

/** A problem's programs as token names, and back. */
export interface Tokenizer<Program> {
  /** The program's tokens, without the end token. May throw for programs the vocabulary cannot write. */
  tokens(program: Program): readonly string[];
  /** The program written by the tokens (a trailing end token is allowed), or null when malformed. */
  fromTokens(tokens: readonly string[]): Program | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTokenGrammar = TokenGrammar<any>;

const indexCache = new WeakMap<readonly string[], ReadonlyMap<string, number>>();

/** Name → token index of a vocabulary (cached per vocabulary array). */
export function tokenIndex(vocabulary: readonly string[]): ReadonlyMap<string, number> {
  let m = indexCache.get(vocabulary);
  if (!m) {
    m = new Map(vocabulary.map((name, i) => [name, i]));
    indexCache.set(vocabulary, m);
  }
  return m;
}

/** Token indices of names, or null when a name is not in the vocabulary. */
export function encodeTokens(grammar: AnyTokenGrammar, names: readonly string[]): number[] | null {
  const index = tokenIndex(grammar.vocabulary);
  const out: number[] = [];
  for (const n of names) {
    const t = index.get(n);
    if (t === undefined) return null;
    out.push(t);
  }
  return out;
}

/** Names of token indices. */
export function decodeTokens(grammar: AnyTokenGrammar, tokens: readonly number[]): string[] {
  return tokens.map((t) => grammar.vocabulary[t] ?? `?${t}`);
}

/** The state after a whole token sequence, or null at the first illegal token. */
export function walkTokens<G>(grammar: TokenGrammar<G>, tokens: readonly number[]): G | null {
  let g: G | null = grammar.start();
  for (let i = 0; i < tokens.length && g !== null; i++) g = grammar.next(g, tokens[i]);
  return g;
}

/**
 * Grammar tokens of a program's names followed by the end token, or null when a name is outside the
 * vocabulary, a token is illegal, the program is incomplete or it exceeds `maxTokens`.
 */
export function programTokens(grammar: AnyTokenGrammar, names: readonly string[]): number[] | null {
  const ids = encodeTokens(grammar, names);
  if (ids === null) return null;
  ids.push(grammar.end);
  if (ids.length > grammar.maxTokens) return null;
  return walkTokens(grammar, ids) === null ? null : ids;
}

/** A uniformly random legal token, or −1 when none is legal. */
export function randomLegalToken<G>(grammar: TokenGrammar<G>, g: G, rng: Rng, scratch?: Uint8Array): number {
  const mask = scratch ?? new Uint8Array(grammar.vocabulary.length);
  grammar.legal(g, mask);
  let n = 0;
  for (let t = 0; t < mask.length; t++) n += mask[t];
  if (n === 0) return -1;
  let k = rng.int(n);
  for (let t = 0; t < mask.length; t++) if (mask[t] && k-- === 0) return t;
  return -1;
}

/** A random walk of legal tokens from the start until nothing is legal (it ends with `end`). */
export function randomLegalWalk<G>(grammar: TokenGrammar<G>, rng: Rng, endBias = 0): number[] {
  const out: number[] = [];
  const mask = new Uint8Array(grammar.vocabulary.length);
  let g = grammar.start();
  for (;;) {
    grammar.legal(g, mask);
    // An end bias keeps walks short in grammars where most tokens open more structure.
    const t = mask[grammar.end] && rng.bool(endBias) ? grammar.end : randomLegalToken(grammar, g, rng, mask);
    if (t < 0) return out;
    out.push(t);
    const n = grammar.next(g, t);
    if (n === null) throw new Error(`grammar: legal token ${grammar.vocabulary[t]} was refused by next`);
    g = n;
  }
}
