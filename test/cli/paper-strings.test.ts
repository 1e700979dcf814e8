/**
 * `replsynth experiment paper-strings`: the claims of Fig. 7 checked on given results (verdicts follow
 * the numbers), and `--quick` end to end (every method of the figure on the same tasks, JSON, plots and
 * a report with every claim's verdict).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ItemResult } from '../../src/core/index.js';
import { runCli } from '../../src/cli/run.js';
import type { StepResults } from '../../src/experiments/index.js';
import { FIG7_METHODS, paperStrings } from '../../src/experiments/paper-strings.js';

const dir = mkdtempSync(join(tmpdir(), 'replsynth-paper-strings-'));

/** Results where method m solves the first solved[m] of n tasks at time ms[m] (nodes 10 × ms). */
function fake(
  name: string,
  n: number,
  solved: Record<string, number>,
  ms: Record<string, number>,
): StepResults {
  const results: ItemResult[] = [];
  for (const m of FIG7_METHODS)
    for (let i = 0; i < n; i++) {
      const ok = i < (solved[m] ?? 0);
      results.push({
        name: `task-${i}`,
        search: m,
        solved: ok,
        program: ok ? 'p' : null,
        timeMs: ok ? ms[m] : 10_000,
        nodes: ok ? 10 * ms[m] : 100_000,
        ...(ok ? { firstSolutionMs: ms[m], firstSolutionNodes: 10 * ms[m] } : {}),
      } as ItemResult);
    }
  const summary = Object.fromEntries(FIG7_METHODS.map((m) => [m, { solved: solved[m] ?? 0, total: n }]));
  const step = paperStrings.steps({ quick: false, seed: 1 })[0];
  return { step: { ...step, name, items: n }, doc: { summary, settings: { timeoutS: 10 } }, results };
}

describe('paper-strings claims', () => {
  it('follow the numbers: SMC best, value helps, REPL beats no REPL; the reverse where the numbers say so', () => {
    const solved = { smc: 8, rollout: 5, beam: 4, 'beam-value': 6, astar: 3, robustfill: 2 };
    const ms = { smc: 100, rollout: 3000, beam: 4000, 'beam-value': 3500, astar: 5000, robustfill: 200 };
    const held = fake('heldout', 10, solved, ms);
    const ec = fake('ec', 10, { ...solved, robustfill: 6, smc: 9 }, ms);
    const claims = paperStrings.claims([held, ec], { quick: false, seed: 1 });
    expect(claims.length).toBeGreaterThan(10);
    expect(claims.every((c) => c.holds === true)).toBe(true);
    // Swap SMC and RobustFill on the held-out tasks: the REPL claims fail there.
    const worse = fake('heldout', 10, { ...solved, smc: 1, robustfill: 9 }, ms);
    const c2 = paperStrings.claims([worse], { quick: false, seed: 1 });
    const repl = c2.filter((c) => c.claim.includes('REPL beats no REPL'));
    expect(repl.length).toBe(2);
    expect(repl.every((c) => c.holds === false)).toBe(true);
    // Without the EC evaluation the cross-set claim cannot tell.
    expect(c2.at(-1)!.holds).toBeNull();
  });
});

describe('replsynth experiment paper-strings --quick', () => {
  let out: string[];
  beforeEach(() => {
    out = [];
    vi.spyOn(process.stdout, 'write').mockImplementation(
      (s: string | Uint8Array) => (out.push(String(s)), true),
    );
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs every method of Fig. 7 on the same tasks and writes JSON, plots and a report', async () => {
    const o = join(dir, 'exp');
    expect(await runCli(['experiment', 'paper-strings', '--quick', '--out', o])).toBe(0);
    const doc = JSON.parse(readFileSync(join(o, 'heldout.json'), 'utf8')) as {
      tasks: { name: string; search: string }[];
    };
    const names = (m: string) => doc.tasks.filter((t) => t.search === m).map((t) => t.name);
    for (const m of FIG7_METHODS) expect(names(m)).toEqual(names('smc'));
    expect(names('smc').length).toBe(2);
    expect(existsSync(join(o, 'paper-strings.svg'))).toBe(true);
    const report = readFileSync(join(o, 'report.md'), 'utf8');
    expect(report).toContain('claims hold here');
    expect(report).toContain('SMC solves more tasks than robustfill');
    const exp = JSON.parse(readFileSync(join(o, 'experiment.json'), 'utf8')) as { claims: unknown[] };
    expect(exp.claims.length).toBeGreaterThan(5);
    // A finished experiment is not overwritten without --force.
    await expect(runCli(['experiment', 'paper-strings', '--quick', '--out', o])).resolves.toBe(2);
  }, 600_000);
});
