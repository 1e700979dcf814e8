/**
 * The task spec: a 32³ target volume. Generated tasks use row runs (`toRuns`: compact, JSON-able);
 * 1,024 hex rows or one value per voxel are accepted too. The voxel layout is that of voxels.ts.
 */
import { SpecError } from '../../core/index.js';
import { N, VOXELS, fromBytes, fromHexRows, fromRuns, toRuns, type Voxels } from './voxels.js';

export interface RunsSpec {
  readonly size: 32;
  /** Row words (y, z) in order 32·z + y as runs `count*hex` (see voxels.ts toRuns). */
  readonly runs: string;
}
export interface RowsSpec {
  readonly size: 32;
  /** 1,024 rows of 8 hex digits, row 32·z + y; bit x of the row word is voxel (x, y, z). */
  readonly rows: readonly string[];
}
export interface BytesSpec {
  readonly size: 32;
  /** 32,768 values, index x + 32·y + 1024·z, non-zero = filled. */
  readonly voxels: ArrayLike<number>;
}
export type Csg3dSpec = RunsSpec | RowsSpec | BytesSpec;

export function specFromVoxels(v: Voxels): RunsSpec {
  return { size: N, runs: toRuns(v) };
}

const parsed = new WeakMap<object, Voxels>();

/** The spec's voxels (cached per spec object); throws SpecError naming the problem. */
export function voxelsFromSpec(spec: Csg3dSpec): Voxels {
  if (typeof spec !== 'object' || spec === null) throw new SpecError('csg3d spec must be an object');
  const hit = parsed.get(spec);
  if (hit) return hit;
  if (spec.size !== N) throw new SpecError(`csg3d spec must be ${N}³ voxels, got size ${String(spec.size)}`);
  let v: Voxels | string;
  if ('runs' in spec) v = fromRuns(spec.runs);
  else if ('rows' in spec) v = fromHexRows(spec.rows);
  else if ('voxels' in spec && spec.voxels && spec.voxels.length === VOXELS) v = fromBytes(spec.voxels);
  else v = `needs 'runs', 'rows' (1024 hex strings) or 'voxels' (${VOXELS} values)`;
  if (typeof v === 'string') throw new SpecError(`csg3d spec: ${v}`);
  parsed.set(spec, v);
  return v;
}
