/**
 * The 3D CAD Evaluator: π over structured lines and v from the network pieces (or the uniform
 * factorised prior). One evaluate() call runs the head once for all its new states; encodings of
 * [spec, object] are cached per spec and object voxels, because an object never changes during a search
 * and most states of a population share most of their objects. The spec's own encoding is the
 * encoder on [spec, empty], computed once per spec.
 */
import { clampValue } from '../../core/index.js';
import {
  CsgLineEvaluator,
  CsgUniformBackend,
  newBackendStats,
  type CsgBackend,
  type CsgLineModel,
} from '../../csg-models/evaluator.js';
import {
  VOXELS,
  actionKey,
  bestIoU,
  voxelsKey,
  writeVolume,
  type Csg3dAction,
  type Csg3dDomain,
  type Csg3dState,
  type ReplLimits,
  type Voxels,
} from '../../domains/csg3d/index.js';
import type { InferenceModel } from '../../nn/inference.js';
import {
  LineSampler,
  lineAction,
  lineDistribution,
  type Csg3dScores,
  type LineDistribution,
} from './lines.js';
import { ARG_COLUMNS, LINE_TYPES } from './net.js';

export type { BackendStats } from '../../csg-models/evaluator.js';

export type Csg3dBackend = CsgBackend<Csg3dState>;

/** All logits zero, constant value: uniform over types, then over arguments / pointers. */
export class UniformBackend extends CsgUniformBackend<Csg3dState> {
  constructor(maxObjects: number, value = 0.5) {
    super(maxObjects, LINE_TYPES.length, ARG_COLUMNS, value);
  }
}

/** The two inference graphs of a csg3d model. */
export interface Csg3dModels {
  readonly encoder: InferenceModel;
  readonly head: InferenceModel;
}

interface SpecEntry {
  readonly spec: Voxels;
  enc: Float32Array | null;
  readonly objects: Map<string, Float32Array>;
}

/** Bound on cached encodings per spec (hidden floats each) so a very long search stays in memory. */
const MAX_CACHED_OBJECTS = 100_000;

export class NetworkBackend implements Csg3dBackend {
  readonly id = 'neural';
  readonly stats = newBackendStats();
  private readonly specs = new WeakMap<Voxels, SpecEntry>();
  private readonly states = new WeakMap<Csg3dState, Csg3dScores>();
  // Specs equal in voxels share an entry even when they are distinct arrays.
  private readonly specsByKey = new Map<string, SpecEntry>();

  constructor(
    readonly models: Csg3dModels,
    readonly maxObjects: number,
    readonly hidden: number,
    /** Set false to measure what the object cache saves. */
    readonly cacheObjects = true,
    readonly chunk = 64,
    readonly maxCachedObjects = MAX_CACHED_OBJECTS,
  ) {}

  private spec(v: Voxels): SpecEntry {
    let e = this.specs.get(v);
    if (!e) {
      const key = voxelsKey(v);
      e = this.specsByKey.get(key);
      if (!e) {
        if (this.specsByKey.size >= 64) this.specsByKey.clear();
        e = { spec: v, enc: null, objects: new Map() };
        this.specsByKey.set(key, e);
      }
      this.specs.set(v, e);
    }
    return e;
  }

  /** Encodes [spec, object] pairs (object null: the spec's own encoding). */
  private async encode(jobs: readonly { e: SpecEntry; object: Voxels | null }[]): Promise<Float32Array[]> {
    const H = this.hidden;
    const pairs = new Float32Array(jobs.length * 2 * VOXELS);
    jobs.forEach((j, i) => {
      writeVolume(j.e.spec, pairs, 2 * i * VOXELS);
      if (j.object) writeVolume(j.object, pairs, (2 * i + 1) * VOXELS);
    });
    const out = await this.models.encoder.run({ pairs }, { chunk: this.chunk });
    return jobs.map((_, i) => out.enc.slice(i * H, (i + 1) * H));
  }

  async score(states: readonly Csg3dState[]): Promise<Csg3dScores[]> {
    const todo = [...new Set(states.filter((s) => !this.states.has(s)))];
    if (todo.length > 0) await this.scoreNew(todo);
    return states.map((s) => this.states.get(s)!);
  }

  private async scoreNew(todo: readonly Csg3dState[]): Promise<void> {
    const K = this.maxObjects;
    const H = this.hidden;
    const entries = new Set(todo.map((s) => this.spec(s.spec)));
    // A full cache is emptied before this batch looks anything up, never while it is being filled in.
    for (const e of entries) if (e.objects.size >= this.maxCachedObjects) e.objects.clear();
    const jobs: { e: SpecEntry; object: Voxels | null; key: string | null }[] = [];
    for (const e of entries) if (e.enc === null) jobs.push({ e, object: null, key: null });
    const queued = new Map<SpecEntry, Set<string>>();
    // Without the cache, every slot of every state is encoded (what the cache saves is measured so).
    const slotJobs: number[][] = [];
    for (const s of todo) {
      const e = this.spec(s.spec);
      const mine: number[] = [];
      for (const o of s.objects.slice(0, K)) {
        this.stats.objectsNeeded++;
        if (!this.cacheObjects) {
          mine.push(jobs.length);
          jobs.push({ e, object: o.voxels, key: null });
          continue;
        }
        let q = queued.get(e);
        if (!q) queued.set(e, (q = new Set()));
        if (e.objects.has(o.key) || q.has(o.key)) continue;
        q.add(o.key);
        jobs.push({ e, object: o.voxels, key: o.key });
      }
      slotJobs.push(mine);
    }
    const encs = jobs.length > 0 ? await this.encode(jobs) : [];
    jobs.forEach((j, i) => {
      if (j.object === null) {
        j.e.enc = encs[i];
        this.stats.specsEncoded++;
      } else {
        this.stats.objectsEncoded++;
        if (j.key !== null) j.e.objects.set(j.key, encs[i]);
      }
    });
    const n = todo.length;
    const specEnc = new Float32Array(n * H);
    const objEnc = new Float32Array(n * K * H);
    const objectMask = new Float32Array(n * K);
    todo.forEach((s, i) => {
      const e = this.spec(s.spec);
      specEnc.set(e.enc!, i * H);
      s.objects.slice(0, K).forEach((o, k) => {
        const enc = this.cacheObjects ? e.objects.get(o.key)! : encs[slotJobs[i][k]];
        objEnc.set(enc, (i * K + k) * H);
        objectMask[i * K + k] = 1;
      });
    });
    const out = await this.models.head.run({ specEnc, objEnc, objectMask }, { chunk: 1024 });
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
}

/**
 * How v(state) is formed from the network's value and the state's best IoU b (REPL objects carry their
 * IoU with the spec): v = v_net^network · max(b, floor)^iouPower. The default is the network alone.
 */
export interface ValueShape {
  readonly network: number;
  readonly iouPower: number;
  readonly floor: number;
}

export const networkValue: ValueShape = { network: 1, iouPower: 0, floor: 0.01 };

/** The line factors of this model, as the shared evaluator reads them. */
const LINES: CsgLineModel<Csg3dState, Csg3dAction, ReplLimits, LineDistribution> = {
  lineDistribution,
  lineAction,
  sampler: (state, s, lim, K) => new LineSampler(state, s, lim, K),
  actionKey,
};

export class Csg3dEvaluator extends CsgLineEvaluator<Csg3dState, Csg3dAction, ReplLimits, LineDistribution> {
  declare readonly domain: Csg3dDomain;
  declare readonly backend: Csg3dBackend;
  constructor(
    domain: Csg3dDomain,
    backend: Csg3dBackend,
    readonly valueShape: ValueShape = networkValue,
  ) {
    super(domain, backend, LINES);
  }

  protected override value(s: Csg3dState, net: number): number {
    const { network, iouPower, floor } = this.valueShape;
    const v =
      (network === 0 ? 1 : Math.pow(clampValue(net), network)) *
      (iouPower === 0 ? 1 : Math.pow(Math.max(floor, bestIoU(s)), iouPower));
    return clampValue(v);
  }
}

/** The uniform factorised prior (no model): the no-knowledge baseline and test evaluator. */
export function uniformCsg3dEvaluator(domain: Csg3dDomain, value = 0.5): Csg3dEvaluator {
  return new Csg3dEvaluator(domain, new UniformBackend(domain.limits.maxObjects, value));
}
