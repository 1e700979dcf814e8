/**
 * `replsynth experiment lasynth-c`: the claims, Table 4 and Fig. 7a follow the per-task results they
 * are given; the settings refuse bad values; and `--quick` end to end (every variant trained through
 * `train`, snapshotted, evaluated, one retraining round; every file written with every variant and
 * claim; a rerun trains and evaluates nothing already done; other settings on the same checkpoints
 * are refused).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ItemResult } from '../../src/core/index.js';
import type { StepResults } from '../../src/experiments/index.js';
import { lasynthCPlan, snapshotSteps } from '../../src/experiments/lasynth-c-plan.js';
import { toFloat16Model } from '../../src/nn/fp16.js';
import {
  LASYNTH_C_VARIANTS,
  evalName,
  fig7a,
  lasynthCClaims,
  parseEvalName,
  table4,
} from '../../src/experiments/lasynth-c-report.js';
import { run } from '../cli/cli-check.js';

const dir = mkdtempSync(join(tmpdir(), 'replsynth-lasynth-c-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An evaluation where the method gets the first `correct` of n tasks right (one more only on the spec). */
function fake(method: string, kind: 'step' | 'round', at: number, n: number, correct: number): StepResults {
  const results: ItemResult[] = Array.from({ length: n }, (_, i) => ({
    item: i,
    name: `t${i}`,
    search: method,
    solved: i <= correct,
    heldOutCorrect: i < correct ? 5 : 2,
    heldOut: 5,
    program: 'p',
    timeMs: 10,
    nodes: 1,
    firstSolutionMs: null,
    firstSolutionNodes: null,
  }));
  return {
    step: {
      name: evalName(method, kind, at),
      problem: 'minic',
      methods: [method],
      items: n,
      timeoutS: 1,
      args: [],
    },
    doc: {
      summary: { [method]: { correct, solved: Math.min(n, correct + 1), total: n } },
      settings: {},
      tasks: results,
    },
    results,
  };
}

const by = (claims: { claim: string; holds: boolean | null }[], part: string) =>
  claims.find((c) => c.claim.includes(part))?.holds;

describe('lasynth-c: claims, Table 4 and Fig. 7a from results', () => {
  const counts: Record<string, number> = {
    lasynth: 6,
    'lasynth-no-partial-executor': 4,
    'lasynth-no-executor': 3,
    'lasynth-no-op-predictor': 5,
    'lasynth-no-self-attention': 6,
    robustfill: 2,
    propsig: 7,
  };
  const results = [
    ...LASYNTH_C_VARIANTS.flatMap((v) => [
      fake(v.method, 'step', 5, 10, Math.max(0, counts[v.method] - 2)),
      fake(v.method, 'step', 10, 10, counts[v.method]),
    ]),
    fake('lasynth', 'round', 1, 10, 7),
  ];

  it('each claim holds, fails or cannot be told as the numbers say; the paper’s numbers are beside them', () => {
    const claims = lasynthCClaims(results);
    expect(by(claims, 'LaSynth > NoPartialExecutor')).toBe(true);
    expect(by(claims, 'NoPartialExecutor > RobustFill')).toBe(true);
    expect(by(claims, 'LaSynth > Property Signatures')).toBe(false);
    expect(by(claims, 'LaSynth > NoExecutor')).toBe(true);
    expect(by(claims, 'LaSynth > NoAttentionInDecoding')).toBeNull(); // a tie
    expect(by(claims, 'at least 45 %')).toBe(true);
    expect(by(claims, 'iterative retraining helps LaSynth')).toBe(true);
    const pn = claims.find((c) => c.claim.includes('LaSynth > NoPartialExecutor'))!;
    expect(pn.source).toContain('55.2 %');
    expect(pn.source).toContain('42.9 %');
    expect(claims.find((c) => c.claim.includes('retraining'))!.evidence).toContain('60.0 % → 70.0 %');
  });

  it('Table 4 takes the last snapshot of each variant; Fig. 7a every snapshot and the rounds as a line', () => {
    const facts = new Map([['lasynth', { steps: 10, batch: 4, trainSeconds: 12, evalSeconds: 3 }]]);
    const rows = table4(results, facts);
    expect(rows.map((r) => r.method)).toEqual(LASYNTH_C_VARIANTS.map((v) => v.method));
    expect(rows[0]).toMatchObject({
      accuracy: 60,
      correct: 6,
      tasks: 10,
      trainingPrograms: 40,
      paperAccuracy: 55.2,
    });
    const curve = fig7a(results, 4, 5, new Map([['lasynth', [12]]]));
    const la = curve.filter((p) => p.series === 'lasynth');
    // On the first 5 tasks: 4 then 5 correct.
    expect(la.map((p) => [p.programs, p.accuracy, p.tasks])).toEqual([
      [20, 80, 5],
      [40, 100, 5],
    ]);
    const re = curve.filter((p) => p.series === 'lasynth + retraining');
    expect(re.map((p) => [p.programs, p.round])).toEqual([
      [40, 0],
      [48, 1],
    ]);
  });

  it('evaluation names round-trip; snapshot steps are the fractions rounded up, the last all the steps', () => {
    expect(parseEvalName(evalName('lasynth-no-executor', 'round', 2))).toEqual({
      method: 'lasynth-no-executor',
      kind: 'round',
      at: 2,
    });
    expect(parseEvalName('heldout')).toBeNull();
    expect(snapshotSteps({ steps: 10, fractions: [0.25, 0.5, 0.75, 1] })).toEqual([3, 5, 8, 10]);
    expect(snapshotSteps({ steps: 3, fractions: [0.1] })).toEqual([1, 3]);
  });

  it('bad settings are usage errors (exit 2)', () => {
    const s = { quick: false, seed: 1 };
    for (const [o, msg] of [
      [{ fractions: '0.5,2' }, /--fractions: '2'/],
      [{ retrain: 'smc' }, /--retrain: 'smc'/],
      [{ variants: 'lasynth,beam' }, /--variants: 'beam' is not a method/],
      [{ variants: ',' }, /--variants: give at least one method/],
      [{ steps: '-3' }, /--steps: expected a whole number/],
      [{ lr: '0' }, /--lr: expected a number above 0/],
      [{ tasks: join(dir, 'none.jsonl') }, /none\.jsonl: no such file/],
    ] as const)
      expect(() => lasynthCPlan(o, s, dir), JSON.stringify(o)).toThrow(msg);
    expect(() => lasynthCPlan({}, { ...s, items: 3 }, dir)).toThrow(/--test N/);
    const p = lasynthCPlan({}, s, dir);
    expect([p.steps, p.batch, p.test, p.timeoutS, p.rounds]).toEqual([15_625, 32, 1000, 10, 2]);
    expect([p.trainJobs, p.threads]).toEqual([1, null]);
    const two = lasynthCPlan({ trainJobs: '2' }, s, dir);
    expect([two.trainJobs, two.threads]).toEqual([2, Math.max(1, Math.floor(cpus().length / 2))]);
    expect(lasynthCPlan({ trainJobs: '2', threads: '3' }, s, dir).threads).toBe(3);
    expect(p.variants).toEqual(LASYNTH_C_VARIANTS.map((v) => v.method));
    // Only variants of the run are retrained in it.
    const some = lasynthCPlan({ variants: 'robustfill,propsig,robustfill' }, s, dir);
    expect([some.variants, some.retrain]).toEqual([['robustfill', 'propsig'], []]);
    expect(() => lasynthCPlan({ trainJobs: '0' }, s, dir)).toThrow(
      /--train-jobs: expected a whole number ≥ 1/,
    );
  });
});

/** Runs the CLI from source in a child process; `onErr` sees stderr so far as it comes. */
const cliChild = (args: readonly string[], onErr: (err: string, interrupt: () => void) => void) =>
  new Promise<{ code: number | null; err: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, CI: 'true' },
    });
    let err = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c: string) => {
      err += c;
      onErr(err, () => child.kill('SIGINT'));
    });
    child.on('exit', (code) => resolve({ code, err }));
  });

describe('experiment lasynth-c --quick', () => {
  const o = join(dir, 'quick');
  const files = [
    'report.md',
    'experiment.json',
    'table4.json',
    'table4.md',
    'table4.svg',
    'fig7a.json',
    'fig7a.svg',
  ];

  it('--variants trains and evaluates those only; the others stay empty and their claims cannot be told', async () => {
    const sub = join(dir, 'subset');
    const quick = (...args: string[]) => run(['experiment', 'lasynth-c', '--quick', '--out', sub, ...args]);
    type Table4 = {
      table: { method: string; tasks: number | null }[];
      claims: { claim: string; holds: unknown }[];
    };
    const table4 = (): Table4 => JSON.parse(readFileSync(join(sub, 'table4.json'), 'utf8')) as Table4;
    const rows = (t: Table4): string[] =>
      t.table
        .filter((x) => x.tasks !== null)
        .map((x) => x.method)
        .sort();
    const r = await quick('--variants', 'robustfill,propsig');
    expect(r.code, r.err).toBe(0);
    const t4 = table4();
    expect(rows(t4)).toEqual(['propsig', 'robustfill']);
    expect(t4.claims.find((c) => c.claim.startsWith('LaSynth > RobustFill'))?.holds).toBeNull();
    expect(existsSync(join(sub, 'checkpoints', 'lasynth'))).toBe(false);
    expect(readFileSync(join(sub, 'report.md'), 'utf8')).toContain(
      'Variants of this run (--variants): robustfill, propsig',
    );
    const st = await quick('--variants', 'robustfill,propsig', '--status');
    expect(st.out).toMatch(/^robustfill +trained +4\/4 .*evaluated 4: \d\/3$/m);
    expect(st.out).toMatch(/^lasynth +trained +0\/4 .*\(not in this run: --variants\)$/m);
    // A later run with fewer variants keeps the rows an earlier one evaluated.
    const fewer = await quick('--variants', 'robustfill', '--resume');
    expect(fewer.code, fewer.err).toBe(0);
    expect(fewer.err).toContain('results/propsig-step-4: kept the finished results');
    expect(rows(table4())).toEqual(['propsig', 'robustfill']);
  }, 300_000);

  it('trains (two variants at once, then here), evaluates and reports every variant; Ctrl-C and a rerun redo nothing finished; other settings are refused', async () => {
    // In a real process with --train-jobs 2 (each training a child process), Ctrl-C once two variants
    // have finished their training (a trainer's last line): the others stop, every checkpoint is kept.
    let done: string[] = [];
    const stoppedRun = await cliChild(
      ['experiment', 'lasynth-c', '--quick', '--out', o, '--train-jobs', '2'],
      (err, interrupt) => {
        if (done.length) return;
        const labels = new Set([...err.matchAll(/^\[([a-z-]+)\] imitation 4\/4 /gm)].map((m) => m[1]));
        if (labels.size >= 2) {
          done = [...labels];
          interrupt();
        }
      },
    );
    expect(done.length, stoppedRun.err).toBe(2);
    expect(stoppedRun.code, stoppedRun.err).toBe(130);
    expect(stoppedRun.err).toMatch(/interrupted .*run the same command again to go on/);
    expect(existsSync(join(o, 'report.md'))).toBe(false);
    for (const model of done) {
      const f = join(o, 'checkpoints', model, 'lasynth-c.json');
      const rec = JSON.parse(readFileSync(f, 'utf8')) as { segments: { to: number; parallel?: number }[] };
      expect(rec.segments, model).toEqual([expect.objectContaining({ to: 4, parallel: 2 })]);
    }

    // The same command (here, one training after another) finishes the run.
    const first = await run(['experiment', 'lasynth-c', '--quick', '--out', o, '--resume']);
    expect(first.code, first.err).toBe(0);
    for (const f of files) expect(existsSync(join(o, f)), f).toBe(true);
    for (const v of LASYNTH_C_VARIANTS) {
      expect(existsSync(join(o, 'results', `${v.method}-step-4.json`)), v.method).toBe(true);
      expect(existsSync(join(o, 'checkpoints', 'snapshots', v.model, 'step-4', 'config.json')), v.model).toBe(
        true,
      );
    }
    // Snapshots are in the shipped form (float16 inference graphs); only the ones a retraining round
    // trains from keep the training state.
    for (const v of LASYNTH_C_VARIANTS) {
      const snap = join(o, 'checkpoints', 'snapshots', v.model, 'step-4');
      const graphs = readdirSync(snap).filter((f) => f.endsWith('.onnx') && f !== 'model.onnx');
      expect(graphs.length, v.model).toBeGreaterThanOrEqual(2);
      for (const g of graphs)
        expect(
          toFloat16Model(new Uint8Array(readFileSync(join(snap, g)))).converted,
          `${v.model} ${g}`,
        ).toEqual([]);
      const trainable = v.method === 'lasynth';
      for (const f of ['model.onnx', 'training-state.bin', 'training-state.json'])
        expect(existsSync(join(snap, f)), `${v.model} ${f}`).toBe(trainable);
    }
    expect(existsSync(join(o, 'checkpoints', 'snapshots', 'lasynth', 'round-1', 'model.onnx'))).toBe(true);
    expect(existsSync(join(o, 'results', 'lasynth-round-1.json'))).toBe(true);
    const t4 = JSON.parse(readFileSync(join(o, 'table4.json'), 'utf8')) as {
      table: {
        method: string;
        steps: number;
        trainingPrograms: number;
        tasks: number;
        trainSeconds: number;
      }[];
      claims: { claim: string; holds: unknown }[];
    };
    expect(t4.table.map((r) => r.method)).toEqual(LASYNTH_C_VARIANTS.map((v) => v.method));
    for (const r of t4.table) {
      expect(r, r.method).toMatchObject({ steps: 4, trainingPrograms: 8, tasks: 3 });
      expect(r.trainSeconds, r.method).toBeGreaterThan(0);
    }
    expect(t4.claims.length).toBe(9);
    for (const c of t4.claims) expect([true, false, null]).toContain(c.holds);
    const report = readFileSync(join(o, 'report.md'), 'utf8');
    expect(report).toMatch(/\*\*\d+ of 9 claims hold here\.\*\*/);
    for (const c of t4.claims) expect(report).toContain(c.claim);
    for (const x of [
      '55.2',
      '42.9',
      '37.6',
      '34.5',
      '56 → 56.5',
      '| Property Signatures (`propsig-minic`) |',
    ])
      expect(report).toContain(x);
    const fig = JSON.parse(readFileSync(join(o, 'fig7a.json'), 'utf8')) as { points: { series: string }[] };
    expect(new Set(fig.points.map((p) => p.series))).toEqual(
      new Set([...LASYNTH_C_VARIANTS.map((v) => v.method), 'lasynth + retraining']),
    );
    for (const f of ['table4.svg', 'fig7a.svg']) expect(readFileSync(join(o, f), 'utf8')).toMatch(/^<svg/);

    // A finished folder is not run again by accident.
    const again = await run(['experiment', 'lasynth-c', '--quick', '--out', o]);
    expect(again.code).toBe(2);
    expect(again.err).toContain('holds a finished experiment');

    // A rerun keeps every training and evaluation; only the missing results file is evaluated again.
    rmSync(join(o, 'results', 'robustfill-step-4.json'));
    const state = join(o, 'checkpoints', 'lasynth', 'training-state.json');
    const before = statSync(state).mtimeMs;
    const kept = readFileSync(join(o, 'results', 'lasynth-step-4.json'), 'utf8');
    const resumed = await run(['experiment', 'lasynth-c', '--quick', '--out', o, '--resume']);
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.err).not.toMatch(/\[experiment lasynth-c\] (train|retrain) /);
    expect(resumed.err).not.toMatch(/^imitation /m);
    expect(resumed.err).toContain('results/lasynth-step-4: kept the finished results');
    expect(resumed.err).toContain('results/lasynth-round-1: kept the finished results');
    expect(resumed.err).not.toContain('results/robustfill-step-4: kept');
    expect(existsSync(join(o, 'results', 'robustfill-step-4.json'))).toBe(true);
    expect(readFileSync(join(o, 'results', 'lasynth-step-4.json'), 'utf8')).toBe(kept);
    expect(statSync(state).mtimeMs).toBe(before);

    // --status reads where the run stands and changes nothing.
    const st = await run(['experiment', 'lasynth-c', '--quick', '--out', o, '--status']);
    expect(st.code, st.err).toBe(0);
    for (const v of LASYNTH_C_VARIANTS)
      expect(st.out).toMatch(new RegExp(`^${v.method} +trained +4/4 +snapshots 4 +evaluated 4: \\d/3`, 'm'));
    expect(st.out).toMatch(/^lasynth .*round 1: \d\/3$/m);
    expect(statSync(state).mtimeMs).toBe(before);

    // Other training settings on the same checkpoints, or this experiment's option on another one.
    const other = await run(['experiment', 'lasynth-c', '--quick', '--out', o, '--resume', '--batch', '3']);
    expect(other.code).toBe(2);
    expect(other.err).toMatch(/lasynth-c\.json: field 'batch' is 2 but this run asks for 3/);
    const budget = await run([
      'experiment',
      'lasynth-c',
      '--quick',
      '--out',
      o,
      '--resume',
      '--timeout',
      '30',
    ]);
    expect(budget.code).toBe(2);
    expect(budget.err).toMatch(
      /lasynth-step-4\.json: made with timeoutS 60, this run asks for 30; pass --force/,
    );
    const wrong = await run(['experiment', 'paper-csg2d', '--quick', '--tasks', 'x.jsonl']);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain('--tasks: an option of experiment lasynth-c only');

    // A last snapshot made without training state (e.g. when lasynth was not to be retrained):
    // retraining round 1 starts from the checkpoint folder, still at that step.
    const last = join(o, 'checkpoints', 'snapshots', 'lasynth', 'step-4');
    for (const f of ['model.onnx', 'training-state.bin', 'training-state.json']) rmSync(join(last, f));
    rmSync(join(o, 'checkpoints', 'snapshots', 'lasynth', 'round-1'), { recursive: true });
    rmSync(join(o, 'results', 'lasynth-round-1.json'));
    const again2 = await run(['experiment', 'lasynth-c', '--quick', '--out', o, '--resume']);
    expect(again2.code, again2.err).toBe(0);
    expect(again2.err).toMatch(/retrain lasynth: round 1\/1 from step 4/);
    expect(existsSync(join(o, 'checkpoints', 'snapshots', 'lasynth', 'round-1', 'model.onnx'))).toBe(true);
    expect(existsSync(join(o, 'results', 'lasynth-round-1.json'))).toBe(true);
  }, 900_000);
});
