import { describe, expect, it } from 'vitest';
import { Rng, replay } from '../../core/index.js';
import { createCsg2dDomain } from './domain.js';
import { parseProgram, printProgram } from './dsl.js';
import { fromJson, toJson, toOpenScad, toSvg } from './export.js';
import { rasterEquals } from './raster.js';
import { renderProgram } from './render.js';

const washer = parseProgram(
  'a = rect(2, 4, 12, 10)\nb = rect45(20, 2, 4, 6)\nc = union(a, b)\nd = circle(8, 20, 10)\ne = circle(8, 20, 6)\nf = diff(d, e)\ng = diff(c, f)',
);

const count = (s: string, sub: string): number => s.split(sub).length - 1;

describe('csg2d export', () => {
  it('renders a program to the same raster the REPL builds from its trace', () => {
    const domain = createCsg2dDomain();
    for (let seed = 0; seed < 30; seed++) {
      const task = domain.sampleTask(new Rng(seed), { maxSize: 20 });
      const r = replay(domain, task.spec, task.trace);
      if (!r.ok) throw new Error(r.reason);
      const p = domain.program(r.state)!;
      expect(rasterEquals(renderProgram(p), r.state.objects[0].raster)).toBe(true);
      expect(rasterEquals(renderProgram(domain.parse(domain.print(p))), r.state.spec)).toBe(true);
    }
  });

  it('writes SVG with one mask per difference, nested inside masks when needed', () => {
    const svg = toSvg(washer);
    expect(svg).toMatch(
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="256" height="256" viewBox="0 0 32 32">/,
    );
    expect(count(svg, '<mask id=')).toBe(2);
    expect(count(svg, 'mask="url(#')).toBe(2);
    expect(count(svg, '<circle')).toBe(2);
    expect(count(svg, '<polygon points="20,2 16,6 22,12 26,8"/>')).toBe(1);
    expect(svg).toContain('<rect x="2" y="4" width="10" height="6"/>');
    // The subtracted washer is drawn in black inside the outer mask, and its own hole masks it there.
    const outer = svg.slice(
      svg.indexOf('<mask id="m1"'),
      svg.indexOf('</mask>', svg.indexOf('<mask id="m1"')),
    );
    expect(outer).toContain('fill="black"');
    expect(outer).toContain('mask="url(#m0)"');
    expect(svg.indexOf('<mask id="m0"')).toBeLessThan(svg.indexOf('<mask id="m1"'));
    expect(svg).toContain('<g mask="url(#m1)">');
  });

  it('writes OpenSCAD with y flipped and the 45° rectangle as a rotated square', () => {
    const scad = toOpenScad(washer);
    expect(count(scad, 'difference() {')).toBe(2);
    expect(count(scad, 'union() {')).toBe(1);
    expect(scad).toContain('translate([2, 22]) square([10, 6]);');
    expect(scad).toContain('translate([8, 12]) circle(d = 10, $fn = 96);');
    expect(scad).toContain('translate([16, 26]) rotate(-45) square([6 * sqrt(2), 4 * sqrt(2)]);');
    expect(count(scad, '{')).toBe(count(scad, '}'));
  });

  it('round-trips JSON', () => {
    const j = JSON.parse(JSON.stringify(toJson(washer))) as unknown;
    expect(fromJson(j)).toEqual(washer);
    expect(printProgram(fromJson(j))).toBe(printProgram(washer));
    expect(() => fromJson({ format: 'other' })).toThrow(/not a replsynth csg2d program/);
  });
});
