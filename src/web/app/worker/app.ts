/**
 * The worker's registry side: the same parts as the CLI (registerBuiltins), the catalog, and the
 * runner with models fetched from the page. Loaded by worker.ts beside ONNX Runtime.
 */
import { registerBuiltins } from '../../../builtins.js';
import { problems } from '../../../core/index.js';
import { setOnnxBackend, type OnnxBackend } from '../../../nn/runtime.js';
import type { FromWorker, ToWorker } from '../protocol.js';
import { buildCatalog } from './catalog.js';
import { fetchFolder, fetchJson, type prefetchFirstModel } from './fetch-files.js';
import { Runner, specsOf } from './runner.js';

type Post = (m: FromWorker) => void;

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Registers everything, posts the catalog, and returns the handler of the page's requests. */
export async function start(
  ort: OnnxBackend,
  base: string,
  threads: number,
  post: Post,
  early: ReturnType<typeof prefetchFirstModel>,
): Promise<(m: ToWorker) => void> {
  const t0 = performance.now();
  setOnnxBackend(ort, { defaultThreads: () => threads, sessionOptions: { executionProviders: ['wasm'] } });
  registerBuiltins();
  const [manifest, examples, prefetched] = await Promise.all([
    early.manifest,
    fetchJson<string[]>(new URL('examples/index.json', base), []),
    early.files,
  ]);
  const runner = new Runner(
    (location) => fetchFolder(base, location, manifest, prefetched),
    manifest,
    threads,
  );
  // The first problem's default method loads at once: the first run should not wait for its model.
  const first = problems.list()[0];
  const w0 = performance.now();
  if (first?.cli)
    runner.method(first.id, first.cli.synth.method).then(
      () =>
        post({
          type: 'warmed',
          problem: first.id,
          method: first.cli!.synth.method,
          ms: performance.now() - w0,
        }),
      () => undefined,
    );
  post({ type: 'ready', catalog: buildCatalog(manifest, examples, threads), loadMs: performance.now() - t0 });
  return (m) => {
    if (m.type === 'run') void runner.run(m, post);
    else if (m.type === 'stop') runner.stop(m.runId);
    else if (m.type === 'warm') {
      const w0 = performance.now();
      runner.method(m.problem, m.method).then(
        () => post({ type: 'warmed', problem: m.problem, method: m.method, ms: performance.now() - w0 }),
        () => undefined,
      );
    } else if (m.type === 'parse') {
      try {
        const { specs, warnings } = specsOf(problems.get(m.problem), m.source, m.options);
        post({
          type: 'parsed',
          reqId: m.reqId,
          items: specs.map((s) => ({ name: s.name })),
          warnings,
          error: null,
        });
      } catch (e) {
        post({ type: 'parsed', reqId: m.reqId, items: [], warnings: [], error: message(e) });
      }
    }
  };
}
