/** Plain float64 n-d arrays for the reference implementations (row-major). */
export interface NDArray {
  shape: number[];
  data: Float64Array;
}

export function nd(shape: number[], data?: ArrayLike<number>): NDArray {
  const n = size(shape);
  const d = new Float64Array(n);
  if (data) {
    if (data.length !== n) throw new Error(`nd: shape [${shape}] needs ${n} values, got ${data.length}`);
    d.set(data);
  }
  return { shape: [...shape], data: d };
}

export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

export function broadcastShapes(...shapes: (readonly number[])[]): number[] {
  const r = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(r).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = r - s.length + i;
      if (s[i] === 1) continue;
      if (out[j] !== 1 && out[j] !== s[i]) throw new Error(`nd: cannot broadcast [${shapes.join('] [')}]`);
      out[j] = s[i];
    }
  }
  return out;
}

/** Index into `a` for the flat position `flat` of the broadcast output shape `out`. */
function broadcastIndexer(a: readonly number[], out: readonly number[]): (flat: number) => number {
  const st = strides(a);
  const os = strides(out);
  const off = out.length - a.length;
  return (flat) => {
    let idx = 0;
    for (let i = 0; i < a.length; i++) {
      const coord = Math.floor(flat / os[i + off]) % out[i + off];
      if (a[i] !== 1) idx += coord * st[i];
    }
    return idx;
  };
}

export function elementwise(inputs: readonly NDArray[], f: (...xs: number[]) => number): NDArray {
  const out = broadcastShapes(...inputs.map((x) => x.shape));
  const r = nd(out);
  const idx = inputs.map((x) => broadcastIndexer(x.shape, out));
  const args = new Array<number>(inputs.length);
  for (let k = 0; k < r.data.length; k++) {
    for (let j = 0; j < inputs.length; j++) args[j] = inputs[j].data[idx[j](k)];
    r.data[k] = f(...args);
  }
  return r;
}

export function unravel(flat: number, shape: readonly number[]): number[] {
  const c = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    c[i] = flat % shape[i];
    flat = Math.floor(flat / shape[i]);
  }
  return c;
}

export function ravel(coords: readonly number[], shape: readonly number[]): number {
  let f = 0;
  for (let i = 0; i < shape.length; i++) f = f * shape[i] + coords[i];
  return f;
}

/** Normalises possibly negative axes. */
export function normAxes(axes: readonly number[], rank: number): number[] {
  return axes.map((a) => (a < 0 ? a + rank : a));
}
