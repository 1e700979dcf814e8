/**
 * `replsynth experiment <id>`: a paper's comparison in one command. Each step is an ordinary `eval`
 * run (so resume, --jobs, progress and Ctrl-C keeping finished results are the evaluation runner's),
 * written into the output folder as `<step>.json` and `<step>.svg`; then the experiment's claims are
 * checked on the results and `experiment.json`, its plots and `report.md` are written.
 */
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { UserError, problems, type ItemResult } from '../core/index.js';
import { partialPath } from '../eval/shards.js';
import {
  experimentReport,
  findExperiment,
  listExperiments,
  registerBuiltinExperiments,
  type EvalDoc,
  type EvalStep,
  type Experiment,
  type ExperimentRunContext,
  type ExperimentSettings,
  type StepResults,
} from '../experiments/index.js';
import { writeFileAtomic } from '../io/files.js';
import { hasFloat16Weights, toFloat16Model } from '../nn/fp16.js';
import { intOption, numberOption } from './options.js';

interface ExperimentOpts {
  out?: string;
  quick?: boolean;
  timeout?: string;
  nodes?: string;
  items?: string;
  seed: string;
  jobs: string;
  resume?: boolean;
  force?: boolean;
}

const REPORT = 'report.md';

/**
 * Counts the evaluation's result lines (`[k/n] #i …`, from this process or its shards) and adds the
 * experiment's progress with an ETA after each.
 */
function progressLine(label: string, total: number): (text: string) => string {
  const start = performance.now();
  let done = 0;
  return (text) => {
    const n = text.split('\n').filter((l) => /^\[\d+\/\d+\] #\d+ /.test(l)).length;
    if (n === 0) return text;
    done += n;
    const s = (performance.now() - start) / 1000;
    const eta = done >= total ? 0 : (s / done) * (total - done);
    return `${text}[experiment ${label}] ${done}/${total} results, ${duration(s)} elapsed, ETA ${duration(eta)}\n`;
  };
}

/** Runs `eval` with these arguments: here when jobs = 1, else in a child process (its shards need its argv). */
async function runEval(
  args: readonly string[],
  jobs: number,
  progress: (text: string) => string,
): Promise<number> {
  if (jobs === 1) {
    const { runCli } = await import('./run.js');
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
      write(typeof chunk === 'string' ? progress(chunk) : chunk, ...rest)) as typeof process.stderr.write;
    try {
      return await runCli(['eval', ...args]);
    } finally {
      process.stderr.write = write;
    }
  }
  return forkCli(['eval', ...args, '--jobs', String(jobs)], progress);
}

/**
 * Runs a command line of this program in a child process, its stderr passed through `onErr` (whole
 * lines when `lines`); resolves with its exit code (130 when it died of SIGINT). A Ctrl-C reaches the
 * child from the terminal; one sent to this process alone is passed on.
 */
function forkCli(args: readonly string[], onErr: (text: string) => string, lines = false): Promise<number> {
  return new Promise((resolve) => {
    const c = fork(process.argv[1], [...args], { stdio: ['inherit', 'inherit', 'pipe', 'ipc'] });
    c.stderr?.setEncoding('utf8');
    let held = '';
    c.stderr?.on('data', (chunk: string) => {
      if (!lines) return void process.stderr.write(onErr(chunk));
      const parts = (held + chunk).split(/(?<=[\n\r])/);
      held = /[\n\r]$/.test(parts.at(-1) ?? '') ? '' : (parts.pop() ?? '');
      for (const l of parts) process.stderr.write(onErr(l));
    });
    const onInterrupt = (): void => void c.kill('SIGINT');
    process.on('SIGINT', onInterrupt);
    c.on('exit', (code, signal) => {
      process.off('SIGINT', onInterrupt);
      if (held) process.stderr.write(onErr(held + '\n'));
      resolve(code ?? (signal === 'SIGINT' ? 130 : 3));
    });
  });
}

function readDoc(file: string): EvalDoc {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as EvalDoc;
  } catch (e) {
    throw new UserError(
      `${file}: not a readable results file (${e instanceof Error ? e.message : String(e)}); remove it or pass --force`,
      2,
    );
  }
}

/** Upper bound of a step's time: items × methods × budget / jobs (searches may stop sooner). */
const stepBound = (step: EvalStep, jobs: number): number =>
  (step.items * step.methods.length * step.timeoutS) / Math.min(jobs, step.items);

const duration = (s: number): string =>
  s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 60 ? `${Math.round(s / 60)} min` : `${Math.round(s)} s`;

async function runStep(
  step: EvalStep,
  dir: string,
  o: ExperimentOpts,
  jobs: number,
): Promise<'ran' | 'kept'> {
  const out = join(dir, `${step.name}.json`);
  if (existsSync(out) && o.resume) return 'kept';
  // Without --force, eval itself refuses to replace results or a stopped evaluation's partial file.
  const resume = Boolean(o.resume && existsSync(partialPath(out)));
  const args = [
    step.problem,
    '--methods',
    step.methods.join(','),
    ...step.args,
    '--out',
    out,
    '--plot',
    join(dir, `${step.name}.svg`),
    ...(resume ? ['--resume'] : o.force ? ['--force'] : []),
  ];
  const code = await runEval(args, jobs, progressLine(step.name, step.items * step.methods.length));
  if (code === 130)
    throw new UserError(
      `interrupted in step '${step.name}': its finished results are kept; rerun with --resume to finish`,
      130,
    );
  if (code !== 0)
    throw new UserError(
      `step '${step.name}' (eval ${step.problem}) failed with exit code ${code}; its message is above`,
      code === 2 ? 2 : 3,
    );
  return 'ran';
}

/** The command line that made a report, from the options it was given. */
function commandOf(e: Experiment, o: ExperimentOpts): string {
  const flags = Object.entries(o)
    .filter(([, v]) => v !== undefined && v !== false)
    .map(([k, v]) => (v === true ? `--${k}` : `--${k} ${String(v)}`));
  return ['replsynth experiment', e.id, ...flags].join(' ');
}

function settingsOf(o: ExperimentOpts): ExperimentSettings {
  return {
    quick: Boolean(o.quick),
    seed: intOption('--seed', o.seed),
    ...(o.timeout !== undefined ? { timeoutS: numberOption('--timeout', o.timeout, 0) } : {}),
    ...(o.nodes !== undefined ? { nodes: intOption('--nodes', o.nodes, 1) } : {}),
    ...(o.items !== undefined ? { items: intOption('--items', o.items, 1) } : {}),
  };
}

function checkFolder(dir: string, o: ExperimentOpts): void {
  if (o.resume && o.force) throw new UserError('--resume and --force exclude each other', 2);
  if (existsSync(join(dir, REPORT)) && !o.force && !o.resume)
    throw new UserError(
      `--out ${dir} holds a finished experiment (${REPORT}); pass --force to run it again, or --resume to rewrite the report from its results`,
      2,
    );
  mkdirSync(dir, { recursive: true });
}

/** A step's results file read back, with its per-item results. */
function stepResults(step: EvalStep, dir: string): StepResults {
  const doc = readDoc(join(dir, `${step.name}.json`));
  const noun = problems.get(step.problem).report.noun;
  return { step, doc, results: (doc[noun] ?? []) as ItemResult[] };
}

/** What an experiment that runs itself gets (experiment.ts, ExperimentRunContext). */
function runContext(e: Experiment, o: ExperimentOpts, dir: string, jobs: number): ExperimentRunContext {
  return {
    settings: settingsOf(o),
    options: o as unknown as Record<string, unknown>,
    out: dir,
    jobs,
    command: commandOf(e, o),
    async evalStep(step, mode) {
      const how = await runStep(
        step,
        dir,
        { ...o, resume: mode === 'resume', force: mode === 'force' },
        jobs,
      );
      return { how, ...stepResults(step, dir) };
    },
    cli: async (args) => (await import('./run.js')).runCli(args),
    cliChild: (args, label) =>
      forkCli(args, (l) => (l.trim() ? `[${label}] ${l.replace(/^\r/, '')}` : l), true),
    write: (file, data) => writeFileAtomic(file, data),
    float16Graphs: (folder) => {
      for (const f of readdirSync(folder)) {
        if (!f.endsWith('.onnx') || f === 'model.onnx') continue;
        const bytes = new Uint8Array(readFileSync(join(folder, f)));
        if (!hasFloat16Weights(bytes)) writeFileAtomic(join(folder, f), toFloat16Model(bytes).bytes);
      }
    },
    machine: () => ({ finished: new Date().toISOString(), load: loadavg(), cpus: cpus().length }),
  };
}

async function runExperiment(e: Experiment, o: ExperimentOpts): Promise<void> {
  const s = settingsOf(o);
  const jobs = intOption('--jobs', o.jobs, 1);
  const dir = o.out ?? join('experiments', e.id);
  if (e.run) {
    if (o.resume && o.force) throw new UserError('--resume and --force exclude each other', 2);
    return e.run(runContext(e, o, dir, jobs));
  }
  checkFolder(dir, o);
  const steps = e.steps(s);
  const total = steps.reduce((a, st) => a + stepBound(st, jobs), 0);
  let left = total;
  for (const [k, step] of steps.entries()) {
    const bound = stepBound(step, jobs);
    process.stderr.write(
      `[experiment ${e.id} ${k + 1}/${steps.length}] ${step.name}: ${step.methods.length} methods; at most ${duration(bound)} (the whole experiment: at most ${duration(left)} left)\n`,
    );
    const how = await runStep(step, dir, o, jobs);
    if (how === 'kept')
      process.stderr.write(`[experiment ${e.id}] ${step.name}: kept the finished results in ${dir}\n`);
    left -= bound;
  }
  const results: StepResults[] = steps.map((step) => stepResults(step, dir));
  const claims = e.claims(results, s);
  const plots = (await e.plots?.(results, s)) ?? [];
  const ctx = {
    command: commandOf(e, o),
    finished: new Date().toISOString(),
    load: loadavg(),
    cpus: cpus().length,
  };
  for (const p of plots) writeFileAtomic(join(dir, p.file), p.svg);
  const summary = {
    experiment: e.id,
    reproduces: e.reproduces,
    settings: s,
    ...ctx,
    steps: steps.map((st) => ({ ...st, results: `${st.name}.json` })),
    claims,
    plots: plots.map((p) => p.file),
  };
  writeFileAtomic(join(dir, 'experiment.json'), JSON.stringify(summary, null, 1) + '\n');
  writeFileAtomic(join(dir, REPORT), experimentReport(e, results, claims, plots, ctx) + '\n');
  for (const c of claims)
    process.stdout.write(
      `${c.holds === null ? 'cannot tell' : c.holds ? 'holds       ' : 'does not hold'}  ${c.claim}: ${c.evidence}\n`,
    );
  process.stdout.write(`report: ${join(dir, REPORT)}\n`);
}

/** Adds `experiment <id>`. */
export function registerExperimentCommand(program: Command): void {
  registerBuiltinExperiments();
  const ids = listExperiments().map((e) => e.id);
  // The experiments' own options: each flag once, refused for an experiment that does not declare it.
  const own = new Map<string, { option: Option; ids: string[] }>();
  for (const e of listExperiments())
    for (const x of e.options ?? []) {
      const option = new Option(x.flags, `${e.id}: ${x.description}`);
      const have = own.get(option.attributeName());
      if (have) have.ids.push(e.id);
      else own.set(option.attributeName(), { option, ids: [e.id] });
    }
  const cmd = program
    .command('experiment <id>')
    .description(`run a paper's comparison; writes JSON, plots and a Markdown report: ${ids.join(', ')}`)
    .option('--out <dir>', 'output folder (default: experiments/<id>)')
    .option('--quick', 'a tiny version (a few seconds; for tests)')
    .option('--timeout <s>', "seconds per item and method (default: the paper's)")
    .option('--nodes <n>', 'also stop each search after n nodes (load-independent budgets)')
    .option('--items <n>', 'items (e.g. generated scenes) per evaluation')
    .option('--seed <n>', 'random seed (item i uses seed + i)', '1')
    .option('--jobs <n>', 'items run in parallel processes', '1')
    .option('--resume', 'keep finished steps, finish a stopped one, rewrite the report')
    .option('--force', 'run every step again (replacing earlier results)');
  for (const { option } of own.values()) cmd.addOption(option);
  cmd.action(async (id: string, o: ExperimentOpts) => {
    const e = findExperiment(id);
    if (!e) throw new UserError(`unknown experiment '${id}' (have: ${ids.join(', ')})`, 2);
    for (const [key, { option, ids: of }] of own)
      if ((o as unknown as Record<string, unknown>)[key] !== undefined && !of.includes(e.id))
        throw new UserError(
          `${option.long}: an option of experiment ${of.join(', ')} only, not of ${e.id}`,
          2,
        );
    await runExperiment(e, o);
  });
}
