/**
 * csg3d programs as tokens, for decoders without a REPL (CSGNet): the tree in prefix notation, an
 * operator or primitive head followed by one token per parameter, named by its field:
 * `diff cuboid x1=0 y1=0 z1=0 x2=16 y2=16 z2=8 cylinder axis=z x=8 y=8 z=0 r=4 l=8 <end>`. The grammar
 * (structurally a TokenGrammar of src/formulations) walks a trie of every valid primitive (actions.ts),
 * so it allows exactly the REPL's parameter ranges, and keeps every prefix completable within the cap.
 */
import type { ParamSpec, ParamValue, Rng, TaskOptions } from '../../core/index.js';
import { resolveParams } from '../../core/index.js';
import { ALL_PRIMITIVES } from './actions.js';
import {
  AXES,
  FIELDS,
  isPrimitive,
  makePrimitive,
  primitiveArgs,
  primitiveError,
  type CombineOp,
  type PrimitiveOp,
  type Program,
} from './dsl.js';
import { generateScene } from './generator.js';
import { renderProgram } from './render.js';
import { specFromVoxels, type RunsSpec } from './spec.js';
import { csg3dParams } from './domain.js';

export const END_TOKEN = '<end>';
const COMBINES: readonly CombineOp[] = ['union', 'diff'];
const KINDS: readonly PrimitiveOp[] = ['cuboid', 'sphere', 'cylinder'];
/** Tokens of the smallest subtree (a sphere: head and four parameters). */
const MIN_SUBTREE = 5;

/** `x1=4`, `r=8`; a cylinder's axis as `axis=z`. */
const fieldToken = (field: string, value: number): string =>
  `${field}=${field === 'axis' ? AXES[value] : value}`;

/** The program's tokens in prefix order (without the end token). */
export function csg3dTokens(program: Program): string[] {
  const out: string[] = [];
  const walk = (p: Program): void => {
    out.push(p.op);
    if (isPrimitive(p)) primitiveArgs(p).forEach((v, i) => out.push(fieldToken(FIELDS[p.op][i], v)));
    else {
      walk(p.a);
      walk(p.b);
    }
  };
  walk(program);
  return out;
}

/** The program written by tokens (one trailing end token allowed), or null when malformed or invalid. */
export function csg3dFromTokens(tokens: readonly string[]): Program | null {
  const n = tokens.length > 0 && tokens[tokens.length - 1] === END_TOKEN ? tokens.length - 1 : tokens.length;
  let i = 0;
  // Explicit failure value instead of exceptions: malformed input is expected here.
  const tree = (): Program | null => {
    if (i >= n) return null;
    const head = tokens[i++];
    if (head === 'union' || head === 'diff') {
      const a = tree();
      const b = a && tree();
      return b ? { op: head, a: a!, b } : null;
    }
    if (!(KINDS as readonly string[]).includes(head)) return null;
    const op = head as PrimitiveOp;
    const args: number[] = [];
    for (const field of FIELDS[op]) {
      const m = i < n ? /^([a-z]+\d?)=([xyz]|\d{1,2})$/.exec(tokens[i++]) : null;
      if (!m || m[1] !== field) return null;
      const v = field === 'axis' ? AXES.indexOf(m[2] as (typeof AXES)[number]) : Number(m[2]);
      if (v < 0 || Number.isNaN(v)) return null;
      args.push(v);
    }
    const prim = makePrimitive(op, args);
    return primitiveError(prim) === null ? prim : null;
  };
  const p = tree();
  return p && i === n ? p : null;
}

export const csg3dTokenizer = { tokens: csg3dTokens, fromTokens: csg3dFromTokens };

// ------------------------------------------------------------------ the grammar

/** The vocabulary: end, operators, primitive heads, then every field value some valid primitive uses. */
function buildVocabulary(): string[] {
  const fields = ['x1', 'y1', 'z1', 'x2', 'y2', 'z2', 'axis', 'x', 'y', 'z', 'r', 'l'];
  const values = new Map(fields.map((f) => [f, new Set<number>()]));
  for (const p of ALL_PRIMITIVES) primitiveArgs(p).forEach((v, k) => values.get(FIELDS[p.op][k])!.add(v));
  // Primitives before operators: decoders that break ties by index then prefer the shorter program.
  const v = [END_TOKEN, ...KINDS, ...COMBINES];
  for (const f of fields) for (const x of [...values.get(f)!].sort((a, b) => a - b)) v.push(fieldToken(f, x));
  return v;
}

/**
 * The trie of valid parameter tuples, one root per primitive kind. `child[node * V + t]` is the node
 * after token t, LEAF when t completes the primitive, −1 when t is illegal; `mask` rows the same.
 */
interface Trie {
  readonly child: Int32Array;
  readonly mask: Uint8Array;
  readonly roots: Readonly<Record<PrimitiveOp, number>>;
}
const LEAF = -2;
/** Token indices of the operators (the vocabulary starts end, cuboid, sphere, cylinder, union, diff). */
const UNION = 4;
const DIFF = 5;

function buildTrie(vocabulary: readonly string[]): Trie {
  const V = vocabulary.length;
  const index = new Map(vocabulary.map((name, i) => [name, i]));
  const rows: Int32Array[] = [];
  const node = (): number => rows.push(new Int32Array(V).fill(-1)) - 1;
  const roots = { cuboid: node(), sphere: node(), cylinder: node() };
  for (const p of ALL_PRIMITIVES) {
    const args = primitiveArgs(p);
    let at = roots[p.op];
    args.forEach((v, k) => {
      const t = index.get(fieldToken(FIELDS[p.op][k], v))!;
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

export interface Csg3dTokenOptions {
  /** Longest token sequence, the end token included. */
  readonly maxTokens: number;
}

/** Room for scenes of up to 13 shapes (the generator's default) in every draw (≤ 7 tokens per shape). */
export const defaultCsg3dTokenOptions: Csg3dTokenOptions = { maxTokens: 128 };

/** A grammar state: immutable. */
export interface Csg3dGrammarState {
  readonly len: number;
  /** Subtrees still to start. */
  readonly pending: number;
  /** Trie node of the primitive being written, −1 between subtrees. */
  readonly node: number;
  /** Parameters still to write in that primitive. */
  readonly left: number;
  readonly ended: boolean;
}

function state(len: number, pending: number, node: number, left: number, ended = false): Csg3dGrammarState {
  return { len, pending, node, left, ended };
}

let shared: { vocabulary: readonly string[]; trie: Trie } | null = null;
// Built once per process: ~5 MB of trie for the 34,327 primitives.
function tables(): { vocabulary: readonly string[]; trie: Trie } {
  if (!shared) {
    const vocabulary = buildVocabulary();
    shared = { vocabulary, trie: buildTrie(vocabulary) };
  }
  return shared;
}

/** The csg3d token grammar (a TokenGrammar<Csg3dGrammarState>). */
export class Csg3dTokenGrammar {
  readonly vocabulary: readonly string[];
  readonly end = 0;
  readonly maxTokens: number;
  private readonly trie: Trie;
  private readonly heads: readonly {
    readonly token: number;
    readonly root: number;
    readonly arity: number;
  }[];
  private readonly startState = state(0, 1, -1, 0);

  constructor(readonly options: Csg3dTokenOptions = defaultCsg3dTokenOptions) {
    if (options.maxTokens < MIN_SUBTREE + 1)
      throw new Error(`csg3d tokens: maxTokens must be at least ${MIN_SUBTREE + 1}`);
    const t = tables();
    this.vocabulary = t.vocabulary;
    this.trie = t.trie;
    this.maxTokens = options.maxTokens;
    this.heads = KINDS.map((k) => ({
      token: this.vocabulary.indexOf(k),
      root: t.trie.roots[k],
      arity: FIELDS[k].length,
    }));
  }

  start(): Csg3dGrammarState {
    return this.startState;
  }

  isComplete(g: Csg3dGrammarState): boolean {
    return g.pending === 0 && g.node < 0;
  }

  /** Tokens after `len` the shortest completion of `pending` subtrees needs, the end token included. */
  private fits(len: number, pending: number, left: number): boolean {
    return len + left + MIN_SUBTREE * pending + 1 <= this.maxTokens;
  }

  next(g: Csg3dGrammarState, t: number): Csg3dGrammarState | null {
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
    if (t === UNION || t === DIFF)
      return this.fits(len, g.pending + 1, 0) ? state(len, g.pending + 1, -1, 0) : null;
    const h = this.heads.find((x) => x.token === t);
    if (!h || !this.fits(len, g.pending - 1, h.arity)) return null;
    return state(len, g.pending - 1, h.root, h.arity);
  }

  legal(g: Csg3dGrammarState, out: Uint8Array): void {
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
    if (this.fits(g.len + 1, g.pending + 1, 0)) out[UNION] = out[DIFF] = 1;
    for (const h of this.heads) if (this.fits(g.len + 1, g.pending - 1, h.arity)) out[h.token] = 1;
  }
}

// ------------------------------------------------------------------ parts of the token formulation

/** Parameters of the csg3d token formulation: the scene generator's and the token cap. */
export const CSG3D_TOKEN_PARAMS: readonly ParamSpec[] = [
  ...csg3dParams.filter((p) => p.name === 'maxShapes' || p.name === 'sphereRate'),
  {
    name: 'maxTokens',
    type: 'int',
    default: defaultCsg3dTokenOptions.maxTokens,
    min: MIN_SUBTREE + 1,
    max: 2000,
    description: 'longest token sequence, end token included',
  },
];

/** Grammar, tokenizer and scene sampler of the csg3d token formulation for given parameters. */
export function csg3dTokenParts(given: Readonly<Record<string, ParamValue>> = {}) {
  const params = resolveParams(CSG3D_TOKEN_PARAMS, given);
  const grammar = new Csg3dTokenGrammar({ maxTokens: params.maxTokens as number });
  /** A random scene (the REPL domain's distribution) and its picture as the spec. */
  const sampleProgram = (rng: Rng, options: TaskOptions = {}): { spec: RunsSpec; program: Program } => {
    const scene = generateScene(rng, {
      maxShapes: options.maxSize ?? (params.maxShapes as number),
      minShapes: Number(options.extra?.minShapes ?? 1),
      sphereRate: params.sphereRate as number,
    });
    return { spec: specFromVoxels(renderProgram(scene.program)), program: scene.program };
  };
  return { grammar, tokenizer: csg3dTokenizer, sampleProgram };
}
