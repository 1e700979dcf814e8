/**
 * Exports a program as OpenSCAD (3-D CSG; 1 unit = 1 voxel, z up, the same coordinates as the DSL),
 * binary STL (the closed surface of mesh.ts through the voxel centres: voxelizing it gives the program's voxels back) and JSON.
 */
import { isPrimitive, parseProgram, printProgram, SIDE, type Primitive, type Program } from './dsl.js';
import { programSurface } from './mesh.js';
import { writeBinaryStl } from './stl.js';
import { csgFromJson, csgOpenScad } from '../../csg/export.js';

/** Facets of OpenSCAD's circles and spheres: fine enough that voxelizing the render matches ours. */
export const SCAD_FN = 64;

function scadPrimitive(p: Primitive): string {
  switch (p.op) {
    case 'cuboid':
      return `translate([${p.x1}, ${p.y1}, ${p.z1}]) cube([${p.x2 - p.x1}, ${p.y2 - p.y1}, ${p.z2 - p.z1}]);`;
    case 'sphere':
      return `translate([${p.x}, ${p.y}, ${p.z}]) sphere(r = ${p.r}, $fn = ${SCAD_FN});`;
    case 'cylinder': {
      // OpenSCAD cylinders run along +z from their base; rotate that axis onto +x or +y.
      const turn = p.axis === 'x' ? 'rotate([0, 90, 0]) ' : p.axis === 'y' ? 'rotate([-90, 0, 0]) ' : '';
      return `translate([${p.x}, ${p.y}, ${p.z}]) ${turn}cylinder(h = ${p.l}, r = ${p.r}, $fn = ${SCAD_FN});`;
    }
  }
}

/** OpenSCAD source: union() / difference() blocks over cube, sphere and cylinder. */
export function toOpenScad(p: Program): string {
  return csgOpenScad(
    [
      `// replsynth csg3d program: a ${SIDE}×${SIDE}×${SIDE} voxel volume, 1 unit = 1 voxel, z up.`,
      '// Render with: openscad -o part.stl part.scad',
    ],
    isPrimitive,
    scadPrimitive,
    p,
  );
}

/** Binary STL of the program's solid: closed, every edge shared by two triangles, facing outwards. */
export function toStl(p: Program, perVoxel = 1): Uint8Array {
  return writeBinaryStl(programSurface(p, perVoxel), 'replsynth csg3d (voxel units, z up)');
}

export interface ProgramJson {
  readonly format: 'replsynth-csg3d';
  readonly version: 1;
  readonly size: number;
  /** Program text (one statement per line), as printed by the REPL. */
  readonly source: string;
  readonly program: Program;
}

export function toJson(p: Program): ProgramJson {
  return { format: 'replsynth-csg3d', version: 1, size: SIDE, source: printProgram(p), program: p };
}

/** Reads `toJson` output back (re-parsing the source, so the tree is validated). */
export function fromJson(value: unknown): Program {
  return csgFromJson('csg3d', parseProgram, value);
}
