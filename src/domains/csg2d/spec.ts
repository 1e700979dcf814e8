/**
 * The task spec: a 64×64 target picture. Generated tasks use hex rows (compact, JSON-able, and the
 * text shows the picture); a plain pixel array (one value per pixel, non-zero = filled) is accepted too.
 */
import { SpecError } from '../../core/index.js';
import { SIZE, fromHexRows, fromPixels, toHexRows, type Raster } from './raster.js';

export interface HexSpec {
  readonly width: 64;
  readonly height: 64;
  /** 64 rows of 16 hex digits, most significant bit = leftmost pixel (see raster.ts toHexRows). */
  readonly rows: readonly string[];
}
export interface PixelSpec {
  readonly width: 64;
  readonly height: 64;
  /** 4096 values, row-major, non-zero = filled. */
  readonly pixels: ArrayLike<number>;
}
export type Csg2dSpec = HexSpec | PixelSpec;

export function specFromRaster(r: Raster): HexSpec {
  return { width: SIZE, height: SIZE, rows: toHexRows(r) };
}

/** The spec's raster; throws SpecError naming the problem. */
export function rasterFromSpec(spec: Csg2dSpec): Raster {
  if (typeof spec !== 'object' || spec === null) throw new SpecError('csg2d spec must be an object');
  if (spec.width !== SIZE || spec.height !== SIZE)
    throw new SpecError(
      `csg2d spec must be ${SIZE}×${SIZE}, got ${String(spec.width)}×${String(spec.height)}`,
    );
  if ('rows' in spec) {
    const r = fromHexRows(spec.rows);
    if (typeof r === 'string') throw new SpecError(`csg2d spec: ${r}`);
    return r;
  }
  if ('pixels' in spec && spec.pixels && spec.pixels.length === SIZE * SIZE) return fromPixels(spec.pixels);
  throw new SpecError(`csg2d spec needs 'rows' (64 hex strings) or 'pixels' (${SIZE * SIZE} values)`);
}
