/**
 * A drawing board for image inputs: pen, eraser, filled rectangles and circles on a white square.
 * What it holds is handed to the problem's image format as PNG bytes (the browser encodes them), so
 * the problem reads a drawing exactly as it reads an uploaded file.
 */
import { h } from './dom.js';

type Tool = 'pen' | 'eraser' | 'rect' | 'circle';

const SIZE = 256;

export class DrawingBoard {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private tool: Tool = 'rect';
  private width = 8;
  private start: { x: number; y: number } | null = null;
  private snapshot: ImageData | null = null;
  /** Called after every stroke or shape. */
  onChange: () => void = () => undefined;

  constructor() {
    this.canvas = h('canvas', { width: SIZE, height: SIZE, class: 'board', testid: 'board' });
    this.ctx = this.canvas.getContext('2d', { willReadFrequently: true })!;
    this.clear();
    const tools: [Tool, string][] = [
      ['rect', '▭ rectangle'],
      ['circle', '◯ circle'],
      ['pen', '✎ pen'],
      ['eraser', '⌫ eraser'],
    ];
    const buttons = tools.map(([t, label]) =>
      h(
        'button',
        { type: 'button', class: t === this.tool ? 'tool on' : 'tool', testid: `tool-${t}` },
        label,
      ),
    );
    buttons.forEach((b, i) =>
      b.addEventListener('click', () => {
        this.tool = tools[i][0];
        buttons.forEach((x) => x.classList.toggle('on', x === b));
      }),
    );
    const width = h('input', { type: 'range', min: 2, max: 40, value: this.width, title: 'pen width' });
    width.addEventListener('input', () => (this.width = Number(width.value)));
    const clear = h('button', { type: 'button', testid: 'clear' }, 'clear');
    clear.addEventListener('click', () => {
      this.clear();
      this.onChange();
    });
    this.element = h(
      'div',
      { class: 'drawing' },
      h('div', { class: 'tools' }, buttons, width, clear),
      this.canvas,
    );
    this.listen();
  }

  clear(): void {
    this.ctx.fillStyle = '#fff';
    this.ctx.fillRect(0, 0, SIZE, SIZE);
  }

  /** Shows an image (e.g. an uploaded file), scaled to fit. */
  async show(bytes: Uint8Array, type: string): Promise<void> {
    const bitmap = await createImageBitmap(new Blob([bytes as BlobPart], { type }));
    this.clear();
    const s = Math.min(SIZE / bitmap.width, SIZE / bitmap.height);
    const w = bitmap.width * s;
    const hgt = bitmap.height * s;
    this.ctx.drawImage(bitmap, (SIZE - w) / 2, (SIZE - hgt) / 2, w, hgt);
  }

  /** The drawing as image bytes of `type` (e.g. 'image/png'). */
  bytes(type: string): Promise<Uint8Array> {
    return new Promise((resolve, reject) =>
      this.canvas.toBlob((b) => {
        if (!b) reject(new Error('the drawing could not be encoded'));
        else void b.arrayBuffer().then((a) => resolve(new Uint8Array(a)));
      }, type),
    );
  }

  private at(e: PointerEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * SIZE) / r.width, y: ((e.clientY - r.top) * SIZE) / r.height };
  }

  private shape(from: { x: number; y: number }, to: { x: number; y: number }): void {
    const c = this.ctx;
    c.fillStyle = '#000';
    if (this.tool === 'rect') {
      c.fillRect(
        Math.min(from.x, to.x),
        Math.min(from.y, to.y),
        Math.abs(to.x - from.x),
        Math.abs(to.y - from.y),
      );
    } else {
      c.beginPath();
      c.arc(from.x, from.y, Math.hypot(to.x - from.x, to.y - from.y), 0, 2 * Math.PI);
      c.fill();
    }
  }

  private line(from: { x: number; y: number }, to: { x: number; y: number }): void {
    const c = this.ctx;
    c.strokeStyle = this.tool === 'eraser' ? '#fff' : '#000';
    c.lineWidth = this.width;
    c.lineCap = 'round';
    c.beginPath();
    c.moveTo(from.x, from.y);
    c.lineTo(to.x, to.y);
    c.stroke();
  }

  private listen(): void {
    const cv = this.canvas;
    cv.addEventListener('pointerdown', (e) => {
      cv.setPointerCapture(e.pointerId);
      this.start = this.at(e);
      this.snapshot = this.ctx.getImageData(0, 0, SIZE, SIZE);
      if (this.tool === 'pen' || this.tool === 'eraser') this.line(this.start, this.start);
    });
    cv.addEventListener('pointermove', (e) => {
      if (!this.start) return;
      const p = this.at(e);
      if (this.tool === 'pen' || this.tool === 'eraser') {
        this.line(this.start, p);
        this.start = p;
      } else {
        this.ctx.putImageData(this.snapshot!, 0, 0);
        this.shape(this.start, p);
      }
    });
    const end = (): void => {
      if (!this.start) return;
      this.start = null;
      this.snapshot = null;
      this.onChange();
    };
    cv.addEventListener('pointerup', end);
    cv.addEventListener('pointercancel', end);
  }
}
