import { describe, expect, it } from 'vitest';
import { Rng, SpecError } from '../../core/index.js';
import { actionSpaceSize, ALL_PRIMITIVES, type Csg2dAction } from './actions.js';
import { createCsg2dDomain } from './domain.js';
import { parseProgram, printProgram } from './dsl.js';
import { rasterEquals } from './raster.js';
import { renderProgram } from './render.js';
import type { Csg2dState } from './repl.js';
import { specFromRaster } from './spec.js';

const target = parseProgram('diff(union(rect(2, 2, 20, 12), circle(20, 20, 16)), circle(8, 8, 6))');
const domain = createCsg2dDomain({ maxObjects: 3, maxDepth: 6 });
const spec = specFromRaster(renderProgram(target));

function run(actions: Csg2dAction[], from: Csg2dState = domain.initialState(spec)): Csg2dState {
  let s = from;
  for (const a of actions) {
    const r = domain.step(s, a);
    if (!r.ok) throw new Error(r.reason);
    s = r.state;
  }
  return s;
}

const rect: Csg2dAction = { op: 'rect', x1: 2, y1: 2, x2: 20, y2: 12 };
const big: Csg2dAction = { op: 'circle', x: 20, y: 20, d: 16 };
const hole: Csg2dAction = { op: 'circle', x: 8, y: 8, d: 6 };

describe('csg2d REPL', () => {
  it('adds objects, and an operator replaces its two inputs by the result', () => {
    const s = run([rect, big, hole, { op: 'union', a: 0, b: 1 }]);
    expect(s.objects.map((o) => printProgram(o.program).split('\n').pop())).toEqual([
      'a = circle(8, 8, 6)',
      'c = union(a, b)',
    ]);
    const done = run([{ op: 'diff', a: 1, b: 0 }], s);
    expect(done.objects.length).toBe(1);
    expect(domain.isSolved(done)).toBe(true);
    expect(domain.score(done)).toBe(1);
    expect(domain.program(done)).toEqual(target);
    expect(domain.isTerminal(done)).toBe(true);
  });

  it('scores the best object and returns its program', () => {
    const s = run([hole, rect]);
    expect(domain.score(s)).toBeGreaterThan(0.3);
    expect(domain.program(s)).toEqual(rect);
    expect(domain.isSolved(s)).toBe(false);
    expect(domain.program(domain.initialState(spec))).toBeNull();
    expect(domain.score(domain.initialState(spec))).toBe(0);
  });

  it('fails bad lines with a reason instead of throwing', () => {
    const s = run([rect, big]);
    const why = (a: unknown): string => {
      const r = domain.step(s, a as Csg2dAction);
      return r.ok ? 'ok' : r.reason;
    };
    expect(why({ op: 'circle', x: 1, y: 2, d: 8 })).toMatch(/grid/);
    expect(why({ op: 'union', a: 0, b: 2 })).toMatch(/out of range/);
    expect(why({ op: 'union', a: 1, b: 1 })).toMatch(/same object/);
    expect(why({ op: 'union', a: 0.5, b: 1 })).toMatch(/integer/);
    expect(why({ op: 'spline' })).toMatch(/unknown action/);
    expect(why(null)).toMatch(/not an object/);
    const inside = run([
      { op: 'rect', x1: 0, y1: 0, x2: 30, y2: 30 },
      { op: 'rect', x1: 2, y1: 2, x2: 4, y2: 4 },
    ]);
    const r = domain.step(inside, { op: 'union', a: 0, b: 1 });
    expect(r.ok ? '' : r.reason).toMatch(/changes nothing/);
    const e = domain.step(inside, { op: 'diff', a: 1, b: 0 });
    expect(e.ok ? '' : e.reason).toMatch(/changes nothing|empty/);
    const full = run([hole], s);
    const f = domain.step(full, rect);
    expect(f.ok ? '' : f.reason).toMatch(/scope full/);
    const deep = run([{ op: 'union', a: 0, b: 1 }, hole, { op: 'diff', a: 1, b: 0 }], full);
    expect(deep.steps).toBe(6);
    const d = domain.step(deep, hole);
    expect(d.ok ? '' : d.reason).toMatch(/depth cap/);
    expect(domain.isTerminal(deep)).toBe(true);
    expect(domain.randomLegalAction(deep, new Rng(1))).toBeNull();
  });

  it('keys states by the set of pictures, ignoring order and syntax', () => {
    const a = run([rect, big]);
    const b = run([big, rect]);
    expect(domain.stateKey(a)).toBe(domain.stateKey(b));
    const u1 = run([{ op: 'union', a: 0, b: 1 }], a);
    const u2 = run([{ op: 'union', a: 1, b: 0 }], a);
    expect(domain.stateKey(u1)).toBe(domain.stateKey(u2));
    expect(domain.stateKey(u1)).not.toBe(domain.stateKey(a));
  });

  it('lists legal actions lazily and consistently with step', () => {
    const s = run([rect, big]);
    const it = domain.legalActions(s)[Symbol.iterator]();
    const first: Csg2dAction[] = [];
    for (let i = 0; i < 10; i++) first.push(it.next().value as Csg2dAction);
    for (const a of first) expect(domain.step(s, a).ok).toBe(true);
    const all = [...domain.legalActions(s)];
    // rect and big circle touch at one point only: both unions are legal, both differences no-ops.
    expect(all.length).toBe(2 + ALL_PRIMITIVES.length);
    expect(domain.actionSpace.size).toBe(actionSpaceSize(3));
    expect(domain.actionSpace.key({ op: 'union', a: 0, b: 1 })).toBe('union(0,1)');
    const rng = new Rng(7);
    for (let i = 0; i < 50; i++) expect(domain.step(s, domain.randomLegalAction(s, rng)!).ok).toBe(true);
  });

  it('reads pixel specs and rejects bad ones', () => {
    const pixels = new Uint8Array(4096);
    pixels[100] = 1;
    const s = domain.initialState({ width: 64, height: 64, pixels });
    expect(rasterEquals(s.spec, domain.initialState(specFromRaster(s.spec)).spec)).toBe(true);
    expect(() => domain.initialState({ width: 32, height: 32, pixels } as never)).toThrow(SpecError);
    expect(() => domain.initialState({ width: 64, height: 64, rows: ['00'] })).toThrow(SpecError);
  });

  it('describes states as compact JSON', () => {
    const d = domain.describe(run([rect])) as { objects: { program: string; iou: number }[] };
    expect(d.objects[0].program).toBe('a = rect(2, 2, 20, 12)');
    expect(JSON.parse(JSON.stringify(domain.describe(domain.initialState(spec))))).toHaveProperty('spec');
  });
});
