/**
 * Runs methods on specs in the worker, the way `synth` does (runOne builds the result record), with
 * the page's copy of the shipped models, loaded once and metered for the live view.
 */
import {
  UserError,
  models,
  problems,
  type AnyProblem,
  type ItemResult,
  type LoadedModel,
  type Method,
  type ModelFiles,
  type NamedSpec,
  type OptionValues,
  type ParsedInput,
} from '../../../core/index.js';
import { SYNTH_POLISH, runOne } from '../../../eval/run-one.js';
import { loadModel, resolveMethod } from '../../../methods/index.js';
import type { FromWorker, Point, ProgramView, RunRequest, SpecSource } from '../protocol.js';
import { isTrained } from './catalog.js';
import type { Manifest } from './fetch-files.js';
import { Meter, meteredModel } from './meter.js';

type Post = (m: FromWorker) => void;

/** How often the page hears of progress and of new best programs at most. */
const POST_EVERY_MS = 120;

// Readers also take the values of the problem's options (CSV header, limits …), as the CLI passes them.
type InlineReader = (lines: readonly string[], values?: OptionValues) => NamedSpec<unknown>[];
type FileReader = (bytes: Uint8Array, name: string, values?: OptionValues) => ParsedInput<unknown>;

export function specsOf(
  problem: AnyProblem,
  source: SpecSource,
  values: OptionValues,
): { specs: NamedSpec<unknown>[]; warnings: string[] } {
  if (source.kind === 'inline') {
    const inline = problem.io.inline;
    if (!inline) throw new UserError(`${problem.id} takes no typed examples`);
    return { specs: (inline.parse.bind(inline) as InlineReader)(source.lines, values), warnings: [] };
  }
  const format = problem.io.inputs.find((f) => f.id === source.format);
  if (!format) throw new UserError(`${problem.id} has no input format '${source.format}'`);
  const parsed = (format.parse.bind(format) as FileReader)(source.bytes, source.name, values);
  return { specs: [...parsed.specs], warnings: [...(parsed.warnings ?? [])] };
}

export function viewOf(problem: AnyProblem, spec: unknown, program: unknown): ProgramView {
  return {
    program: problem.print(program),
    exports: problem.io.exporters.map((e) => {
      const out = e.write(program);
      return typeof out === 'string'
        ? { extension: e.extension, text: out }
        : { extension: e.extension, text: null, bytes: out };
    }),
    render: problem.io.render ? problem.io.render(spec, program) : null,
    metrics: { ...problem.evaluate(spec, program) },
  };
}

export class Runner {
  private readonly loaded = new Map<string, Promise<LoadedModel | null>>();
  private readonly prepared = new Map<string, Promise<Method>>();
  readonly meter = new Meter();
  private controller: AbortController | null = null;
  private runId = -1;

  constructor(
    private readonly open: (location: string) => ModelFiles,
    private readonly manifest: Manifest,
    private readonly threads: number,
  ) {}

  /** The shipped model (metered), or null when the page has no trained weights for it. */
  private model(id: string, required: boolean): Promise<LoadedModel | null> {
    let p = this.loaded.get(id);
    if (!p) {
      const def = models.get(id);
      p = isTrained(def, this.manifest)
        ? loadModel(def, this.open(`models/${def.shipped}`), this.threads).then((m) =>
            meteredModel(m, this.meter),
          )
        : Promise.resolve(null);
      this.loaded.set(id, p);
      p.catch(() => this.loaded.delete(id));
    }
    return p.then((m) => {
      if (!m && required) throw new UserError(`the page has no trained ${id} model`);
      return m;
    });
  }

  /** The method, ready to run (its model loaded once). */
  method(problem: string, name: string): Promise<Method> {
    const key = `${problem}/${name}`;
    let p = this.prepared.get(key);
    if (!p) {
      const def = resolveMethod(problem, name);
      p = (def.model ? this.model(def.model, !!def.requiresModel) : Promise.resolve(null)).then((model) =>
        def.create({ model }),
      );
      this.prepared.set(key, p);
      p.catch(() => this.prepared.delete(key));
    }
    return p;
  }

  /** Where a method's policy comes from, as results record it. */
  private async source(problem: string, name: string): Promise<string> {
    const def = resolveMethod(problem, name);
    if (!def.model) return 'no';
    const m = await this.model(def.model, false);
    return m ? m.source : 'uniform';
  }

  stop(runId: number): void {
    if (runId === this.runId) this.controller?.abort();
  }

  async run(req: RunRequest, post: Post): Promise<void> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.runId = req.runId;
    try {
      const problem = problems.get(req.problem);
      const { specs, warnings } = specsOf(problem, req.source, req.options);
      for (const w of warnings) post({ type: 'note', runId: req.runId, message: w });
      const method = await this.method(problem.id, req.method);
      const source = await this.source(problem.id, req.method);
      if (source === 'uniform')
        post({ type: 'note', runId: req.runId, message: 'no trained model in the page: uniform policy' });
      const items = req.items ?? specs.map((_, i) => i);
      for (const index of items) {
        if (controller.signal.aborted) break;
        await this.runItem(req, problem, method, source, specs[index], index, items.length, controller, post);
      }
      post({ type: 'done', runId: req.runId, stopped: controller.signal.aborted });
    } catch (e) {
      post({ type: 'error', runId: req.runId, message: e instanceof Error ? e.message : String(e) });
    }
  }

  private async runItem(
    req: RunRequest,
    problem: AnyProblem,
    method: Method,
    source: string,
    item: NamedSpec<unknown>,
    index: number,
    count: number,
    controller: AbortController,
    post: Post,
  ): Promise<void> {
    const spec = problem.io.withOptions ? problem.io.withOptions(item.spec, req.options) : item.spec;
    const runId = req.runId;
    post({ type: 'started', runId, index, name: item.name, count });
    const t0 = performance.now();
    let pending: { program: unknown; point: Point } | null = null;
    let lastPost = 0;
    const flush = (): void => {
      if (!pending) return;
      post({
        type: 'improve',
        runId,
        index,
        point: pending.point,
        view: viewOf(problem, spec, pending.program),
      });
      pending = null;
      lastPost = performance.now();
    };
    this.meter.reset(() => {
      const now = performance.now();
      if (now - lastPost < POST_EVERY_MS) return;
      flush();
      post({
        type: 'progress',
        runId,
        index,
        progress: {
          timeMs: now - t0,
          nodes: this.meter.counting ? this.meter.nodes : null,
          evaluatorCalls: this.meter.calls,
          batch: this.meter.batch,
        },
      });
      lastPost = now;
    });
    const result: ItemResult & { best: unknown } = await runOne(
      problem,
      method,
      { ...item, spec },
      {
        timeMs: req.timeMs,
        ...(req.nodes ? { nodes: req.nodes } : {}),
        seed: req.seed,
        index,
        params: req.params,
        signal: controller.signal,
        source,
        polish: SYNTH_POLISH,
        onImprove: (program, point) => {
          pending = { program, point };
          if (performance.now() - lastPost >= POST_EVERY_MS) flush();
        },
      },
    );
    this.meter.reset(null);
    const { best, ...record } = result;
    post({
      type: 'result',
      runId,
      index,
      result: record,
      brief: problem.report.brief(result),
      view: best === null ? null : viewOf(problem, spec, best),
    });
  }
}
