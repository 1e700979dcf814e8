/**
 * Exports a program as OpenSCAD (2-D), SVG and JSON. Our y axis points down (image rows); OpenSCAD's
 * points up, so SCAD output uses y' = 32 − y and the shape looks the same when viewed from above.
 */
import { CANVAS, isPrimitive, parseProgram, printProgram, type Primitive, type Program } from './dsl.js';
import { csgFromJson, csgOpenScad } from '../../csg/export.js';

const fmt = (v: number): string => String(Math.round(v * 1e6) / 1e6);

function scadPrimitive(p: Primitive): string {
  switch (p.op) {
    case 'circle':
      return `translate([${fmt(p.x)}, ${fmt(CANVAS - p.y)}]) circle(d = ${p.d}, $fn = 96);`;
    case 'rect':
      return `translate([${p.x1}, ${CANVAS - p.y2}]) square([${p.x2 - p.x1}, ${p.y2 - p.y1}]);`;
    case 'rect45':
      // From the left vertex (x−a, y+a): the square's x side runs to the bottom vertex, its y side to the top.
      return (
        `translate([${p.x - p.a}, ${CANVAS - p.y - p.a}]) rotate(-45) ` +
        `square([${p.b} * sqrt(2), ${p.a} * sqrt(2)]);`
      );
  }
}

/** OpenSCAD 2-D source: union() / difference() blocks over circle, square and rotated square. */
export function toOpenScad(p: Program): string {
  return csgOpenScad(
    [
      '// replsynth csg2d program: 32×32 units, y up (image row y is OpenSCAD y = 32 − y).',
      '// Extrude for 3-D printing, e.g. linear_extrude(height = 2) { … }.',
    ],
    isPrimitive,
    scadPrimitive,
    p,
  );
}

function svgPrimitive(p: Primitive): string {
  switch (p.op) {
    case 'circle':
      return `<circle cx="${p.x}" cy="${p.y}" r="${fmt(p.d / 2)}"/>`;
    case 'rect':
      return `<rect x="${p.x1}" y="${p.y1}" width="${p.x2 - p.x1}" height="${p.y2 - p.y1}"/>`;
    case 'rect45': {
      const pts = [
        [p.x, p.y],
        [p.x - p.a, p.y + p.a],
        [p.x - p.a + p.b, p.y + p.a + p.b],
        [p.x + p.b, p.y + p.b],
      ];
      return `<polygon points="${pts.map(([x, y]) => `${x},${y}`).join(' ')}"/>`;
    }
  }
}

export interface SvgOptions {
  /** Width and height in pixels of the SVG element (default 256). */
  readonly size?: number;
  readonly fill?: string;
  readonly background?: string;
}

/**
 * SVG in canvas units (viewBox 0 0 32 32, y down like the raster). A difference a − b draws a inside a
 * group masked by a <mask> that is white everywhere except b drawn in black, so nested differences
 * render exactly like the raster's set semantics.
 */
export function toSvg(p: Program, opts: SvgOptions = {}): string {
  const size = opts.size ?? 256;
  const masks: string[] = [];
  let nextMask = 0;
  const walk = (q: Program, indent: string): string => {
    if (isPrimitive(q)) return indent + svgPrimitive(q);
    if (q.op === 'union')
      return `${indent}<g>\n${walk(q.a, indent + '  ')}\n${walk(q.b, indent + '  ')}\n${indent}</g>`;
    // The mask content is built first, so masks nested in it get smaller ids (post-order).
    const cut = walk(q.b, '      ');
    const id = `m${nextMask++}`;
    masks.push(
      `  <mask id="${id}" maskUnits="userSpaceOnUse" x="0" y="0" width="${CANVAS}" height="${CANVAS}">\n` +
        `    <rect x="0" y="0" width="${CANVAS}" height="${CANVAS}" fill="white"/>\n` +
        `    <g fill="black">\n${cut}\n    </g>\n  </mask>`,
    );
    return `${indent}<g mask="url(#${id})">\n${walk(q.a, indent + '  ')}\n${indent}</g>`;
  };
  const body = walk(p, '    ');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${CANVAS} ${CANVAS}">`,
    `  <defs>\n${masks.join('\n')}\n  </defs>`,
    `  <rect x="0" y="0" width="${CANVAS}" height="${CANVAS}" fill="${opts.background ?? 'white'}"/>`,
    `  <g fill="${opts.fill ?? 'black'}">`,
    body,
    '  </g>',
    '</svg>',
    '',
  ].join('\n');
}

export interface ProgramJson {
  readonly format: 'replsynth-csg2d';
  readonly version: 1;
  readonly canvas: number;
  /** Program text (one statement per line), as printed by the REPL. */
  readonly source: string;
  readonly program: Program;
}

export function toJson(p: Program): ProgramJson {
  return { format: 'replsynth-csg2d', version: 1, canvas: CANVAS, source: printProgram(p), program: p };
}

/** Reads `toJson` output back (re-parsing the source, so the tree is validated). */
export function fromJson(value: unknown): Program {
  return csgFromJson('csg2d', parseProgram, value);
}
