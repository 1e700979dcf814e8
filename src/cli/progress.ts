/**
 * Progress of one search on stderr: elapsed time against the budget, the best score so far and the
 * nodes expanded, once a search has run for a moment (quick ones print nothing). On a terminal one
 * line is redrawn a few times a second; otherwise (a log, a pipe) a line every few seconds at most.
 */
import type { AnyProblem, AnytimePoint } from '../core/index.js';

export interface ProgressReporter {
  readonly improve: (program: unknown, point: AnytimePoint) => void;
  readonly stop: () => void;
}

export function progressReporter(
  problem: AnyProblem,
  budgetMs: number,
  label: string,
  o: {
    tty?: boolean;
    intervalMs?: number;
    delayMs?: number;
    write?: (s: string) => void;
    now?: () => number;
  } = {},
): ProgressReporter {
  const tty = o.tty ?? Boolean(process.stderr.isTTY);
  const interval = o.intervalMs ?? (tty ? 250 : 5000);
  const delay = o.delayMs ?? (tty ? 500 : 2000);
  const write = o.write ?? ((s: string) => void process.stderr.write(s));
  const now = o.now ?? (() => performance.now());
  const start = now();
  const score = problem.report.scoreName ?? 'score';
  let best: AnytimePoint | null = null;
  let last = -Infinity;
  let drawn = false;
  const line = (): string => {
    const t = ((now() - start) / 1000).toFixed(1);
    const of = Number.isFinite(budgetMs) ? `/${(budgetMs / 1000).toFixed(0)}` : '';
    const b = best ? `, best ${score} ${best.score.toFixed(4)} (${best.nodes} nodes)` : ', no program yet';
    return `${label ? `[${label}] ` : ''}searching ${t}${of} s${b}`;
  };
  const show = (): void => {
    if (now() - start < delay) return;
    last = now();
    if (tty) {
      write(`\r${line()}\u001b[K`);
      drawn = true;
    } else write(`${line()}\n`);
  };
  const timer = setInterval(
    () => {
      if (now() - last >= interval) show();
    },
    Math.min(interval, delay, 1000),
  );
  timer.unref();
  return {
    improve: (_program, point) => {
      best = point;
      if (now() - last >= interval) show();
    },
    stop: () => {
      clearInterval(timer);
      if (drawn) write('\r\u001b[K');
    },
  };
}
