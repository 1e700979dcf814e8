/**
 * Refinement of a found program against its target picture: a greedy local search over the program
 * tree, in the spirit of CSGNet's "visually guided refinement" (which tunes a predicted program's
 * parameters against the image), extended to the tree's structure.
 *
 * Moves, each judged by IoU with the target:
 * - delete: replace an operator node by one of its operands, kept when the IoU does not drop
 *   (shorter programs, so the bloat of a search's best program is trimmed);
 * - replace: swap one primitive for the best of all 19,509 primitives at that place;
 * - insert: wrap a node X as union(X, P) or diff(X, P) with the best primitive P.
 *
 * Why scanning every primitive is cheap: CSG is pixelwise, so with everything else fixed the output is
 * out = (P ∧ U) ∨ (¬P ∧ V), where U and V are the outputs with the slot filled completely and left
 * empty. The IoU of any candidate P then needs only popcounts of P against two masks, over the rows
 * where U and V differ and P has pixels. Deterministic; stops at a local optimum or the deadline.
 */
import {
  positions as csgPositions,
  renderWith as csgRenderWith,
  replaceAt as csgReplaceAt,
  type CsgRenderOps,
  type Where,
} from '../../csg/paths.js';
import { ALL_PRIMITIVES } from './actions.js';
import { isPrimitive, type Primitive, type Program } from './dsl.js';
import {
  WORDS,
  countOn,
  differenceRaster,
  intersectRaster,
  iou,
  popcount32,
  unionRaster,
  type Raster,
} from './raster.js';
import { renderPrimitive, renderProgram } from './render.js';

/** A node's position: the operand taken at each operator from the root ('a' left, 'b' right). */

/** All primitive rasters packed in one array, with each primitive's first and last non-empty word. */
interface PrimitiveBank {
  readonly words: Uint32Array;
  readonly first: Int32Array;
  readonly last: Int32Array;
}

let bank: PrimitiveBank | null = null;

function primitiveBank(): PrimitiveBank {
  if (bank) return bank;
  const n = ALL_PRIMITIVES.length;
  const words = new Uint32Array(n * WORDS);
  const first = new Int32Array(n);
  const last = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = renderPrimitive(ALL_PRIMITIVES[i]);
    words.set(r, i * WORDS);
    let f = WORDS;
    let l = -1;
    for (let w = 0; w < WORDS; w++)
      if (r[w] !== 0) {
        if (f === WORDS) f = w;
        l = w;
      }
    first[i] = f;
    last[i] = l;
  }
  bank = { words, first, last };
  return bank;
}

const FULL: Raster = new Uint32Array(WORDS).fill(0xffffffff);
const EMPTY: Raster = new Uint32Array(WORDS);

const OPS: CsgRenderOps<Primitive, Raster> = {
  isPrimitive,
  renderProgram,
  union: unionRaster,
  difference: differenceRaster,
};

/** The program's picture with the node at `where` replaced by `fill`. */
const renderWith = (p: Program, where: Where, depth: number, fill: Raster): Raster =>
  csgRenderWith(OPS, p, where, depth, fill);

const replaceAt = (p: Program, where: Where, depth: number, by: Program): Program =>
  csgReplaceAt(isPrimitive, p, where, depth, by);

/** Every node with its position, root first (pre-order). */
const positions = (p: Program): { where: Where; node: Program }[] => csgPositions(isPrimitive, p);

/**
 * The best primitive for a slot whose output is out = (P ∧ U) ∨ (¬P ∧ V), scored by IoU with the
 * target. Returns its index in ALL_PRIMITIVES and the IoU, or null when no primitive has pixels where
 * the slot matters.
 */
function bestPrimitiveFor(u: Raster, v: Raster, target: Raster): { index: number; iou: number } | null {
  const { words, first, last } = primitiveBank();
  // Where the slot matters: U ≠ V. gainT/lossT: pixels of P that add/remove target pixels; gainO/lossO:
  // pixels of P that add/remove output pixels off the target.
  const gainT = new Uint32Array(WORDS);
  const lossT = new Uint32Array(WORDS);
  const gainO = new Uint32Array(WORDS);
  const lossO = new Uint32Array(WORDS);
  let lo = WORDS;
  let hi = -1;
  for (let w = 0; w < WORDS; w++) {
    const up = u[w] & ~v[w];
    const down = v[w] & ~u[w];
    gainT[w] = up & target[w];
    gainO[w] = up & ~target[w];
    lossT[w] = down & target[w];
    lossO[w] = down & ~target[w];
    if ((up | down) !== 0) {
      if (lo === WORDS) lo = w;
      hi = w;
    }
  }
  if (hi < 0) return null;
  const inter0 = countOn(intersectRaster(v, target));
  const out0 = countOn(v);
  const tCount = countOn(target);
  let best = -1;
  let bestIoU = -1;
  for (let i = 0; i < ALL_PRIMITIVES.length; i++) {
    const from = Math.max(first[i], lo);
    const to = Math.min(last[i], hi);
    if (from > to) continue;
    const base = i * WORDS;
    let dT = 0;
    let dO = 0;
    for (let w = from; w <= to; w++) {
      const pw = words[base + w];
      if (pw === 0) continue;
      dT += popcount32(pw & gainT[w]) - popcount32(pw & lossT[w]);
      dO += popcount32(pw & gainO[w]) - popcount32(pw & lossO[w]);
    }
    const inter = inter0 + dT;
    const uni = out0 + dT + dO + tCount - inter;
    const score = uni === 0 ? 1 : inter / uni;
    if (score > bestIoU) {
      bestIoU = score;
      best = i;
    }
  }
  return best < 0 ? null : { index: best, iou: bestIoU };
}

export interface RefineOptions {
  /** Stop when this returns true (checked between candidate scans). */
  readonly shouldStop?: () => boolean;
  /** Called with each accepted program and its IoU. */
  readonly onImprove?: (program: Program, iou: number) => void;
  /** Most structural insertions (each adds two lines); default unlimited. */
  readonly maxInsertions?: number;
}

export interface RefineResult {
  readonly program: Program;
  readonly iou: number;
  /** Accepted moves by kind. */
  readonly moves: { readonly delete: number; readonly replace: number; readonly insert: number };
  /** True when no move improves any more (a local optimum), false when stopped early. */
  readonly converged: boolean;
}

/** A candidate move's result: the new program and its IoU. */
interface Candidate {
  readonly program: Program;
  readonly iou: number;
}

/** Tolerance for comparing IoUs computed by different pixel sums. */
const EPS = 1e-12;

/**
 * The candidate that `found` (a slot's best primitive) gives, built by `place`, when it beats both the
 * current IoU and the best candidate so far; else that best candidate.
 */
function better(
  best: Candidate | null,
  found: { index: number; iou: number } | null,
  current: number,
  place: (prim: Primitive) => Program,
): Candidate | null {
  if (!found || found.iou <= current + EPS || (best && found.iou <= best.iou + EPS)) return best;
  return { program: place(ALL_PRIMITIVES[found.index]), iou: found.iou };
}

/** Deletions that keep the IoU: an operator node replaced by one operand. First found, or null. */
function findDeletion(p: Program, target: Raster, current: number): Candidate | null {
  for (const { where, node } of positions(p)) {
    if (isPrimitive(node)) continue;
    const keeps = node.op === 'union' ? [node.a, node.b] : [node.a];
    for (const keep of keeps) {
      const q = replaceAt(p, where, 0, keep);
      const s = iou(renderProgram(q), target);
      if (s >= current - EPS) return { program: q, iou: s };
    }
  }
  return null;
}

/** The best single-primitive replacement over all leaves, if it improves the IoU. */
function findReplacement(p: Program, target: Raster, current: number, stop: () => boolean): Candidate | null {
  let best: Candidate | null = null;
  for (const { where, node } of positions(p)) {
    if (stop()) break;
    if (!isPrimitive(node)) continue;
    const u = renderWith(p, where, 0, FULL);
    const v = renderWith(p, where, 0, EMPTY);
    best = better(best, bestPrimitiveFor(u, v, target), current, (prim) => replaceAt(p, where, 0, prim));
  }
  return best;
}

/** The best insertion X → union(X, P) or diff(X, P) over all nodes X, if it improves the IoU. */
function findInsertion(p: Program, target: Raster, current: number, stop: () => boolean): Candidate | null {
  let best: Candidate | null = null;
  const now = renderProgram(p);
  for (const { where, node } of positions(p)) {
    if (stop()) break;
    for (const op of ['union', 'diff'] as const) {
      // union(X, P): P full gives the output with X full; diff(X, P): P full gives X empty.
      const u = renderWith(p, where, 0, op === 'union' ? FULL : EMPTY);
      const found = bestPrimitiveFor(u, now, target);
      best = better(best, found, current, (prim) => replaceAt(p, where, 0, { op, a: node, b: prim }));
    }
  }
  return best;
}

/**
 * Greedy refinement: delete while the IoU holds, else take the best replacement, else the best
 * insertion; repeat until nothing improves or `shouldStop`. With `start` null it builds a program from
 * nothing (the best single primitive, then insertions), a search-free baseline.
 */
export function refineProgram(
  start: Program | null,
  target: Raster,
  options: RefineOptions = {},
): RefineResult {
  const stop = options.shouldStop ?? (() => false);
  const maxInsertions = options.maxInsertions ?? Infinity;
  const moves = { delete: 0, replace: 0, insert: 0 };
  let p: Program;
  let current: number;
  if (start) {
    p = start;
    current = iou(renderProgram(p), target);
  } else {
    const found = bestPrimitiveFor(FULL, EMPTY, target);
    if (!found) throw new Error('refine: no primitive has pixels');
    p = ALL_PRIMITIVES[found.index];
    current = found.iou;
    options.onImprove?.(p, current);
  }
  for (;;) {
    if (stop()) return { program: p, iou: current, moves, converged: false };
    const del = findDeletion(p, target, current);
    if (del) {
      moves.delete++;
      const better = del.iou > current + EPS;
      p = del.program;
      current = del.iou;
      if (better) options.onImprove?.(p, current);
      continue;
    }
    // A perfect program can only get shorter.
    if (current >= 1) return { program: p, iou: current, moves, converged: true };
    const rep = findReplacement(p, target, current, stop);
    if (rep) {
      moves.replace++;
      p = rep.program;
      current = rep.iou;
      options.onImprove?.(p, current);
      continue;
    }
    if (stop()) return { program: p, iou: current, moves, converged: false };
    const ins = moves.insert < maxInsertions ? findInsertion(p, target, current, stop) : null;
    if (ins) {
      moves.insert++;
      p = ins.program;
      current = ins.iou;
      options.onImprove?.(p, current);
      continue;
    }
    return { program: p, iou: current, moves, converged: !stop() };
  }
}
