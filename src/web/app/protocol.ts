/**
 * Messages between the page and its search worker. Everything the page shows about a problem comes
 * from the catalog, which the worker builds from the registries: the page has no code per problem,
 * method or model.
 */
import type { ParamSpec, ParamValue, ProblemOption } from '../../core/index.js';

export interface CatalogInput {
  readonly id: string;
  readonly description: string;
  readonly kind: 'file' | 'folder';
  readonly extensions: readonly string[];
  /** True when the format is a picture the browser can show and draw (PNG, JPEG …). */
  readonly image: boolean;
}

export interface CatalogMethod {
  readonly id: string;
  readonly description: string;
  /** The model it uses, if any, and whether trained weights for it are shipped with the page. */
  readonly model: string | null;
  readonly trained: boolean;
  readonly requiresModel: boolean;
}

export interface CatalogProblem {
  readonly id: string;
  readonly description: string;
  readonly title: string;
  /** What its items are called ('tasks', 'scenes'). */
  readonly noun: string;
  readonly scoreName: string;
  readonly inline: { readonly usage: string } | null;
  readonly inputs: readonly CatalogInput[];
  readonly options: readonly ProblemOption[];
  readonly exporters: readonly { readonly extension: string; readonly description: string }[];
  /** Exports shown as text beside the program (the problem's report.exports), by extension. */
  readonly shownExports: readonly string[];
  readonly render: boolean;
  /** Base methods; each may be followed by one of `refiners` (`smc+refine`) or a refiner run alone. */
  readonly methods: readonly CatalogMethod[];
  readonly refiners: readonly { readonly id: string; readonly description: string }[];
  readonly params: readonly ParamSpec[];
  readonly defaultMethod: string;
  readonly defaultTimeS: number;
  /** Bundled example files (paths under the page) that one of the input formats reads. */
  readonly examples: readonly string[];
}

export interface Catalog {
  readonly problems: readonly CatalogProblem[];
  readonly models: readonly { readonly id: string; readonly problem: string; readonly trained: boolean }[];
  /** Threads ONNX Runtime uses (1 unless the page is cross-origin isolated). */
  readonly threads: number;
}

/** Where specs come from: lines typed in the page, or a file's bytes. */
export type SpecSource =
  | { readonly kind: 'inline'; readonly lines: readonly string[] }
  | {
      readonly kind: 'file';
      readonly format: string;
      readonly name: string;
      readonly bytes: Uint8Array;
    };

export interface RunRequest {
  readonly type: 'run';
  readonly runId: number;
  readonly problem: string;
  readonly source: SpecSource;
  /** Values of the problem's options (`withOptions`). */
  readonly options: Readonly<Record<string, ParamValue | readonly string[]>>;
  readonly method: string;
  readonly timeMs: number;
  readonly nodes: number | null;
  readonly seed: number;
  readonly params: Readonly<Record<string, ParamValue>>;
  /** Only these items of the source (default all). */
  readonly items?: readonly number[];
}

export type ToWorker =
  | RunRequest
  | { readonly type: 'stop'; readonly runId: number }
  | {
      readonly type: 'parse';
      readonly reqId: number;
      readonly problem: string;
      readonly source: SpecSource;
      readonly options: Readonly<Record<string, ParamValue | readonly string[]>>;
    }
  | { readonly type: 'warm'; readonly problem: string; readonly method: string };

/** What the page shows of a program: its text, its exports, its picture and its metrics. */
export interface ProgramView {
  readonly program: string;
  readonly exports: readonly {
    readonly extension: string;
    readonly text: string | null;
    readonly bytes?: Uint8Array;
  }[];
  readonly render: Uint8Array | null;
  readonly metrics: Readonly<Record<string, unknown>>;
}

export interface Point {
  readonly timeMs: number;
  readonly nodes: number;
  readonly score: number;
}

export interface Progress {
  readonly timeMs: number;
  /** Nodes expanded so far as the worker counts them (steps of the formulation), when it can. */
  readonly nodes: number | null;
  readonly evaluatorCalls: number;
  /** States in the last evaluator call: the population (particles, beam width). */
  readonly batch: number;
}

export type FromWorker =
  | { readonly type: 'ready'; readonly catalog: Catalog; readonly loadMs: number }
  | { readonly type: 'fatal'; readonly message: string }
  | {
      readonly type: 'parsed';
      readonly reqId: number;
      readonly items: readonly { readonly name: string }[];
      readonly warnings: readonly string[];
      readonly error: string | null;
    }
  | { readonly type: 'warmed'; readonly problem: string; readonly method: string; readonly ms: number }
  | { readonly type: 'note'; readonly runId: number; readonly message: string }
  | {
      readonly type: 'started';
      readonly runId: number;
      readonly index: number;
      readonly name: string;
      readonly count: number;
    }
  | {
      readonly type: 'improve';
      readonly runId: number;
      readonly index: number;
      readonly point: Point;
      readonly view: ProgramView;
    }
  | { readonly type: 'progress'; readonly runId: number; readonly index: number; readonly progress: Progress }
  | {
      readonly type: 'result';
      readonly runId: number;
      readonly index: number;
      readonly result: Readonly<Record<string, unknown>>;
      readonly brief: string;
      readonly view: ProgramView | null;
    }
  | { readonly type: 'done'; readonly runId: number; readonly stopped: boolean }
  | { readonly type: 'error'; readonly runId: number; readonly message: string };
