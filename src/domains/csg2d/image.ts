/**
 * PNG input and output. Reading: any size and colour type; dark pixels are filled (luminance < ½ after
 * compositing transparency on white); other sizes are resized to 64×64 by area averaging; an image
 * whose whole border is dark (and whose inside is not) is taken as inverted (light shapes on a dark
 * ground) unless told not to. A shape that merely touches the border does not invert the image. An
 * image with nothing to draw (every pixel light, or dark all over) is an input error, not a target.
 */
import { PNG } from 'pngjs';
import { InputError } from '../../core/index.js';
import { SIZE, fromPixels, getPixel, type Raster } from './raster.js';

export interface PngReadOptions {
  /** 'auto' (default): invert when most border pixels are dark; true/false force it. */
  readonly invert?: 'auto' | boolean;
}

export interface PngRaster {
  readonly raster: Raster;
  /** Size of the original image. */
  readonly width: number;
  readonly height: number;
  /** What was done to the image (resizing, inversion), for the user; null when nothing was. */
  readonly warning: string | null;
}

/** Darkness in [0, 1] per pixel, row-major (alpha composited on white). */
function darkness(png: PNG): Float32Array {
  const { width, height, data } = png;
  const out = new Float32Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const lum = (0.299 * data[4 * i] + 0.587 * data[4 * i + 1] + 0.114 * data[4 * i + 2]) / 255;
    const alpha = data[4 * i + 3] / 255;
    out[i] = alpha * (1 - lum);
  }
  return out;
}

/** Resamples `count` rows of n values to m values each: output cells average the cells they overlap. */
function resampleRows(src: Float32Array, n: number, m: number, count: number): Float32Array {
  const out = new Float32Array(count * m);
  const s = n / m;
  for (let k = 0; k < count; k++)
    for (let o = 0; o < m; o++) {
      const lo = o * s;
      const hi = (o + 1) * s;
      let acc = 0;
      for (let i = Math.floor(lo); i < Math.min(n, Math.ceil(hi)); i++)
        acc += (Math.min(hi, i + 1) - Math.max(lo, i)) * src[k * n + i];
      out[k * m + o] = acc / s;
    }
  return out;
}

function transpose(src: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = src[r * cols + c];
  return out;
}

/** Area-averaged resize of a width×height grid of values (row-major) to SIZE×SIZE. */
export function resizeArea(values: Float32Array, width: number, height: number): Float32Array {
  const rows = resampleRows(values, width, SIZE, height); // height × SIZE
  const cols = resampleRows(transpose(rows, height, SIZE), height, SIZE, SIZE); // SIZE(x) × SIZE(y)
  return transpose(cols, SIZE, SIZE);
}

/** Share of filled pixels on the border (0…1). */
function borderFilled(r: Raster): number {
  let on = 0;
  let all = 0;
  for (let i = 0; i < SIZE; i++)
    for (const [x, y] of [
      [i, 0],
      [i, SIZE - 1],
      [0, i],
      [SIZE - 1, i],
    ]) {
      all++;
      if (getPixel(r, x, y)) on++;
    }
  return on / all;
}

const filledCount = (r: Raster): number => r.reduce((a, w) => a + popcount(w), 0);

function popcount(w: number): number {
  let x = w >>> 0;
  let n = 0;
  while (x) {
    x &= x - 1;
    n++;
  }
  return n;
}

/** The border of a light-on-dark image: dark nearly all round (a few light pixels allowed). */
const INVERTED_BORDER = 0.95;

/** Decodes PNG bytes to a 64×64 raster. Errors are InputErrors naming `file`. */
export function pngToRaster(bytes: Buffer, file = '<png>', opts: PngReadOptions = {}): PngRaster {
  let png: PNG;
  try {
    png = PNG.sync.read(bytes);
  } catch (e) {
    throw new InputError(
      file,
      0,
      null,
      `not a readable PNG image (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  const { width, height } = png;
  if (width < 1 || height < 1) throw new InputError(file, 0, null, 'the image is empty');
  const notes: string[] = [];
  let dark = darkness(png);
  if (width !== SIZE || height !== SIZE) {
    dark = resizeArea(dark, width, height);
    notes.push(`resized ${width}×${height} to ${SIZE}×${SIZE} by area averaging`);
    if (width !== height) notes.push('the image is not square, so it was stretched');
  }
  let raster = fromPixels(Array.from(dark, (v) => (v >= 0.5 ? 1 : 0)));
  const invert = opts.invert ?? 'auto';
  const all = SIZE * SIZE;
  const filled = filledCount(raster);
  if (filled === 0)
    throw new InputError(
      file,
      0,
      null,
      'nothing to draw: every pixel is light (shapes must be dark on light)',
    );
  const auto = invert === 'auto' && borderFilled(raster) >= INVERTED_BORDER;
  if (auto && filled === all)
    throw new InputError(file, 0, null, 'nothing to draw: the image is dark all over');
  if (invert === true || auto) {
    raster = raster.map((w) => ~w >>> 0);
    if (filledCount(raster) === 0)
      throw new InputError(file, 0, null, 'nothing to draw once inverted: the image is dark all over');
    notes.push(
      invert === true
        ? 'inverted'
        : 'the whole border is dark, so the image was inverted (light = filled; --invert no keeps it)',
    );
  }
  return { raster, width, height, warning: notes.length ? notes.join('; ') : null };
}

type Rgb = readonly [number, number, number];

function encodePng(width: number, height: number, color: (x: number, y: number) => Rgb): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const [r, g, b] = color(x, y);
      const i = 4 * (y * width + x);
      png.data[i] = r;
      png.data[i + 1] = g;
      png.data[i + 2] = b;
      png.data[i + 3] = 255;
    }
  return PNG.sync.write(png);
}

const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];

/** A raster as a black-on-white PNG, each pixel scaled up `scale` times (nearest neighbour). */
export function rasterToPng(r: Raster, scale = 4): Buffer {
  return encodePng(SIZE * scale, SIZE * scale, (x, y) =>
    getPixel(r, Math.floor(x / scale), Math.floor(y / scale)) ? BLACK : WHITE,
  );
}

/** Any-size 0/1 pixels (row-major, e.g. from renderAt) as a black-on-white PNG. */
export function pixelsToPng(pixels: Uint8Array, size: number): Buffer {
  return encodePng(size, size, (x, y) => (pixels[y * size + x] ? BLACK : WHITE));
}

/**
 * Target | reconstruction | difference, side by side with grey gaps. In the difference panel pixels
 * in both are dark grey, missing from the reconstruction red, extra in it blue.
 */
export function sideBySidePng(target: Raster, recon: Raster, scale = 4): Buffer {
  const panel = SIZE * scale;
  const gap = 2 * scale;
  return encodePng(3 * panel + 2 * gap, panel, (x, y) => {
    const k = Math.floor(x / (panel + gap));
    const px = x - k * (panel + gap);
    if (px >= panel) return [160, 160, 160];
    const cx = Math.floor(px / scale);
    const cy = Math.floor(y / scale);
    const t = getPixel(target, cx, cy);
    const r = getPixel(recon, cx, cy);
    if (k === 0) return t ? BLACK : WHITE;
    if (k === 1) return r ? BLACK : WHITE;
    if (t && r) return [70, 70, 70];
    if (t) return [220, 40, 40];
    if (r) return [40, 90, 230];
    return WHITE;
  });
}
