import type { Command } from 'commander';
import { readTaskFile, type FileTask } from '../domains/strings/index.js';
import { intOption, numberOption } from './options.js';
import { curvesSvg, solvedCurve } from './plots.js';
import { refuseOverwrite, runResumable, shardControl, writeFileAtomic, type EvalControl } from './shards.js';
import { StringsEngine, type StringsRunResult } from './strings-synth.js';

interface EvalOpts {
  tasks: string;
  timeout: string;
  search: string;
  out?: string;
  plot?: string;
  jobs: string;
  seed: string;
  model?: string;
  shard?: string;
  skipDone?: string;
  resume?: boolean;
  force?: boolean;
  limit?: string;
  nodes?: string;
}

export interface SearchSummary {
  solved: number;
  total: number;
  heldOutCorrect: number;
  heldOutTotal: number;
  /** Tasks whose held-out rows were all right (among tasks with held-out rows). */
  heldOutTasksAllCorrect: number;
  meanSolveMs: number | null;
  medianSolveMs: number | null;
}

export function summarise(
  results: readonly StringsRunResult[],
  searches: readonly string[],
): Record<string, SearchSummary> {
  const out: Record<string, SearchSummary> = {};
  for (const s of searches) {
    const rs = results.filter((r) => r.search === s);
    const times = rs
      .filter((r) => r.solved)
      .map((r) => r.firstSolutionMs ?? r.timeMs)
      .sort((a, b) => a - b);
    const withTests = rs.filter((r) => r.heldOutCorrect !== null && r.heldOut > 0);
    out[s] = {
      solved: rs.filter((r) => r.solved).length,
      total: rs.length,
      heldOutCorrect: withTests.reduce((a, r) => a + (r.heldOutCorrect ?? 0), 0),
      heldOutTotal: withTests.reduce((a, r) => a + r.heldOut, 0),
      heldOutTasksAllCorrect: withTests.filter((r) => r.heldOutCorrect === r.heldOut).length,
      meanSolveMs: times.length ? times.reduce((a, b) => a + b, 0) / times.length : null,
      medianSolveMs: times.length ? times[Math.floor(times.length / 2)] : null,
    };
  }
  return out;
}

/** What identifies a result, for --resume (task names are unique in a task file). */
const stringsResultKey = (r: { name?: string; search: string }): string => `${r.name ?? ''}/${r.search}`;

async function runShard(
  o: EvalOpts,
  searches: string[],
  tasks: readonly FileTask[],
  taskIdx: number[],
  ctl: EvalControl<StringsRunResult>,
  threads?: number,
): Promise<StringsRunResult[]> {
  const timeoutMs = numberOption('--timeout', o.timeout, 0.01) * 1000;
  const engine = await StringsEngine.create(searches, o.model, threads);
  const out: StringsRunResult[] = [];
  for (const i of taskIdx) {
    for (const search of searches) {
      if (!ctl.pending(stringsResultKey({ name: tasks[i].name, search }))) continue;
      const r = await engine.run(tasks[i].spec, {
        search,
        timeoutMs,
        seed: intOption('--seed', o.seed) + i,
        ...(o.nodes ? { nodes: intOption('--nodes', o.nodes, 1) } : {}),
      });
      out.push({ ...r, name: tasks[i].name });
      ctl.keep(out[out.length - 1]);
      process.stderr.write(
        `[${out.length}/${taskIdx.length * searches.length}] ${tasks[i].name} ${search}: ${r.solved ? `solved ${(r.firstSolutionMs! / 1000).toFixed(2)}s` : 'unsolved'}${r.heldOutCorrect !== null ? ` held-out ${r.heldOutCorrect}/${r.heldOut}` : ''}\n`,
      );
    }
  }
  return out;
}

/** `replsynth eval strings`: every search on every task, a summary, and % solved curves. */
export function registerEvalStringsCommand(evalCommand: Command): void {
  evalCommand
    .command('strings')
    .description('evaluate search methods on a strings task file: % solved vs time and nodes')
    .requiredOption('--tasks <file>', 'JSONL or CSV task file')
    .option('--timeout <s>', 'budget per task and method, seconds', '30')
    .option('--search <list>', 'comma-separated methods', 'smc,rollout,beam,beam-value,enum')
    .option('--out <file>', 'results JSON')
    .option('--plot <file>', 'SVG plot of % solved vs time and vs nodes')
    .option('--jobs <n>', 'tasks run in parallel processes', '1')
    .option('--seed <n>', 'random seed', '1')
    .option('--limit <n>', 'only the first n tasks')
    .option('--nodes <n>', 'node budget per task and method (besides --timeout)')
    .option('--model <dir>', 'model folder (default: shipped)')
    .option('--force', 'overwrite existing --out/--plot files')
    .option('--resume', 'finish a stopped evaluation: keep the results in OUT.partial.json, run the rest')
    .option('--shard <k/n>', 'internal: run every n-th task starting at k')
    .option('--shard-out <file>', 'internal: where a shard writes its results')
    .option('--skip-done <file>', 'internal: results a resumed shard skips')
    .action(async (o: EvalOpts & { shardOut?: string }) => {
      const searches = o.search
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const tasks = readTaskFile(o.tasks);
      const n = o.limit ? Math.min(tasks.length, intOption('--limit', o.limit, 1)) : tasks.length;
      const all = Array.from({ length: n }, (_, i) => i);
      if (o.shard) {
        const [k, m] = o.shard.split('/').map(Number);
        const mine = all.filter((i) => i % m === k);
        await runShard(o, searches, tasks, mine, shardControl(o.shardOut, o.skipDone, stringsResultKey), 1);
        return;
      }
      refuseOverwrite('--out', o.out, o.force);
      refuseOverwrite('--plot', o.plot, o.force);
      const jobs = intOption('--jobs', o.jobs, 1);
      const results = await runResumable<StringsRunResult>({
        label: 'eval',
        out: o.out,
        resume: o.resume ?? false,
        jobs,
        n,
        key: stringsResultKey,
        here: (ctl) => runShard(o, searches, tasks, all, ctl),
      });
      const order = new Map(tasks.map((t, i) => [t.name, i]));
      results.sort(
        (a, b) =>
          (order.get(a.name!) ?? 0) - (order.get(b.name!) ?? 0) ||
          searches.indexOf(a.search) - searches.indexOf(b.search),
      );
      const summary = summarise(results, searches);
      const timeoutS = numberOption('--timeout', o.timeout, 0.01);
      for (const [s, v] of Object.entries(summary)) {
        process.stdout.write(
          `${s.padEnd(11)} solved ${v.solved}/${v.total} (${((100 * v.solved) / Math.max(1, v.total)).toFixed(1)} %)  held-out rows ${v.heldOutCorrect}/${v.heldOutTotal}\n`,
        );
      }
      const doc = {
        summary,
        settings: { tasks: o.tasks, timeoutS, searches, seed: Number(o.seed), jobs },
        tasks: results,
      };
      if (o.out) writeFileAtomic(o.out, JSON.stringify(doc, null, 1) + '\n');
      if (o.plot) {
        const maxNodes = Math.max(1, ...results.map((r) => r.nodes));
        const svg = await curvesSvg(
          [
            {
              title: '% solved vs time',
              xTitle: 'seconds',
              yTitle: '% solved',
              yDomain: [0, 100],
              points: searches.flatMap((s) =>
                solvedCurve(
                  s,
                  results
                    .filter((r) => r.search === s)
                    .map((r) => (r.solved ? (r.firstSolutionMs ?? r.timeMs) / 1000 : null)),
                  n,
                  timeoutS,
                ),
              ),
            },
            {
              title: '% solved vs nodes expanded',
              xTitle: 'nodes',
              yTitle: '% solved',
              yDomain: [0, 100],
              points: searches.flatMap((s) =>
                solvedCurve(
                  s,
                  results
                    .filter((r) => r.search === s)
                    .map((r) => (r.solved ? (r.firstSolutionNodes ?? r.nodes) : null)),
                  n,
                  maxNodes,
                ),
              ),
            },
          ],
          `replsynth strings: ${n} tasks, ${timeoutS} s budget`,
        );
        writeFileAtomic(o.plot, svg);
      }
    });
}
