/**
 * What the csg2d and csg3d scene generators share: a left-deep scene of random shapes, each joined by
 * union or difference only when it changes between minChange and maxChange of the picture, then dead
 * code removed; and the post-order action trace that builds a program in the set MDP. Each problem
 * gives its random shapes and its picture operations.
 */
import type { Rng } from '../core/index.js';
import type { CombineOp, CsgProgram } from './program.js';
import type { CsgCombineAction } from './repl.js';

/** The picture operations a generator needs. */
export interface CsgPictureOps<P, Pic> {
  isPrimitive(p: CsgProgram<P>): p is P;
  renderProgram(p: CsgProgram<P>): Pic;
  equals(a: Pic, b: Pic): boolean;
  union(a: Pic, b: Pic): Pic;
  difference(a: Pic, b: Pic): Pic;
  countOn(a: Pic): number;
}

/** Trees with one subtree removed: a union by either child, a difference by its left child. */
function* simplifications<P>(ops: CsgPictureOps<P, unknown>, p: CsgProgram<P>): Generator<CsgProgram<P>> {
  if (ops.isPrimitive(p)) return;
  for (const a of simplifications(ops, p.a)) yield { op: p.op, a, b: p.b };
  for (const b of simplifications(ops, p.b)) yield { op: p.op, a: p.a, b };
  yield p.a;
  if (p.op === 'union') yield p.b;
}

/** Removes code that does not change the picture (CAD.py's removeCodeNotChangingRender). */
export function csgRemoveDeadCode<P, Pic>(ops: CsgPictureOps<P, Pic>, p: CsgProgram<P>): CsgProgram<P> {
  const target = ops.renderProgram(p);
  for (let changed = true; changed;) {
    changed = false;
    for (const q of simplifications(ops, p)) {
      if (ops.equals(ops.renderProgram(q), target)) {
        p = q;
        changed = true;
        break;
      }
    }
  }
  return p;
}

/** The options both generators read. */
export interface CsgSceneOptions {
  /** Shapes drawn uniformly from minShapes … maxShapes (before dead code removal). */
  readonly maxShapes: number;
  readonly minShapes: number;
  /** Probability that a shape joins by union (else difference). */
  readonly unionRate: number;
  /** Accepted range of the changed fraction of the picture. */
  readonly minChange: number;
  readonly maxChange: number;
}

/** A random scene; shapes that break the change rule are redrawn (at most 30 tries per shape). */
export function csgGenerateScene<P, Pic, Shape extends CsgProgram<P>>(
  ops: CsgPictureOps<P, Pic>,
  rng: Rng,
  o: CsgSceneOptions,
  /** A random shape (a primitive, or in 2D a small tree) and its picture. */
  randomShape: (rng: Rng) => Shape,
  render: (shape: Shape) => Pic,
): { program: CsgProgram<P>; steps: { op: CombineOp | null; shape: Shape }[] } {
  const desired = rng.range(Math.min(o.minShapes, o.maxShapes), o.maxShapes);
  const first = randomShape(rng);
  const steps: { op: CombineOp | null; shape: Shape }[] = [{ op: null, shape: first }];
  let scene: CsgProgram<P> = first;
  // The current picture and its count: each candidate costs one word operation, not a re-render.
  let pic = render(first);
  let on = ops.countOn(pic);
  for (let tries = 0; steps.length < desired && tries < 30 * desired; tries++) {
    const shape = randomShape(rng);
    const op = rng.float() < o.unionRate ? 'union' : 'diff';
    const v = render(shape);
    const next = op === 'union' ? ops.union(pic, v) : ops.difference(pic, v);
    const nextOn = ops.countOn(next);
    const change = Math.abs(nextOn - on) / on;
    if (change < o.minChange || change > o.maxChange) continue;
    scene = { op, a: scene, b: shape };
    pic = next;
    on = nextOn;
    steps.push({ op, shape });
  }
  return { program: csgRemoveDeadCode(ops, scene), steps };
}

/**
 * The post-order action trace that builds `p` in the set MDP: children first, then the operator on
 * their positions in scope. For a scene (left-deep) that is: a shape's lines, then combine it with the
 * accumulated object. Also returns the most objects in scope at any time.
 */
export function csgTraceFor<P>(
  isPrimitive: (p: CsgProgram<P>) => p is P,
  p: CsgProgram<P>,
): { trace: (P | CsgCombineAction)[]; maxScope: number } {
  const trace: (P | CsgCombineAction)[] = [];
  const scope: number[] = []; // ids of objects in scope, in pointer order
  let nextId = 0;
  let maxScope = 0;
  const walk = (q: CsgProgram<P>): number => {
    if (isPrimitive(q)) {
      trace.push(q);
    } else {
      const a = walk(q.a);
      const b = walk(q.b);
      trace.push({ op: q.op, a: scope.indexOf(a), b: scope.indexOf(b) });
      scope.splice(scope.indexOf(a), 1);
      scope.splice(scope.indexOf(b), 1);
    }
    const id = nextId++;
    scope.push(id);
    maxScope = Math.max(maxScope, scope.length);
    return id;
  };
  walk(p);
  return { trace, maxScope };
}
