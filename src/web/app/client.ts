/**
 * The page's side of the search worker. Stop asks the worker to abort (the search then returns its
 * best program); a worker that does not answer in time (a method busy in one long synchronous step,
 * e.g. refinement) is terminated and started anew — the page already holds the best program it was
 * sent, so it is kept either way.
 */
import type { Catalog, FromWorker, RunRequest, SpecSource, ToWorker } from './protocol.js';

const STOP_GRACE_MS = 1500;

type Parsed = Extract<FromWorker, { type: 'parsed' }>;

export class SearchClient {
  private worker!: Worker;
  private reqId = 0;
  private runId = 0;
  private activeRun: number | null = null;
  private readonly parses = new Map<number, (m: Parsed) => void>();
  private readyResolve!: (c: Catalog) => void;
  /** The registries' catalog (from the first worker; later workers are the same build). */
  readonly catalog: Promise<Catalog>;
  /** Milliseconds from page start until the worker had its registries and catalog ready. */
  readyAt = 0;
  /** When each `problem/method` was first ready to run (models loaded), in ms from page start. */
  readonly warmedAt: Record<string, number> = {};
  onRunMessage: (m: FromWorker) => void = () => undefined;
  onFatal: (message: string) => void = () => undefined;

  constructor(
    private readonly base: string,
    private readonly threads: number | null = null,
  ) {
    this.catalog = new Promise((resolve) => (this.readyResolve = resolve));
    this.start();
  }

  private start(): void {
    this.worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
    this.worker.onerror = (e) => this.onFatal(e.message || 'the search worker failed to start');
    this.worker.postMessage({ type: 'init', base: this.base, threads: this.threads });
  }

  private send(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  private receive(m: FromWorker): void {
    if (m.type === 'ready') {
      if (!this.readyAt) this.readyAt = performance.now();
      this.readyResolve(m.catalog);
    } else if (m.type === 'fatal') this.onFatal(m.message);
    else if (m.type === 'parsed') {
      this.parses.get(m.reqId)?.(m);
      this.parses.delete(m.reqId);
    } else if (m.type === 'warmed') this.warmedAt[`${m.problem}/${m.method}`] ??= performance.now();
    else {
      if ((m.type === 'done' || m.type === 'error') && m.runId === this.activeRun) this.activeRun = null;
      this.onRunMessage(m);
    }
  }

  warm(problem: string, method: string): void {
    this.send({ type: 'warm', problem, method });
  }

  parse(problem: string, source: SpecSource, options: RunRequest['options']): Promise<Parsed> {
    const reqId = ++this.reqId;
    return new Promise((resolve) => {
      this.parses.set(reqId, resolve);
      this.send({ type: 'parse', reqId, problem, source, options });
    });
  }

  /** Starts a run (aborting any other); returns its id. */
  run(req: Omit<RunRequest, 'type' | 'runId'>): number {
    const runId = ++this.runId;
    this.activeRun = runId;
    this.send({ ...req, type: 'run', runId });
    return runId;
  }

  stop(runId: number): void {
    this.send({ type: 'stop', runId });
    setTimeout(() => {
      if (this.activeRun !== runId) return;
      this.worker.terminate();
      this.activeRun = null;
      this.start();
      this.onRunMessage({ type: 'done', runId, stopped: true });
    }, STOP_GRACE_MS);
  }
}
