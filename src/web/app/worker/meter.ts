/**
 * A live view of a running search without touching the search code: a loaded model is wrapped so its
 * formulation counts steps (nodes) and its evaluator counts calls and population sizes. After each
 * evaluator call the worker yields to its event loop now and then, so a Stop message gets through and
 * progress is posted while the search runs.
 */
import type { Evaluator, LoadedModel } from '../../../core/index.js';

const YIELD_EVERY_MS = 30;

/** A macrotask boundary (faster than setTimeout's clamped delay). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    // Typed for node too (its MessagePort type has no onmessage; the tests run this file there).
    const port = ch.port1 as unknown as { onmessage: (() => void) | null; close(): void };
    port.onmessage = () => {
      port.close();
      resolve();
    };
    ch.port2.postMessage(0);
  });
}

export class Meter {
  nodes = 0;
  calls = 0;
  batch = 0;
  /** True when the running method's formulation is wrapped (its node count is live). */
  counting = false;
  private lastYield = 0;
  /** Called at most every YIELD_EVERY_MS while a metered search runs. */
  onTick: (() => void) | null = null;

  reset(onTick: (() => void) | null): void {
    this.nodes = 0;
    this.calls = 0;
    this.batch = 0;
    this.counting = false;
    this.lastYield = performance.now();
    this.onTick = onTick;
  }

  async tick(): Promise<void> {
    const now = performance.now();
    if (now - this.lastYield < YIELD_EVERY_MS) return;
    this.onTick?.();
    await yieldToEventLoop();
    this.lastYield = performance.now();
  }
}

/** The domain with `step` counted; every other member bound to the original. */
function countingDomain<D extends object>(domain: D, meter: Meter): D {
  const bound = new Map<PropertyKey, unknown>();
  const original = (domain as { step: (s: unknown, a: unknown) => unknown }).step;
  const step = (s: unknown, a: unknown): unknown => {
    meter.nodes++;
    meter.counting = true;
    return original.call(domain, s, a);
  };
  return new Proxy(domain, {
    get(target, key) {
      if (key === 'step') return step;
      const v: unknown = Reflect.get(target, key, target);
      if (typeof v !== 'function') return v;
      if (!bound.has(key)) bound.set(key, (v as (...a: unknown[]) => unknown).bind(target));
      return bound.get(key);
    },
  });
}

function meteredEvaluator<S, A>(e: Evaluator<S, A>, meter: Meter): Evaluator<S, A> {
  // Inherit from the original so counters a method reads (e.g. `stats`) still come from it.
  const wrapped = Object.create(e) as Evaluator<S, A>;
  wrapped.evaluate = async (states, requests, rng) => {
    meter.calls++;
    meter.batch = states.length;
    const out = await e.evaluate(states, requests, rng);
    await meter.tick();
    return out;
  };
  return wrapped;
}

export function meteredModel(m: LoadedModel, meter: Meter): LoadedModel {
  const domain = countingDomain(m.domain, meter);
  const wrapped = Object.create(m) as { -readonly [K in keyof LoadedModel]: LoadedModel[K] };
  Object.defineProperty(wrapped, 'domain', { value: domain });
  Object.defineProperty(wrapped, 'evaluator', { value: () => meteredEvaluator(m.evaluator(), meter) });
  return wrapped;
}
