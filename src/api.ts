/**
 * The library API: `await synthesize('strings', spec, { timeout })` runs one method on one spec with
 * the shipped model and returns the program, its readable text, its exports (e.g. the JavaScript
 * function) and the problem's metrics. The same code path as `replsynth synth`.
 */
import { problems, type AnytimePoint, type Metrics } from './core/index.js';
import { registerBuiltins } from './builtins.js';
import { runOne } from './eval/run-one.js';
import { openFolder, shippedLocation } from './io/files.js';
import { prepareMethods } from './methods/index.js';

export interface SynthesizeOptions {
  /** Seconds (default: the problem's CLI default, e.g. 10 for strings). */
  readonly timeout?: number;
  /** Node budget: with a seed, the same program on any machine. */
  readonly nodes?: number;
  /** Method id (default: the problem's default, e.g. 'smc'). */
  readonly method?: string;
  readonly seed?: number;
  /** A model folder, or 'uniform'. */
  readonly model?: string;
  readonly threads?: number;
  /** Aborting stops the search; the best program so far is returned. */
  readonly signal?: AbortSignal;
  /** Called whenever the best program improves. */
  readonly onProgress?: (p: { readonly text: string; readonly point: AnytimePoint }) => void;
  /** Method parameters (e.g. { refineShare: 0.3 }). */
  readonly params?: Readonly<Record<string, number | string | boolean>>;
}

export interface SynthesisResult<Program = unknown> {
  readonly problem: string;
  readonly method: string;
  readonly solved: boolean;
  /** The best program found (the problem's own value), or null. */
  readonly program: Program | null;
  /** Its readable text (null when nothing was found). */
  readonly text: string | null;
  /** Exports by extension without the dot, e.g. `js` (JavaScript), `scad`, `svg`. */
  readonly exports: Readonly<Record<string, string>>;
  readonly metrics: Metrics;
  readonly timeMs: number;
  readonly nodes: number;
  readonly trace: readonly AnytimePoint[];
}

export async function synthesize<Spec = unknown, Program = unknown>(
  problemId: string,
  spec: Spec,
  options: SynthesizeOptions = {},
): Promise<SynthesisResult<Program>> {
  registerBuiltins();
  const problem = problems.get(problemId);
  const method = options.method ?? problem.cli?.synth.method ?? 'smc';
  const prepared = await prepareMethods(problem.id, [method], {
    ...(options.model !== undefined ? { model: options.model } : {}),
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
    open: openFolder,
    shippedLocation,
  });
  try {
    const m = prepared.definitions[0];
    const trace: AnytimePoint[] = [];
    const r = await runOne(
      problem,
      prepared.methods.get(m.id)!,
      { name: '', spec },
      {
        timeMs: (options.timeout ?? problem.cli?.synth.timeoutS ?? 10) * 1000,
        ...(options.nodes ? { nodes: options.nodes } : {}),
        seed: options.seed ?? 1,
        index: 0,
        ...(options.params ? { params: options.params } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        onImprove: (p, point) => {
          trace.push(point);
          options.onProgress?.({ text: problem.print(p), point });
        },
      },
    );
    const program = r.best as Program | null;
    const exports: Record<string, string> = {};
    if (program !== null)
      for (const e of problem.io.exporters) {
        const out = e.write(program);
        if (typeof out === 'string') exports[e.extension.slice(1)] = out;
      }
    return {
      problem: problem.id,
      method: m.id,
      solved: r.solved,
      program,
      text: r.program,
      exports,
      metrics: problem.evaluate(spec, program),
      timeMs: r.timeMs,
      nodes: r.nodes,
      trace,
    };
  } finally {
    await prepared.dispose();
  }
}
