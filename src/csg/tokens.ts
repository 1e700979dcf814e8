/**
 * CSG programs as tokens, for decoders without a REPL (CSGNet), for any primitive set: the tree in
 * prefix notation, an operator or primitive head followed by one token per parameter, named by its
 * field (`diff circle x=16 y=16 d=20 rect x1=10 y1=10 x2=22 y2=22 <end>`). The grammar (structurally a
 * TokenGrammar of src/formulations) walks a trie of every valid primitive, so it allows exactly the
 * REPL's parameter ranges, and keeps every prefix completable within the token cap.
 */
import { resolveParams, type ParamSpec, type ParamValue, type Rng, type TaskOptions } from '../core/index.js';
import type { CombineOp, CsgPrimitives, CsgProgram } from './program.js';

export const END_TOKEN = '<end>';
const COMBINES: readonly CombineOp[] = ['union', 'diff'];

/** What differs between the token schemes of two CSG problems. */
export interface CsgTokenConfig<P extends { readonly op: string }> extends CsgPrimitives<P> {
  /** The problem id, for messages (`csg2d tokens: …`). */
  readonly id: string;
  /** Every valid primitive, in the action space's fixed order (the trie's order). */
  readonly allPrimitives: readonly P[];
  /** Field names in vocabulary order. */
  readonly vocabularyFields: readonly string[];
  /** Tokens of the smallest subtree (head and parameters of the smallest primitive). */
  readonly minSubtree: number;
  /** The token of one parameter value, e.g. `x1=4`. */
  fieldToken(field: string, value: number): string;
  /** The value a token gives the parameter `field`, or null when it is not a token of that field. */
  fieldValue(field: string, token: string): number | null;
}

/** The program's tokens in prefix order (without the end token). */
export function csgTokens<P extends { readonly op: string }>(
  c: CsgTokenConfig<P>,
  program: CsgProgram<P>,
): string[] {
  const out: string[] = [];
  const walk = (p: CsgProgram<P>): void => {
    out.push(p.op);
    if (c.isPrimitive(p)) {
      const fields: readonly string[] = c.fields[p.op as P['op']];
      c.primitiveArgs(p).forEach((v, i) => out.push(c.fieldToken(fields[i], v)));
    } else {
      walk(p.a);
      walk(p.b);
    }
  };
  walk(program);
  return out;
}

/** The program written by tokens (one trailing end token allowed), or null when malformed or invalid. */
export function csgFromTokens<P extends { readonly op: string }>(
  c: CsgTokenConfig<P>,
  tokens: readonly string[],
): CsgProgram<P> | null {
  const n = tokens.length > 0 && tokens[tokens.length - 1] === END_TOKEN ? tokens.length - 1 : tokens.length;
  let i = 0;
  // Explicit failure value instead of exceptions: malformed input is expected here.
  const tree = (): CsgProgram<P> | null => {
    if (i >= n) return null;
    const head = tokens[i++];
    if (head === 'union' || head === 'diff') {
      const a = tree();
      const b = a && tree();
      return b ? { op: head, a: a!, b } : null;
    }
    if (!(c.kinds as readonly string[]).includes(head)) return null;
    const op = head as P['op'];
    const args: number[] = [];
    for (const field of c.fields[op] as readonly string[]) {
      const v = i < n ? c.fieldValue(field, tokens[i++]) : null;
      if (v === null) return null;
      args.push(v);
    }
    const prim = c.makePrimitive(op, args);
    return c.primitiveError(prim) === null ? prim : null;
  };
  const p = tree();
  return p && i === n ? p : null;
}

/** tokens / fromTokens of a problem (its `Tokenizer`). */
export function csgTokenizer<P extends { readonly op: string }>(c: CsgTokenConfig<P>) {
  return {
    tokens: (program: CsgProgram<P>): string[] => csgTokens(c, program),
    fromTokens: (tokens: readonly string[]): CsgProgram<P> | null => csgFromTokens(c, tokens),
  };
}

// ------------------------------------------------------------------ the grammar

/** The vocabulary: end, primitive heads, operators, then every field value some valid primitive uses. */
function buildVocabulary<P extends { readonly op: string }>(c: CsgTokenConfig<P>): string[] {
  const values = new Map(c.vocabularyFields.map((f) => [f, new Set<number>()]));
  for (const p of c.allPrimitives) {
    const fields: readonly string[] = c.fields[p.op as P['op']];
    c.primitiveArgs(p).forEach((v, k) => values.get(fields[k])!.add(v));
  }
  // Primitives before operators: decoders that break ties by index then prefer the shorter program.
  const v = [END_TOKEN, ...c.kinds, ...COMBINES];
  for (const f of c.vocabularyFields)
    for (const x of [...values.get(f)!].sort((a, b) => a - b)) v.push(c.fieldToken(f, x));
  return v;
}

/**
 * The trie of valid parameter tuples, one root per primitive kind. `child[node * V + t]` is the node
 * after token t, LEAF when t completes the primitive, −1 when t is illegal; `mask` rows the same.
 */
interface Trie {
  readonly child: Int32Array;
  readonly mask: Uint8Array;
  readonly roots: ReadonlyMap<string, number>;
}
const LEAF = -2;

function buildTrie<P extends { readonly op: string }>(
  c: CsgTokenConfig<P>,
  vocabulary: readonly string[],
): Trie {
  const V = vocabulary.length;
  const index = new Map(vocabulary.map((name, i) => [name, i]));
  const rows: Int32Array[] = [];
  const node = (): number => rows.push(new Int32Array(V).fill(-1)) - 1;
  const roots = new Map<string, number>(c.kinds.map((k) => [k, node()]));
  for (const p of c.allPrimitives) {
    const args = c.primitiveArgs(p);
    const fields: readonly string[] = c.fields[p.op as P['op']];
    let at = roots.get(p.op)!;
    args.forEach((v, k) => {
      const t = index.get(c.fieldToken(fields[k], v))!;
      if (k === args.length - 1) rows[at][t] = LEAF;
      else {
        if (rows[at][t] < 0) rows[at][t] = node();
        at = rows[at][t];
      }
    });
  }
  const child = new Int32Array(rows.length * V);
  rows.forEach((r, i) => child.set(r, i * V));
  const mask = new Uint8Array(child.length);
  for (let i = 0; i < child.length; i++) mask[i] = child[i] === -1 ? 0 : 1;
  return { child, mask, roots };
}

export interface CsgTokenOptions {
  /** Longest token sequence, the end token included. */
  readonly maxTokens: number;
}

/** A grammar state: immutable. */
export interface CsgGrammarState {
  readonly len: number;
  /** Subtrees still to start. */
  readonly pending: number;
  /** Trie node of the primitive being written, −1 between subtrees. */
  readonly node: number;
  /** Parameters still to write in that primitive. */
  readonly left: number;
  readonly ended: boolean;
}

function state(len: number, pending: number, node: number, left: number, ended = false): CsgGrammarState {
  return { len, pending, node, left, ended };
}

/** Vocabulary and trie of one token scheme, built once per process on first use (megabytes). */
const tablesOf = new WeakMap<object, { vocabulary: readonly string[]; trie: Trie }>();
function tables<P extends { readonly op: string }>(
  c: CsgTokenConfig<P>,
): { vocabulary: readonly string[]; trie: Trie } {
  let t = tablesOf.get(c);
  if (!t) {
    const vocabulary = buildVocabulary(c);
    t = { vocabulary, trie: buildTrie(c, vocabulary) };
    tablesOf.set(c, t);
  }
  return t;
}

/** The token grammar of a CSG problem (a TokenGrammar<CsgGrammarState>). */
export class CsgTokenGrammar<P extends { readonly op: string }> {
  readonly vocabulary: readonly string[];
  readonly end = 0;
  readonly maxTokens: number;
  private readonly trie: Trie;
  private readonly minSubtree: number;
  /** Token indices of the operators (the vocabulary starts end, the kinds, union, diff). */
  private readonly union: number;
  private readonly diff: number;
  private readonly heads: readonly {
    readonly token: number;
    readonly root: number;
    readonly arity: number;
  }[];
  private readonly startState = state(0, 1, -1, 0);

  constructor(
    config: CsgTokenConfig<P>,
    readonly options: CsgTokenOptions,
  ) {
    if (options.maxTokens < config.minSubtree + 1)
      throw new Error(`${config.id} tokens: maxTokens must be at least ${config.minSubtree + 1}`);
    const t = tables(config);
    this.vocabulary = t.vocabulary;
    this.trie = t.trie;
    this.maxTokens = options.maxTokens;
    this.minSubtree = config.minSubtree;
    this.union = 1 + config.kinds.length;
    this.diff = this.union + 1;
    this.heads = config.kinds.map((k) => ({
      token: this.vocabulary.indexOf(k),
      root: t.trie.roots.get(k)!,
      arity: config.fields[k].length,
    }));
  }

  start(): CsgGrammarState {
    return this.startState;
  }

  isComplete(g: CsgGrammarState): boolean {
    return g.pending === 0 && g.node < 0;
  }

  /** Tokens after `len` the shortest completion of `pending` subtrees needs, the end token included. */
  private fits(len: number, pending: number, left: number): boolean {
    return len + left + this.minSubtree * pending + 1 <= this.maxTokens;
  }

  next(g: CsgGrammarState, t: number): CsgGrammarState | null {
    const V = this.vocabulary.length;
    if (g.ended || !(t >= 0 && t < V && Number.isInteger(t))) return null;
    const len = g.len + 1;
    if (g.node >= 0) {
      const c = this.trie.child[g.node * V + t];
      if (c === -1) return null;
      return c === LEAF ? state(len, g.pending, -1, 0) : state(len, g.pending, c, g.left - 1);
    }
    if (t === this.end) return g.pending === 0 ? state(len, 0, -1, 0, true) : null;
    if (g.pending === 0) return null;
    // An operator replaces one pending subtree by two; a primitive head fills one.
    if (t === this.union || t === this.diff)
      return this.fits(len, g.pending + 1, 0) ? state(len, g.pending + 1, -1, 0) : null;
    const h = this.heads.find((x) => x.token === t);
    if (!h || !this.fits(len, g.pending - 1, h.arity)) return null;
    return state(len, g.pending - 1, h.root, h.arity);
  }

  legal(g: CsgGrammarState, out: Uint8Array): void {
    const V = this.vocabulary.length;
    if (g.node >= 0) {
      out.set(this.trie.mask.subarray(g.node * V, (g.node + 1) * V));
      return;
    }
    out.fill(0);
    if (g.ended) return;
    if (g.pending === 0) {
      out[this.end] = 1;
      return;
    }
    if (this.fits(g.len + 1, g.pending + 1, 0)) out[this.union] = out[this.diff] = 1;
    for (const h of this.heads) if (this.fits(g.len + 1, g.pending - 1, h.arity)) out[h.token] = 1;
  }
}

/** The token cap as a declared parameter of a token formulation. */
export function maxTokensParam(minSubtree: number, defaultMaxTokens: number): ParamSpec {
  return {
    name: 'maxTokens',
    type: 'int',
    default: defaultMaxTokens,
    min: minSubtree + 1,
    max: 2000,
    description: 'longest token sequence, end token included',
  };
}

/**
 * Grammar, tokenizer and scene sampler of a CSG token formulation for given parameters: a random
 * scene of the REPL domain's distribution (at most `maxSize` shapes when asked) and its picture as
 * the spec.
 */
export function csgTokenParts<G, T, Spec, Program>(
  paramSpecs: readonly ParamSpec[],
  given: Readonly<Record<string, ParamValue>>,
  grammar: (maxTokens: number) => G,
  tokenizer: T,
  scene: (
    rng: Rng,
    o: { maxShapes: number; minShapes: number },
    params: Readonly<Record<string, ParamValue>>,
  ) => { spec: Spec; program: Program },
) {
  const params = resolveParams(paramSpecs, given);
  const sampleProgram = (rng: Rng, options: TaskOptions = {}): { spec: Spec; program: Program } =>
    scene(
      rng,
      {
        maxShapes: options.maxSize ?? (params.maxShapes as number),
        minShapes: Number(options.extra?.minShapes ?? 1),
      },
      params,
    );
  return { grammar: grammar(params.maxTokens as number), tokenizer, sampleProgram };
}
