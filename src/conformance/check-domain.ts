/**
 * The shared conformance suite every domain must pass (docs/adding-a-domain.md), shipped with the
 * library so a domain written outside this repository can be checked too. `checkDomain` runs the checks
 * and reports failures; it never throws and needs no test framework.
 */
import { Rng, replay, type AnyDomain } from '../core/index.js';
import { emptyFailures, type CheckReport } from './report.js';
import { snapshot } from './snapshot.js';

export interface DomainCheckOptions {
  /** Number of seeded tasks to generate (default 40). */
  readonly tasks?: number;
  /** Random rollouts per task (default 3). */
  readonly rolloutsPerTask?: number;
  /** First seed (default 1). */
  readonly seed?: number;
}

export type DomainCheckName =
  'determinism' | 'replay-solves' | 'step-purity' | 'print-parse' | 'random-rollouts' | 'features';

export const domainCheckNames: readonly DomainCheckName[] = [
  'determinism',
  'replay-solves',
  'step-purity',
  'print-parse',
  'random-rollouts',
  'features',
];

export type ConformanceReport = CheckReport<DomainCheckName>;

const MAX_FAILURES = 5;

export async function checkDomain(
  domain: AnyDomain,
  opts: DomainCheckOptions = {},
): Promise<ConformanceReport> {
  const nTasks = opts.tasks ?? 40;
  const seed0 = opts.seed ?? 1;
  const failures = emptyFailures(domainCheckNames);
  const fail = (check: DomainCheckName, msg: string): void => {
    if (failures[check].length < MAX_FAILURES) failures[check].push(msg);
  };
  const guard = (check: DomainCheckName, what: string, f: () => void): void => {
    try {
      f();
    } catch (e) {
      fail(check, `${what} threw: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  for (let t = 0; t < nTasks; t++) {
    const seed = seed0 + t;
    guard('determinism', `seed ${seed}`, () => {
      const a = domain.sampleTask(new Rng(seed));
      const b = domain.sampleTask(new Rng(seed));
      if (snapshot(a) !== snapshot(b)) fail('determinism', `seed ${seed}: two sampleTask calls differ`);
    });
    let task: ReturnType<AnyDomain['sampleTask']>;
    try {
      task = domain.sampleTask(new Rng(seed));
    } catch (e) {
      fail('replay-solves', `sampleTask(seed ${seed}) threw: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    guard('replay-solves', `seed ${seed} replay`, () =>
      checkReplay(domain, task, seed, (m) => fail('replay-solves', m)),
    );
    guard('step-purity', `seed ${seed}`, () =>
      checkPurity(domain, task, seed, (m) => fail('step-purity', m)),
    );
    guard('print-parse', `seed ${seed}`, () =>
      checkPrintParse(domain, task, seed, (m) => fail('print-parse', m)),
    );
    for (let r = 0; r < (opts.rolloutsPerTask ?? 3); r++) {
      const rng = new Rng(`${seed}/rollout/${r}`);
      guard('random-rollouts', `seed ${seed} rollout ${r}`, () =>
        checkRollout(domain, task.spec, rng, (m) =>
          fail('random-rollouts', `seed ${seed} rollout ${r}: ${m}`),
        ),
      );
    }
    guard('features', `seed ${seed}`, () =>
      checkFeatures(domain, task, (m) => fail('features', `seed ${seed}: ${m}`)),
    );
  }
  return { failures };
}

function checkReplay(
  domain: AnyDomain,
  task: { spec: unknown; trace: readonly unknown[] },
  seed: number,
  fail: (m: string) => void,
): void {
  const r = replay(domain, task.spec, task.trace);
  if (!r.ok) fail(`seed ${seed}: ground-truth action ${r.at} failed: ${r.reason}`);
  else if (!domain.isSolved(r.state)) fail(`seed ${seed}: replaying the trace does not solve the task`);
  else if (domain.score(r.state) !== 1)
    fail(`seed ${seed}: solved state scores ${domain.score(r.state)}, not 1`);
  if (task.trace.length > domain.maxDepth) fail(`seed ${seed}: trace longer than maxDepth`);
}

function checkPurity(
  domain: AnyDomain,
  task: { spec: unknown; trace: readonly unknown[] },
  seed: number,
  fail: (m: string) => void,
): void {
  let state = domain.initialState(task.spec);
  const rng = new Rng(`${seed}/purity`);
  for (const action of task.trace) {
    const before = snapshot(state);
    // A random action first (it may fail), then the ground-truth one: neither may touch `state`.
    const other = domain.randomLegalAction(state, rng);
    if (other !== null) domain.step(state, other);
    const r = domain.step(state, action);
    if (snapshot(state) !== before) {
      fail(`seed ${seed}: step mutated its input state at action ${domain.actionSpace.name(action)}`);
      return;
    }
    if (!r.ok) return;
    state = r.state;
  }
}

function checkPrintParse(
  domain: AnyDomain,
  task: { spec: unknown; trace: readonly unknown[] },
  seed: number,
  fail: (m: string) => void,
): void {
  const r = replay(domain, task.spec, task.trace);
  for (const s of r.states) {
    const p = domain.program(s);
    if (p === null) continue;
    const text = domain.print(p);
    let back: unknown;
    try {
      back = domain.parse(text);
    } catch (e) {
      fail(`seed ${seed}: parse(print(p)) threw on '${text}': ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    if (snapshot(back) !== snapshot(p)) fail(`seed ${seed}: parse(print(p)) differs from p for '${text}'`);
  }
}

function checkRollout(domain: AnyDomain, spec: unknown, rng: Rng, fail: (m: string) => void): void {
  let state = domain.initialState(spec);
  for (let d = 0; d < domain.maxDepth && !domain.isTerminal(state); d++) {
    const a = domain.randomLegalAction(state, rng);
    if (a === null) return;
    if (domain.legalMask) {
      const mask = domain.legalMask(state);
      if (mask.length !== domain.actionSpace.size)
        return fail(`legalMask length ${mask.length} ≠ ${domain.actionSpace.size}`);
      if (!mask[a as number])
        return fail(`randomLegalAction gave ${domain.actionSpace.name(a)}, masked illegal`);
    }
    const score = domain.score(state);
    if (!(score >= 0 && score <= 1)) return fail(`score ${score} outside [0, 1]`);
    domain.stateKey(state);
    const r = domain.step(state, a);
    if (!r.ok) return;
    state = r.state;
  }
}

function checkFeatures(
  domain: AnyDomain,
  task: { spec: unknown; trace: readonly unknown[] },
  fail: (m: string) => void,
): void {
  const f = domain.features;
  if (!f) return;
  const r = replay(domain, task.spec, task.trace);
  const enc = f.encode(r.states);
  for (const [name, shape] of Object.entries(f.shapes)) {
    const arr = enc[name];
    const per = shape.reduce((a, b) => a * b, 1);
    if (!arr) return fail(`feature '${name}' missing`);
    if (arr.length !== per * r.states.length)
      return fail(`feature '${name}' has ${arr.length} values, want ${per * r.states.length}`);
    const want = f.dtypes[name] === 'int32' ? Int32Array : Float32Array;
    if (!(arr instanceof want)) return fail(`feature '${name}' is not ${f.dtypes[name]}`);
    for (let i = 0; i < arr.length; i++)
      if (!Number.isFinite(arr[i])) return fail(`feature '${name}' has a non-finite value`);
  }
}
