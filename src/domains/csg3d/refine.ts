/**
 * Refinement of a found program against its target volume: the greedy local search of csg2d's
 * refiner, in 3D. Moves, each judged by IoU with the target:
 * - delete: replace an operator node by one of its operands, kept when the IoU does not drop;
 * - replace: swap one primitive for the best of all 34,327 primitives at that place;
 * - insert: wrap a node X as union(X, P) or diff(X, P) with the best primitive P.
 *
 * Why scanning every primitive is cheap: CSG is voxelwise, so with everything else fixed the output is
 * out = (P ∧ U) ∨ (¬P ∧ V), where U and V are the outputs with the slot filled completely and left
 * empty. A candidate's IoU needs only two sums over its voxels: of gainT − lossT and of gainO − lossO
 * (voxels it would add to / remove from the target, and outside it). Every primitive is a union of a few
 * boxes (a cuboid one, a cylinder one per slice across its axis), so with summed-volume tables of the two
 * sums each candidate costs eight lookups per box. Deterministic; stops at a local optimum or deadline.
 */
import { Rng } from '../../core/index.js';
import {
  positions as csgPositions,
  renderWith as csgRenderWith,
  replaceAt as csgReplaceAt,
  type CsgRenderOps,
  type Where,
} from '../../csg/paths.js';
import { ALL_PRIMITIVES } from './actions.js';
import { isPrimitive, lineCount, type Primitive, type Program } from './dsl.js';
import { renderProgram, voxelizePrimitive } from './render.js';
import {
  N,
  WORDS,
  countOn,
  differenceVoxels,
  intersectVoxels,
  iou,
  popcount32,
  unionVoxels,
  type Voxels,
} from './voxels.js';

/** A node's position: the operand taken at each operator from the root ('a' left, 'b' right). */

const T = N + 1; // summed-volume tables are (N + 1)³
const at = (x: number, y: number, z: number): number => (z * T + y) * T + x;

/**
 * Every primitive as boxes [x0, x1) × [y0, y1) × [z0, z1): `corners` holds the 8 table indices of each
 * box, in the order of the inclusion–exclusion signs + − − − + + + −; `first[i]` .. `first[i+1]` are the
 * boxes of primitive i.
 */
export interface BoxBank {
  readonly corners: Int32Array;
  readonly first: Int32Array;
}

let bank: BoxBank | null = null;

/** The box bank (built on first use; exported for its test). */
export const primitiveBoxes = (): BoxBank => boxBank();

/** The boxes of a volume whose rows are each one span: equal rows merged along y, then along z. */
export function boxesOf(v: Voxels): number[][] {
  // Per z slice: flat [x0, x1, y0, y1, …] of its runs of equal non-empty rows.
  const slices: number[][] = [];
  for (let z = 0; z < N; z++) {
    const flat: number[] = [];
    for (let y = 0; y < N;) {
      const w = v[z * N + y];
      let y1 = y + 1;
      while (y1 < N && v[z * N + y1] === w) y1++;
      if (w !== 0) flat.push(31 - Math.clz32(w & -w), 32 - Math.clz32(w), y, y1);
      y = y1;
    }
    slices.push(flat);
  }
  const same = (a: number[], b: number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
  const out: number[][] = [];
  for (let z = 0; z < N;) {
    let z1 = z + 1;
    while (z1 < N && same(slices[z1], slices[z])) z1++;
    for (let k = 0; k < slices[z].length; k += 4) out.push([...slices[z].slice(k, k + 4), z, z1]);
    z = z1;
  }
  return out;
}

function boxBank(): BoxBank {
  if (bank) return bank;
  const corners: number[] = [];
  const first = new Int32Array(ALL_PRIMITIVES.length + 1);
  // Spheres and cylinders of one size are translates of each other by whole voxels (centres lie on the
  // grid), so each size is voxelized once and cut into boxes, which the others shift.
  const templates = new Map<string, { at: [number, number, number]; boxes: number[][] }>();
  const shapeBoxes = (p: Exclude<Primitive, { op: 'cuboid' }>): number[][] => {
    const key = p.op === 'sphere' ? `s${p.r}` : `c${p.axis}${p.r},${p.l}`;
    let t = templates.get(key);
    if (!t) templates.set(key, (t = { at: [p.x, p.y, p.z], boxes: boxesOf(voxelizePrimitive(p)) }));
    const [dx, dy, dz] = [p.x - t.at[0], p.y - t.at[1], p.z - t.at[2]];
    return t.boxes.map(([x0, x1, y0, y1, z0, z1]) => [x0 + dx, x1 + dx, y0 + dy, y1 + dy, z0 + dz, z1 + dz]);
  };
  ALL_PRIMITIVES.forEach((p, i) => {
    first[i] = corners.length / 8;
    const boxes = p.op === 'cuboid' ? [[p.x1, p.x2, p.y1, p.y2, p.z1, p.z2]] : shapeBoxes(p);
    for (const [x0, x1, y0, y1, z0, z1] of boxes)
      corners.push(
        at(x1, y1, z1),
        at(x0, y1, z1),
        at(x1, y0, z1),
        at(x1, y1, z0),
        at(x0, y0, z1),
        at(x0, y1, z0),
        at(x1, y0, z0),
        at(x0, y0, z0),
      );
  });
  first[ALL_PRIMITIVES.length] = corners.length / 8;
  bank = { corners: Int32Array.from(corners), first };
  return bank;
}

/**
 * Summed-volume tables of two voxel weights, interleaved (entry 2i: table 0, 2i + 1: table 1); weight
 * k of a voxel is +1 on `plus[k]`, −1 on `minus[k]` (row words), 0 elsewhere.
 */
function summedTables(plus: readonly Voxels[], minus: readonly Voxels[]): Int32Array {
  const s = new Int32Array(2 * T * T * T);
  for (let k = 0; k < 2; k++)
    for (let z = 0; z < N; z++)
      for (let y = 0; y < N; y++) {
        const w = z * N + y;
        const pw = plus[k][w];
        const mw = minus[k][w];
        if ((pw | mw) === 0) continue;
        // Prefix along x within the row.
        let acc = 0;
        const row = 2 * at(0, y + 1, z + 1) + k;
        for (let x = 0; x < N; x++) {
          acc += ((pw >>> x) & 1) - ((mw >>> x) & 1);
          s[row + 2 * (x + 1)] = acc;
        }
      }
  // Then along y, then along z.
  for (let z = 1; z <= N; z++)
    for (let y = 2; y <= N; y++)
      for (let i = 2 * at(0, y, z), j = 2 * at(0, y - 1, z), e = i + 2 * T; i < e; i++, j++) s[i] += s[j];
  for (let z = 2; z <= N; z++)
    for (let i = 2 * at(0, 0, z), j = 2 * at(0, 0, z - 1), e = i + 2 * T * T; i < e; i++, j++) s[i] += s[j];
  return s;
}

const FULL: Voxels = new Uint32Array(WORDS).fill(0xffffffff);
const EMPTY: Voxels = new Uint32Array(WORDS);

/**
 * The best primitive for a slot whose output is out = (P ∧ U) ∨ (¬P ∧ V), scored by IoU with the
 * target: its index in ALL_PRIMITIVES and the IoU, or null when U = V.
 */
export function bestPrimitiveFor(
  u: Voxels,
  v: Voxels,
  target: Voxels,
): { index: number; iou: number } | null {
  let differs = false;
  for (let w = 0; w < WORDS && !differs; w++) differs = u[w] !== v[w];
  if (!differs) return null;
  // Table 0 sums gainT − lossT (target voxels added − removed), table 1 gainO − lossO (outside it).
  const up = differenceVoxels(u, v);
  const down = differenceVoxels(v, u);
  const outside = differenceVoxels(FULL, target);
  const s = summedTables(
    [intersectVoxels(up, target), intersectVoxels(up, outside)],
    [intersectVoxels(down, target), intersectVoxels(down, outside)],
  );
  const inter0 = countOn(intersectVoxels(v, target));
  const out0 = countOn(v);
  const tCount = countOn(target);
  const { corners, first } = boxBank();
  let best = -1;
  let bestIoU = -1;
  for (let i = 0; i < ALL_PRIMITIVES.length; i++) {
    let dT = 0;
    let dO = 0;
    for (let b = first[i] * 8; b < first[i + 1] * 8; b += 8) {
      const c0 = 2 * corners[b];
      const c1 = 2 * corners[b + 1];
      const c2 = 2 * corners[b + 2];
      const c3 = 2 * corners[b + 3];
      const c4 = 2 * corners[b + 4];
      const c5 = 2 * corners[b + 5];
      const c6 = 2 * corners[b + 6];
      const c7 = 2 * corners[b + 7];
      dT += s[c0] - s[c1] - s[c2] - s[c3] + s[c4] + s[c5] + s[c6] - s[c7];
      dO += s[c0 + 1] - s[c1 + 1] - s[c2 + 1] - s[c3 + 1] + s[c4 + 1] + s[c5 + 1] + s[c6 + 1] - s[c7 + 1];
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

/**
 * The best IoU any volume could reach in a slot whose output is out = (P ∧ U) ∨ (¬P ∧ V): the P that
 * takes every voxel that adds a target voxel or removes an outside one, and nothing else. No primitive
 * does better, so a slot whose bound cannot beat the best candidate so far is not scanned.
 */
export function slotBound(u: Voxels, v: Voxels, target: Voxels): number {
  let inter = 0;
  let uni = 0;
  for (let w = 0; w < WORDS; w++) {
    const t = target[w];
    const o = (v[w] | (u[w] & t)) & (u[w] | t);
    if ((o | t) === 0) continue;
    inter += popcount32(o & t);
    uni += popcount32(o | t);
  }
  return uni === 0 ? 1 : inter / uni;
}

const OPS: CsgRenderOps<Primitive, Voxels> = {
  isPrimitive,
  renderProgram,
  union: unionVoxels,
  difference: differenceVoxels,
};

/** The program's picture with the node at `where` replaced by `fill`. */
const renderWith = (p: Program, where: Where, depth: number, fill: Voxels): Voxels =>
  csgRenderWith(OPS, p, where, depth, fill);

const replaceAt = (p: Program, where: Where, depth: number, by: Program): Program =>
  csgReplaceAt(isPrimitive, p, where, depth, by);

/** Every node with its position, root first (pre-order). */
const positions = (p: Program): { where: Where; node: Program }[] => csgPositions(isPrimitive, p);

export interface RefineOptions {
  /** Stop when this returns true (checked between candidate scans). */
  readonly shouldStop?: () => boolean;
  /** Called with each program better than every one before, and its IoU. */
  readonly onImprove?: (program: Program, iou: number) => void;
  /** Most structural insertions per greedy descent (each adds two lines); default unlimited. */
  readonly maxInsertions?: number;
  /**
   * After the first local optimum, perturbed restarts ("kicks") that may run without improving before
   * the refiner gives up (default 20; 0: plain greedy). Any time left is spent on them.
   */
  readonly patience?: number;
  /** Seed of the kicks (default 1). */
  readonly seed?: number;
}

export interface RefineResult {
  readonly program: Program;
  readonly iou: number;
  /** Accepted moves by kind (over every descent), and kicks tried / kept. */
  readonly moves: {
    readonly delete: number;
    readonly replace: number;
    readonly insert: number;
    readonly kicks: number;
    readonly keptKicks: number;
  };
  /** True when no move improves any more and the kicks ran out of patience, false when stopped early. */
  readonly converged: boolean;
}

interface Candidate {
  readonly program: Program;
  readonly iou: number;
}

/** IoU from which a given start is descended before the one from a single primitive. */
const GOOD_START = 0.8;

/** Tolerance for comparing IoUs computed by different voxel sums. */
const EPS = 1e-12;

/** A slot to fill with the best primitive: its output volumes and how a primitive is placed there. */
interface Slot {
  readonly u: Voxels;
  readonly v: Voxels;
  readonly place: (prim: Primitive) => Program;
}

/** The best primitive over all slots: slots by descending bound, scanned while the bound can win. */
function bestOverSlots(
  slots: Slot[],
  target: Voxels,
  current: number,
  stop: () => boolean,
): Candidate | null {
  const ranked = slots
    .map((s) => ({ s, bound: slotBound(s.u, s.v, target) }))
    .sort((x, y) => y.bound - x.bound);
  let best: Candidate | null = null;
  for (const { s, bound } of ranked) {
    if (bound <= Math.max(current, best?.iou ?? -1) + EPS || stop()) break;
    const found = bestPrimitiveFor(s.u, s.v, target);
    if (!found || found.iou <= current + EPS || (best && found.iou <= best.iou + EPS)) continue;
    best = { program: s.place(ALL_PRIMITIVES[found.index]), iou: found.iou };
  }
  return best;
}

/** Deletions that keep the IoU: an operator node replaced by one operand. First found, or null. */
function findDeletion(p: Program, target: Voxels, current: number): Candidate | null {
  for (const { where, node } of positions(p)) {
    if (isPrimitive(node)) continue;
    const keeps = node.op === 'union' ? [node.a, node.b] : [node.a];
    for (const keep of keeps) {
      const s = iou(renderWith(p, where, 0, renderProgram(keep)), target);
      if (s >= current - EPS) return { program: replaceAt(p, where, 0, keep), iou: s };
    }
  }
  return null;
}

function replacementSlots(p: Program): Slot[] {
  return positions(p)
    .filter(({ node }) => isPrimitive(node))
    .map(({ where }) => ({
      u: renderWith(p, where, 0, FULL),
      v: renderWith(p, where, 0, EMPTY),
      place: (prim: Primitive) => replaceAt(p, where, 0, prim),
    }));
}

/**
 * Insertions at every node X: union(X, P) and diff(X, P) (P full gives the output with X full, resp.
 * empty), and diff(P, X), a new part with X carved out of it (P full gives X's complement in the slot).
 */
function insertionSlots(p: Program): Slot[] {
  const now = renderProgram(p);
  const slots: Slot[] = [];
  for (const { where, node } of positions(p)) {
    for (const op of ['union', 'diff'] as const)
      slots.push({
        u: renderWith(p, where, 0, op === 'union' ? FULL : EMPTY),
        v: now,
        place: (prim) => replaceAt(p, where, 0, { op, a: node, b: prim }),
      });
    slots.push({
      u: renderWith(p, where, 0, differenceVoxels(FULL, renderProgram(node))),
      v: renderWith(p, where, 0, EMPTY),
      place: (prim) => replaceAt(p, where, 0, { op: 'diff', a: prim, b: node }),
    });
  }
  return slots;
}

interface Moves {
  delete: number;
  replace: number;
  insert: number;
  kicks: number;
  keptKicks: number;
}

/**
 * One greedy descent: delete while the IoU holds, else take the best replacement, else the best
 * insertion; until nothing improves (converged) or `stop`.
 */
function descend(
  start: Candidate,
  target: Voxels,
  stop: () => boolean,
  moves: Moves,
  maxInsertions: number,
  improved: (c: Candidate) => void,
): { best: Candidate; converged: boolean } {
  let { program: p, iou: current } = start;
  let inserted = 0;
  for (;;) {
    if (stop()) return { best: { program: p, iou: current }, converged: false };
    const del = findDeletion(p, target, current);
    if (del) {
      moves.delete++;
      p = del.program;
      current = del.iou;
      improved(del);
      continue;
    }
    // A perfect program can only get shorter.
    if (current >= 1) return { best: { program: p, iou: current }, converged: true };
    const found =
      bestOverSlots(replacementSlots(p), target, current, stop) ??
      (inserted < maxInsertions && !stop() ? bestOverSlots(insertionSlots(p), target, current, stop) : null);
    if (!found) return { best: { program: p, iou: current }, converged: !stop() };
    if (lineCount(found.program) > lineCount(p)) {
      moves.insert++;
      inserted++;
    } else moves.replace++;
    p = found.program;
    current = found.iou;
    improved(found);
  }
}

/** A random change that may lower the IoU: drop a random operator's operand, or swap a primitive. */
function kick(p: Program, rng: Rng): Program {
  const nodes = positions(p);
  const ops = nodes.filter(({ node }) => !isPrimitive(node));
  if (ops.length > 0 && rng.bool()) {
    const { where, node } = ops[rng.int(ops.length)];
    const c = node as Exclude<Program, Primitive>;
    return replaceAt(p, where, 0, c.op === 'union' && rng.bool() ? c.b : c.a);
  }
  const prims = nodes.filter(({ node }) => isPrimitive(node));
  const { where } = prims[rng.int(prims.length)];
  return replaceAt(p, where, 0, ALL_PRIMITIVES[rng.int(ALL_PRIMITIVES.length)]);
}

/** Better: a higher IoU, or the same IoU in fewer lines. */
const betterThan = (a: Candidate, b: Candidate): boolean =>
  a.iou > b.iou + EPS || (a.iou >= b.iou - EPS && lineCount(a.program) < lineCount(b.program));

/**
 * Refinement: greedy descents from `start` and from the best single primitive (the better start first;
 * with `start` null only the latter — a search-free baseline), then an iterated local search — kick the
 * best program, descend again, keep the result when it is better — until `patience` kicks in a row
 * bring nothing or `shouldStop`.
 */
export function refineProgram(
  start: Program | null,
  target: Voxels,
  options: RefineOptions = {},
): RefineResult {
  const stop = options.shouldStop ?? (() => false);
  const patience = options.patience ?? 20;
  const rng = new Rng(options.seed ?? 1);
  const moves: Moves = { delete: 0, replace: 0, insert: 0, kicks: 0, keptKicks: 0 };
  const found = bestPrimitiveFor(FULL, EMPTY, target)!;
  const fresh: Candidate = { program: ALL_PRIMITIVES[found.index], iou: found.iou };
  const given: Candidate | null = start ? { program: start, iou: iou(renderProgram(start), target) } : null;
  // Both starts are descended, the given one first only when it is good: a long poor start costs many
  // deletions, and the descent from one primitive is the quicker way up (measured on searches' output).
  const starts = !given
    ? [fresh]
    : given.iou >= Math.max(fresh.iou, GOOD_START)
      ? [given, fresh]
      : [fresh, given];
  let best = starts[0];
  let reported = given?.iou ?? -1;
  // Reports only programs better than every one before (a kicked descent starts lower).
  const improved = (c: Candidate): void => {
    if (c.iou > reported + EPS) options.onImprove?.(c.program, (reported = c.iou));
  };
  improved(best);
  const maxInsertions = options.maxInsertions ?? Infinity;
  const done = (converged: boolean): RefineResult => ({
    program: best.program,
    iou: best.iou,
    moves,
    converged,
  });
  for (const [k, s0] of starts.entries()) {
    const d = descend(s0, target, stop, moves, maxInsertions, improved);
    if (k === 0 || betterThan(d.best, best)) best = d.best;
    if (!d.converged) return done(false);
  }
  for (let idle = 0; idle < patience && best.iou < 1;) {
    if (stop()) return done(false);
    moves.kicks++;
    const kicked = kick(best.program, rng);
    const r = descend(
      { program: kicked, iou: iou(renderProgram(kicked), target) },
      target,
      stop,
      moves,
      maxInsertions,
      improved,
    );
    if (betterThan(r.best, best)) {
      best = r.best;
      moves.keptKicks++;
      idle = 0;
    } else idle++;
    if (!r.converged) return done(false);
  }
  return done(true);
}
