/**
 * The 2D CAD Evaluator: π over structured lines and v from the network pieces (or the uniform
 * factorised prior). One evaluate() call runs the head network once for all its (new) states; object
 * encodings are cached per spec and object picture, because an object never changes during a search
 * and most states of a population share most of their objects.
 */
import {
  CsgLineEvaluator,
  CsgUniformBackend,
  newBackendStats,
  type CsgBackend,
  type CsgLineModel,
} from '../../csg-models/evaluator.js';
import {
  SIZE,
  actionKey,
  objectCanvas,
  rasterKey,
  writeCanvas,
  type Csg2dAction,
  type Csg2dDomain,
  type Csg2dState,
  type ReplLimits,
  type Raster,
} from '../../domains/csg2d/index.js';
import type { InferenceModel } from '../../nn/build.js';
import {
  LineSampler,
  lineAction,
  lineDistribution,
  type Csg2dScores,
  type LineDistribution,
} from './lines.js';
import { ARG_COLUMNS, LINE_TYPES } from './net.js';

const PIXELS = SIZE * SIZE;

export type { BackendStats } from '../../csg-models/evaluator.js';

export type Csg2dBackend = CsgBackend<Csg2dState>;

/** All logits zero, constant value: uniform over types, then over arguments / pointers. */
export class UniformBackend extends CsgUniformBackend<Csg2dState> {
  constructor(maxObjects: number, value = 0.5) {
    super(maxObjects, LINE_TYPES.length, ARG_COLUMNS, value);
  }
}

/** The three inference graphs of a csg2d model. */
export interface Csg2dModels {
  readonly pairEncoder: InferenceModel;
  readonly specEncoder: InferenceModel;
  readonly head: InferenceModel;
}

interface SpecEntry {
  readonly canvas: Float32Array;
  enc: Float32Array | null;
  readonly objects: Map<string, Float32Array>;
}

/** Bound on cached encodings per spec (hidden floats each) so a very long search stays in memory. */
const MAX_CACHED_OBJECTS = 200_000;

export class NetworkBackend implements Csg2dBackend {
  readonly id = 'neural';
  readonly stats = newBackendStats();
  private readonly specs = new WeakMap<Raster, SpecEntry>();
  private readonly states = new WeakMap<Csg2dState, Csg2dScores>();

  constructor(
    readonly models: Csg2dModels,
    readonly maxObjects: number,
    readonly hidden: number,
    /** Set false to measure what the object cache saves. */
    readonly cacheObjects = true,
    readonly chunk = 256,
    /** Bound on cached encodings per spec (hidden floats each) so a very long search stays in memory. */
    readonly maxCachedObjects = MAX_CACHED_OBJECTS,
  ) {}

  // Specs equal in pixels share an entry even when they are distinct arrays (initialState per particle).
  private readonly specsByKey = new Map<string, SpecEntry>();

  private spec(r: Raster): SpecEntry {
    let e = this.specs.get(r);
    if (!e) {
      const key = rasterKey(r);
      e = this.specsByKey.get(key);
      if (!e) {
        if (this.specsByKey.size >= 64) this.specsByKey.clear();
        e = { canvas: objectCanvas(r), enc: null, objects: new Map() };
        this.specsByKey.set(key, e);
      }
      this.specs.set(r, e);
    }
    return e;
  }

  async score(states: readonly Csg2dState[]): Promise<Csg2dScores[]> {
    const K = this.maxObjects;
    const H = this.hidden;
    const todo = [...new Set(states.filter((s) => !this.states.has(s)))];
    if (todo.length > 0) {
      const entries = new Set(todo.map((s) => this.spec(s.spec)));
      // 1. Spec encodings (one per distinct spec; usually one per search).
      const newSpecs = [...entries].filter((e) => e.enc === null);
      if (newSpecs.length > 0) {
        const feed = new Float32Array(newSpecs.length * PIXELS);
        newSpecs.forEach((e, i) => feed.set(e.canvas, i * PIXELS));
        const out = await this.models.specEncoder.run({ spec: feed }, { chunk: this.chunk });
        newSpecs.forEach((e, i) => (e.enc = out.enc.slice(i * H, (i + 1) * H)));
        this.stats.specsEncoded += newSpecs.length;
      }
      // 2. Object encodings missing from the cache (each distinct picture once). A full cache is
      // emptied here, before this batch looks anything up, never while the batch is being filled in.
      for (const e of entries) if (e.objects.size >= this.maxCachedObjects) e.objects.clear();
      const pending = new Map<SpecEntry, Map<string, Raster>>();
      for (const s of todo) {
        const e = this.spec(s.spec);
        for (const o of s.objects.slice(0, K)) {
          this.stats.objectsNeeded++;
          if (e.objects.has(o.key)) continue;
          let m = pending.get(e);
          if (!m) pending.set(e, (m = new Map()));
          if (!this.cacheObjects) m.set(`${m.size}`, o.raster);
          else m.set(o.key, o.raster);
        }
      }
      const jobs = [...pending].flatMap(([e, m]) => [...m].map(([key, raster]) => ({ e, key, raster })));
      const fresh = new Map<SpecEntry, Float32Array[]>();
      if (jobs.length > 0) {
        const pairs = new Float32Array(jobs.length * 2 * PIXELS);
        jobs.forEach((j, i) => {
          pairs.set(j.e.canvas, 2 * i * PIXELS);
          writeCanvas(j.raster, pairs, (2 * i + 1) * PIXELS);
        });
        const out = await this.models.pairEncoder.run({ pairs }, { chunk: this.chunk });
        this.stats.objectsEncoded += jobs.length;
        jobs.forEach((j, i) => {
          const enc = out.enc.slice(i * H, (i + 1) * H);
          if (this.cacheObjects) {
            j.e.objects.set(j.key, enc);
          } else {
            let list = fresh.get(j.e);
            if (!list) fresh.set(j.e, (list = []));
            list.push(enc);
          }
        });
      }
      // 3. One head run for all new states.
      const n = todo.length;
      const specEnc = new Float32Array(n * H);
      const objEnc = new Float32Array(n * K * H);
      const objectMask = new Float32Array(n * K);
      const cursor = new Map<SpecEntry, number>();
      todo.forEach((s, i) => {
        const e = this.spec(s.spec);
        specEnc.set(e.enc!, i * H);
        s.objects.slice(0, K).forEach((o, k) => {
          let enc = e.objects.get(o.key);
          if (!this.cacheObjects) {
            const at = cursor.get(e) ?? 0;
            enc = fresh.get(e)![at];
            cursor.set(e, at + 1);
          }
          objEnc.set(enc!, (i * K + k) * H);
          objectMask[i * K + k] = 1;
        });
      });
      const out = await this.models.head.run({ specEnc, objEnc, objectMask }, { chunk: 4 * this.chunk });
      this.stats.headRuns++;
      this.stats.statesScored += n;
      todo.forEach((s, i) =>
        this.states.set(s, {
          typeLogits: out.typeLogits.slice(i * LINE_TYPES.length, (i + 1) * LINE_TYPES.length),
          args: out.args.slice(i * ARG_COLUMNS, (i + 1) * ARG_COLUMNS),
          ptrA: out.ptrA.slice(i * 2 * K, (i + 1) * 2 * K),
          ptrB: out.ptrB.slice(i * 2 * K * K, (i + 1) * 2 * K * K),
          value: Math.exp(-out.negLogValue[i]),
        }),
      );
    }
    return states.map((s) => this.states.get(s)!);
  }
}

/** The line factors of this model, as the shared evaluator reads them. */
const LINES: CsgLineModel<Csg2dState, Csg2dAction, ReplLimits, LineDistribution> = {
  lineDistribution,
  lineAction,
  sampler: (state, s, lim, K) => new LineSampler(state, s, lim, K),
  actionKey,
};

export class Csg2dEvaluator extends CsgLineEvaluator<Csg2dState, Csg2dAction, ReplLimits, LineDistribution> {
  declare readonly domain: Csg2dDomain;
  declare readonly backend: Csg2dBackend;
  constructor(domain: Csg2dDomain, backend: Csg2dBackend) {
    super(domain, backend, LINES);
  }
}

/** The uniform factorised prior (no model): the no-knowledge baseline and test evaluator. */
export function uniformCsg2dEvaluator(domain: Csg2dDomain, value = 0.5): Csg2dEvaluator {
  return new Csg2dEvaluator(domain, new UniformBackend(domain.limits.maxObjects, value));
}
