/**
 * The search worker: the same registries, methods and models as the CLI, with onnxruntime-web (wasm)
 * as the ONNX backend; searches run here, so the page never freezes. The page sends `init`, then
 * parse / run / stop / warm requests (queued until the registries are ready).
 *
 * ONNX Runtime is its own chunk, loaded first: its threads start workers from the chunk's own URL,
 * so they load ONNX Runtime alone, and its WebAssembly compiles while the registries load; the first
 * model's files download meanwhile too.
 */
import '../shims/buffer-global.js';
import type { OnnxBackend } from '../../nn/runtime.js';
import type { FromWorker, ToWorker } from './protocol.js';
import { prefetchFirstModel } from './worker/fetch-files.js';

/** The page's address, and a thread count it asks for (`?threads=N`, honoured when cross-origin isolated). */
interface Init {
  readonly type: 'init';
  readonly base: string;
  readonly threads: number | null;
}

const scope = self as unknown as {
  postMessage(m: FromWorker): void;
  onmessage: ((e: MessageEvent<ToWorker | Init>) => void) | null;
};
const post = (m: FromWorker): void => scope.postMessage(m);

let handle: ((m: ToWorker) => void) | null = null;
const queue: ToWorker[] = [];

/** Starts ONNX Runtime's WebAssembly now (a model that fails to parse still initialises the runtime). */
function primeRuntime(ort: typeof import('onnxruntime-web/wasm')): void {
  ort.InferenceSession.create(new Uint8Array(0)).catch(() => undefined);
}

async function init({ base, threads: asked }: Init): Promise<void> {
  // One thread unless asked: on 2 cores, ORT's extra threads cost more to start and share than they give
  // (first strings result 2.7 s with one thread, 3.5 s with two, measured here).
  const most = self.crossOriginIsolated ? Math.max(1, navigator.hardwareConcurrency || 1) : 1;
  const threads = Math.max(1, Math.min(most, asked ?? 1));
  const ortLoaded = import('onnxruntime-web/wasm').then((ort) => {
    ort.env.wasm.numThreads = threads;
    ort.env.wasm.proxy = false;
    primeRuntime(ort);
    return ort;
  });
  const early = prefetchFirstModel(base);
  const app = import('./worker/app.js');
  const ort = await ortLoaded;
  handle = await (await app).start(ort as unknown as OnnxBackend, base, threads, post, early);
  for (const m of queue.splice(0)) handle(m);
}

scope.onmessage = (e) => {
  const m = e.data;
  if (m.type === 'init')
    init(m).catch((err: unknown) =>
      post({ type: 'fatal', message: err instanceof Error ? err.message : String(err) }),
    );
  else if (handle) handle(m);
  else queue.push(m);
};
