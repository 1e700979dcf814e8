/**
 * Problems hand PNG bytes to pngjs as a node Buffer (`Buffer.from(bytes)`). In the browser the pngjs
 * shim takes a Uint8Array, so `Buffer.from` only has to make one. Imported first by the worker; does
 * nothing where a Buffer exists.
 */
const g = globalThis as { Buffer?: unknown };
g.Buffer ??= {
  from: (data: ArrayLike<number> | ArrayBufferLike) => new Uint8Array(data as ArrayLike<number>),
  isBuffer: () => false,
};

export {};
