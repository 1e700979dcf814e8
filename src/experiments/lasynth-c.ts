/**
 * `replsynth experiment lasynth-c`: Table 4 and Fig. 7a of LaSynth (REFERENCE §2) on restricted C.
 * Every variant — LaSynth, its four ablations, RobustFill and Property Signatures — trains with
 * `replsynth train <model> --phase imitation` (the same command, so the same trainer) on the same
 * generated stream with the same steps, batch, lr, seed and sizes, in its own checkpoint folder
 * (`<checkpoints>/<model>`, resumed on a rerun); the checkpoint is copied as a snapshot at each
 * fraction of the steps (`<checkpoints>/snapshots/<model>/step-<n>`), and every snapshot is evaluated
 * with `eval minic` on the same test tasks and budget (the last on all of them: Table 4; the others on
 * the first --curve-tasks: Fig. 7a). Iterative retraining rounds (`--rounds K`) run `replsynth lasynth
 * --iterative_retraining_prog_gen` one round at a time from the previous round's snapshot, on a train
 * split generated with `replsynth data minic`, each round snapshotted and evaluated on all test tasks.
 *
 * Every finished piece is kept: a rerun (after Ctrl-C, or with --resume) trains nothing already
 * trained, re-evaluates nothing already evaluated (one results file per variant and snapshot under
 * OUT/results/) and finishes what was stopped. --force evaluates again; it never retrains (the
 * checkpoints are kept: give another --checkpoints to train anew).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../core/index.js';
import type { EvalStep, Experiment, ExperimentRunContext, StepResults } from './experiment.js';
import {
  ID,
  LASYNTH_C_OPTIONS,
  checkpointDir,
  lasynthCPlan,
  retrainData,
  snapshotDir,
  snapshotSteps,
  testFile,
  type LaSynthCPlan,
} from './lasynth-c-plan.js';
import {
  LASYNTH_C_VARIANTS,
  correctByTask,
  evalName,
  fig7a,
  fig7aSvg,
  lasynthCClaims,
  lasynthCReport,
  table4,
  table4Markdown,
  table4Svg,
  type LaSynthCVariant,
  type RoundRow,
  type VariantFacts,
} from './lasynth-c-report.js';
import {
  Eta,
  dataset,
  interruptWatch,
  readJson,
  retrainRound,
  stopped,
  testTasks,
  checkpointStep,
  trainRecord,
  trainVariant,
  type TrainRecord,
  type WorkContext,
} from './lasynth-c-work.js';

export { LASYNTH_C_VARIANTS } from './lasynth-c-report.js';

const REPORT = 'report.md';

interface Timings {
  [step: string]: number;
}

/** The results file of a variant's evaluation at a snapshot or round. */
const resultsFile = (p: LaSynthCPlan, method: string, kind: 'step' | 'round', at: number): string =>
  join(p.out, `${evalName(method, kind, at)}.json`);

/** Evaluations of the run: each kept when finished, its wall time added to OUT/timings.json. */
function evaluator(w: WorkContext, n: number, force: boolean) {
  const { ctx, p } = w;
  const file = join(p.out, 'timings.json');
  const timings: Timings = existsSync(file) ? readJson<Timings>(file) : {};
  const bound = (items: number): number => (items * p.timeoutS) / Math.min(ctx.jobs, items);
  const save = (name: string, seconds: number, reset: boolean): void => {
    timings[name] = (reset ? 0 : (timings[name] ?? 0)) + seconds;
    ctx.write(file, JSON.stringify(timings, null, 1) + '\n');
  };
  const step = (v: LaSynthCVariant, kind: 'step' | 'round', at: number, limit: number | null): EvalStep => ({
    name: evalName(v.method, kind, at),
    problem: 'minic',
    methods: [v.method],
    items: limit !== null && limit < n ? limit : n,
    timeoutS: p.timeoutS,
    args: [
      '--tasks',
      testFile(p),
      '--model',
      snapshotDir(p, v, kind, at),
      '--timeout',
      String(p.timeoutS),
      ...(p.nodes !== null ? ['--nodes', String(p.nodes)] : []),
      ...(limit !== null && limit < n ? ['--limit', String(limit)] : []),
      ...(p.decode ? ['--decode', p.decode] : []),
      '--seed',
      String(p.seed),
    ],
  });
  return {
    bound,
    seconds: (name: string): number => timings[name] ?? 0,
    async run(
      v: LaSynthCVariant,
      kind: 'step' | 'round',
      at: number,
      limit: number | null,
    ): Promise<StepResults> {
      const st = step(v, kind, at, limit);
      if (w.watch.requested) throw stopped('before an evaluation');
      // The plot of an evaluation whose results file is gone is remade with it.
      const plot = join(p.out, `${st.name}.svg`);
      if (!existsSync(join(p.out, `${st.name}.json`)) && existsSync(plot)) rmSync(plot);
      const t0 = performance.now();
      const r = await ctx.evalStep(st, force ? 'force' : 'resume').catch((e: unknown) => {
        save(st.name, (performance.now() - t0) / 1000, false);
        throw e;
      });
      if (r.how === 'ran') save(st.name, (performance.now() - t0) / 1000, force);
      else {
        checkKept(p, st, r);
        w.log(`${st.name}: kept the finished results`);
      }
      w.eta.evaluated(bound(st.items));
      return r;
    },
  };
}

/** A kept results file must have been made with this run's tasks, budget, seed and decoding. */
function checkKept(p: LaSynthCPlan, st: EvalStep, r: StepResults): void {
  const s = r.doc.settings;
  const have: Record<string, unknown> = {
    tasks: s.tasks,
    timeoutS: s.timeoutS,
    nodes: s.nodes,
    seed: s.seed,
    'tasks evaluated': r.doc.summary[st.methods[0]]?.total,
  };
  const want: Record<string, unknown> = {
    tasks: testFile(p),
    timeoutS: p.timeoutS,
    nodes: p.nodes,
    seed: p.seed,
    'tasks evaluated': st.items,
  };
  if (p.decode) [have.decode, want.decode] = [s.decode, p.decode];
  for (const k of Object.keys(want))
    if (have[k] !== want[k])
      throw new UserError(
        `${join(p.out, `${st.name}.json`)}: made with ${k} ${JSON.stringify(have[k])}, this run asks for ${JSON.stringify(want[k])}; pass --force to evaluate again, or give another --out`,
        2,
      );
}

/** The output folder: --out, or a new temporary folder for --quick without one. */
function outFolder(ctx: ExperimentRunContext): string {
  return ctx.options.out === undefined && ctx.settings.quick
    ? mkdtempSync(join(tmpdir(), 'replsynth-lasynth-c-'))
    : ctx.out;
}

async function run(ctx: ExperimentRunContext): Promise<void> {
  const p = lasynthCPlan(ctx.options, ctx.settings, outFolder(ctx));
  if (ctx.options.status) return void process.stdout.write(status(p));
  const force = Boolean(ctx.options.force);
  if (existsSync(join(p.out, REPORT)) && !ctx.options.resume && !force)
    throw new UserError(
      `--out ${p.out} holds a finished experiment (${REPORT}); pass --resume to go on from it (what is finished is kept; variants or rounds not done yet are trained and evaluated, and the report is written again), or --force to evaluate again`,
      2,
    );
  mkdirSync(join(p.out, 'results'), { recursive: true });
  const log = (s: string): void => void process.stderr.write(`[experiment ${ID}] ${s}\n`);
  log(`output ${p.out}; checkpoints ${p.root}`);
  const watch = interruptWatch();
  try {
    const n = await testTasks(ctx, p, force);
    const snaps = snapshotSteps(p);
    const curveN = Math.min(n, p.curveTasks ?? n);
    const b = (items: number): number => (items * p.timeoutS) / Math.min(ctx.jobs, items);
    const chosen = chosenVariants(p);
    const eta = new Eta(
      chosen.length * p.steps,
      chosen.length * (b(n) + (snaps.length - 1) * b(curveN)) + p.retrain.length * p.rounds * b(n),
      p.trainJobs,
    );
    const w: WorkContext = { ctx, p, watch, eta, log };
    const ev = evaluator(w, n, force);
    const results: StepResults[] = [];
    const facts = new Map<string, VariantFacts>();
    // Every training first (--train-jobs at once), then the evaluations, which need the cores to
    // themselves: Table 4 (the last snapshots, on every test task), the retraining rounds, and last
    // the Fig. 7a points, so the run's main result comes first.
    const records = await trainAll(w, chosen);
    for (const v of chosen) results.push(await ev.run(v, 'step', p.steps, null));
    // Variants outside --variants that an earlier run evaluated keep their rows (their results kept).
    const earlier = WORK_ORDER.filter(
      (v) => !chosen.includes(v) && existsSync(resultsFile(p, v.method, 'step', p.steps)),
    );
    for (const v of earlier) {
      results.push(await ev.run(v, 'step', p.steps, null));
      records.set(v.model, trainRecord(p, v));
    }
    const rounds: RoundRow[] = [];
    const roundSteps = new Map<string, number[]>();
    if (p.rounds > 0 && p.retrain.length > 0)
      await dataset(ctx, retrainData(p), { train: p.retrainTasks }, p.seed, false);
    for (const m of p.retrain) {
      const v = LASYNTH_C_VARIANTS.find((x) => x.method === m)!;
      const after: number[] = [];
      for (let r = 1; r <= p.rounds; r++) {
        const rec = await retrainRound(w, v, r);
        const res = await ev.run(v, 'round', r, null);
        results.push(res);
        after.push(rec.step);
        const c = correctByTask(res);
        rounds.push({
          method: v.method,
          round: r,
          tasks: rec.tasks,
          solved: rec.solved,
          replaced: rec.replaced,
          step: rec.step,
          programs: rec.step * p.batch,
          trainSeconds: rec.seconds,
          accuracy: c.size ? (100 * [...c.values()].reduce((a, x) => a + x, 0)) / c.size : null,
        });
      }
      roundSteps.set(v.method, after);
    }
    for (const v of LASYNTH_C_VARIANTS.filter((x) => chosen.includes(x) || earlier.includes(x))) {
      for (const s of snaps)
        if (s !== p.steps && (chosen.includes(v) || existsSync(resultsFile(p, v.method, 'step', s))))
          results.push(await ev.run(v, 'step', s, curveN));
      const trainSeconds = records.get(v.model)!.segments.reduce((a, x) => a + x.seconds, 0);
      const evalSeconds = snaps.reduce((a, s) => a + ev.seconds(evalName(v.method, 'step', s)), 0);
      facts.set(v.method, { steps: p.steps, batch: p.batch, trainSeconds, evalSeconds });
    }
    await writeOutputs(ctx, p, n, curveN, results, facts, rounds, roundSteps);
  } finally {
    watch.dispose();
  }
}

/**
 * Where a run stands, read from its folders alone: each variant's checkpoint step, its snapshots, and
 * its finished evaluations (correct of tasks), in the order the run does them.
 */
export function status(p: LaSynthCPlan): string {
  const snaps = snapshotSteps(p);
  const result = (v: LaSynthCVariant, kind: 'step' | 'round', at: number): string | null => {
    const f = resultsFile(p, v.method, kind, at);
    if (!existsSync(f)) return null;
    const s = readJson<{ summary?: Record<string, { correct?: number; total?: number }> }>(f).summary?.[
      v.method
    ];
    return `${kind === 'round' ? 'round ' : ''}${at}: ${s?.correct ?? '?'}/${s?.total ?? '?'}`;
  };
  const lines = [
    `${ID}: ${p.steps} steps × batch ${p.batch} per variant, snapshots at ${snaps.join(', ')}; checkpoints ${p.root}; output ${p.out}`,
  ];
  for (const v of WORK_ORDER) {
    const have = snaps.filter((s) => existsSync(snapshotDir(p, v, 'step', s)));
    const rounds = p.retrain.includes(v.method) ? Array.from({ length: p.rounds }, (_, i) => i + 1) : [];
    const done = [
      ...snaps.map((s) => result(v, 'step', s)),
      ...rounds.map((r) => result(v, 'round', r)),
    ].filter((x): x is string => x !== null);
    lines.push(
      `${v.method.padEnd(30)} trained ${String(checkpointStep(checkpointDir(p, v))).padStart(6)}/${p.steps}` +
        `  snapshots ${have.length ? have.join(' ') : 'none'}` +
        `  evaluated ${done.length ? done.join(', ') : 'nothing yet'}` +
        (p.variants.includes(v.method) ? '' : '  (not in this run: --variants)'),
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * The variants the issue's bars compare (LaSynth, NoPartialExecutor, RobustFill, Property Signatures)
 * are trained and evaluated before the other ablations, so a run stopped part-way has those first.
 */
const FIRST = ['lasynth', 'lasynth-no-partial-executor', 'robustfill', 'propsig'];
const WORK_ORDER: readonly LaSynthCVariant[] = [
  ...FIRST.map((m) => LASYNTH_C_VARIANTS.find((v) => v.method === m)!),
  ...LASYNTH_C_VARIANTS.filter((v) => !FIRST.includes(v.method)),
];

/** The variants of this run (--variants), in work order. */
const chosenVariants = (p: LaSynthCPlan): LaSynthCVariant[] =>
  WORK_ORDER.filter((v) => p.variants.includes(v.method));

/**
 * Trains every variant to its last snapshot, --train-jobs at once (a pool over the variants in work
 * order). When one stops or fails, the others run to their end (each keeps its checkpoint); then the
 * first failure is thrown, an interruption only when nothing failed otherwise.
 */
async function trainAll(
  w: WorkContext,
  variants: readonly LaSynthCVariant[],
): Promise<Map<string, TrainRecord>> {
  const records = new Map<string, TrainRecord>();
  const queue = [...variants];
  const errors: unknown[] = [];
  const worker = async (): Promise<void> => {
    for (let v = queue.shift(); v; v = queue.shift()) {
      const label = `${LASYNTH_C_VARIANTS.indexOf(v) + 1}/${LASYNTH_C_VARIANTS.length}`;
      if (errors.length && w.p.trainJobs === 1) return;
      try {
        records.set(v.model, await trainVariant(w, v, label));
      } catch (e) {
        errors.push(e);
        if (!(e instanceof UserError && e.exitCode === 130)) queue.length = 0;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(w.p.trainJobs, queue.length) }, worker));
  if (errors.length) throw errors.find((e) => !(e instanceof UserError && e.exitCode === 130)) ?? errors[0];
  return records;
}

/** The training stream of every variant, from its final snapshot's config (they must be the same). */
function streams(p: LaSynthCPlan): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of LASYNTH_C_VARIANTS) {
    const f = join(snapshotDir(p, v, 'step', p.steps), 'config.json');
    if (existsSync(f))
      out.set(v.model, JSON.stringify(readJson<{ formulationParams?: unknown }>(f).formulationParams));
  }
  return out;
}

/** The report's settings lines and notes. */
function describe(
  p: LaSynthCPlan,
  n: number,
  curveN: number,
  jobs: number,
): { settings: string[]; notes: string[] } {
  const budget = `${p.timeoutS} s${p.nodes !== null ? ` or ${p.nodes} nodes` : ''} per task, --jobs ${jobs}${p.decode ? `, --decode ${p.decode}` : ''}`;
  const settings = [
    `Training: every variant ${p.steps} steps × batch ${p.batch} = ${p.steps * p.batch} programs of the same generated stream (seed ${p.seed}), Adam lr ${p.lr}${
      Object.keys(p.sizes).length
        ? `, sizes ${Object.entries(p.sizes)
            .map(([k, x]) => `--${k} ${x}`)
            .join(' ')}`
        : ', the models’ default sizes'
    }; checkpoints in ${p.root}.`,
    `Test: ${n} tasks from ${testFile(p)}${p.tasksFile ? '' : ` (replsynth data minic --train 0 --val 0 --test ${p.test} --seed ${p.seed})`}; budget ${budget}; correct = the program meets the 5 spec examples and every held-out test (eval minic's \`correct\`).`,
    `Fig. 7a: snapshots at steps ${snapshotSteps(p).join(', ')} evaluated on the first ${curveN} test tasks.`,
    p.variants.length === LASYNTH_C_VARIANTS.length
      ? 'Variants: all seven.'
      : `Variants of this run (--variants): ${p.variants.join(', ')}; the others' rows stay empty (and their claims cannot be told) until a run with them.`,
    p.rounds > 0 && p.retrain.length > 0
      ? `Iterative retraining: ${p.rounds} round(s) of ${p.retrain.join(', ')}, each decoding (greedy) the specs of ${retrainData(p)}/train.jsonl (${p.retrainTasks} generated, those within the teacher-forced length used) and training ${p.roundEpochs} epoch(s) over the relabelled specs; each round evaluated on all ${n} test tasks.`
      : `Iterative retraining: none (${p.rounds === 0 ? '--rounds 0' : 'no variant of --retrain in this run'}).`,
  ];
  const stream = streams(p);
  const kinds = new Set(stream.values());
  const notes = [
    kinds.size <= 1
      ? `Every variant's formulation (training stream) parameters are the same: ${[...kinds][0] ?? '-'}.`
      : `The variants' formulation parameters differ (so their streams differ): ${[...stream].map(([m, s]) => `${m} ${s}`).join('; ')}.`,
    'A node is one token for these decoders (no REPL: each program is run once, at the end).',
    'Every snapshot is evaluated in the form a model ships in: its inference graphs with float16 weights (`train --ship`).',
    "Each retraining round is one `replsynth lasynth --iterative_retraining_prog_gen --retrain_rounds 1` from the previous round's snapshot: it relabels the dataset's targets afresh with the current model, so a target replaced in an earlier round and not decoded again reverts to the dataset's program.",
    'The paper trains on 500k Csmith-generated programs on a GPU with embedding 1024 and hidden 512; ours are generated by replsynth data minic / the minic token formulation, at the sizes above on CPU.',
    'Training and evaluation times are wall clock on this machine, summed over resumed runs; a rerun keeps finished training and evaluations.',
  ];
  return { settings, notes };
}

async function writeOutputs(
  ctx: ExperimentRunContext,
  p: LaSynthCPlan,
  n: number,
  curveN: number,
  results: readonly StepResults[],
  facts: ReadonlyMap<string, VariantFacts>,
  rounds: readonly RoundRow[],
  roundSteps: ReadonlyMap<string, readonly number[]>,
): Promise<void> {
  const claims = lasynthCClaims(results);
  const table = table4(results, facts);
  const curve = fig7a(results, p.batch, curveN, roundSteps);
  const machine = ctx.machine();
  const { settings, notes } = describe(p, n, curveN, ctx.jobs);
  const dir = p.out;
  const table4Doc = { experiment: ID, settings: { ...p }, claims, table };
  ctx.write(join(dir, 'table4.json'), JSON.stringify(table4Doc, null, 1) + '\n');
  ctx.write(join(dir, 'table4.md'), table4Markdown(table).join('\n') + '\n');
  ctx.write(
    join(dir, 'table4.svg'),
    await table4Svg(
      table,
      `replsynth lasynth-c: Table 4, ${n} test tasks, ${p.steps * p.batch} training programs`,
    ),
  );
  ctx.write(
    join(dir, 'fig7a.json'),
    JSON.stringify({ experiment: ID, tasks: curveN, points: curve }, null, 1) + '\n',
  );
  ctx.write(
    join(dir, 'fig7a.svg'),
    await fig7aSvg(
      curve,
      `replsynth lasynth-c: Fig. 7a, % correct on ${curveN} test tasks vs training programs`,
    ),
  );
  ctx.write(
    join(dir, 'experiment.json'),
    JSON.stringify(
      {
        experiment: ID,
        reproduces: lasynthC.reproduces,
        command: ctx.command,
        ...machine,
        settings: { ...p },
        steps: results.map((r) => ({ ...r.step, results: `${r.step.name}.json` })),
        claims,
        table4: table,
        rounds,
        fig7a: curve,
        plots: ['table4.svg', 'fig7a.svg'],
      },
      null,
      1,
    ) + '\n',
  );
  ctx.write(
    join(dir, REPORT),
    lasynthCReport({ command: ctx.command, machine, settings, claims, table, rounds, curve, notes }),
  );
  for (const c of claims)
    process.stdout.write(
      `${c.holds === null ? 'cannot tell' : c.holds ? 'holds       ' : 'does not hold'}  ${c.claim}: ${c.evidence}\n`,
    );
  process.stdout.write(`report: ${join(dir, REPORT)}\n`);
}

export const lasynthC: Experiment = {
  id: ID,
  description:
    'LaSynth, its four ablations, RobustFill and Property Signatures trained on the same stream and budget, evaluated on the same test tasks (Table 4, Fig. 7a)',
  reproduces:
    'Chen, Song, Tian 2021, "Latent Execution for Neural Program Synthesis", Table 4 and Fig. 7a (restricted C)',
  // The Table 4 evaluations of a default run (run() trains first, then evaluates these and the snapshots).
  steps: (s) => {
    const p = lasynthCPlan({}, s, join('experiments', ID));
    return LASYNTH_C_VARIANTS.map((v) => ({
      name: evalName(v.method, 'step', p.steps),
      problem: 'minic',
      methods: [v.method],
      items: p.test,
      timeoutS: p.timeoutS,
      args: [
        '--tasks',
        testFile(p),
        '--model',
        snapshotDir(p, v, 'step', p.steps),
        '--timeout',
        String(p.timeoutS),
      ],
    }));
  },
  claims: (results) => lasynthCClaims(results),
  options: LASYNTH_C_OPTIONS,
  run,
};
