import cliProgress from 'cli-progress';

/**
 * A progress display with ETA for long work. On a terminal it is a live bar; elsewhere (CI, files)
 * it prints a line every `logEvery` updates so logs stay readable.
 */
export interface Progress {
  update(done: number, fields?: Record<string, string | number>): void;
  stop(): void;
}

export interface ProgressOptions {
  /** Print a line every this many updates when not on a terminal. */
  readonly logEvery?: number;
  /** Work already done before this run (a resumed run): the ETA uses this run's rate only. */
  readonly initial?: number;
  /** The run stops after this many seconds whatever is left: the ETA never exceeds it. */
  readonly maxSeconds?: number;
}

/** Seconds left: this run's rate over the work left, capped by the time limit. */
export function estimateEta(
  elapsed: number,
  done: number,
  initial: number,
  total: number,
  maxSeconds = Infinity,
): number {
  const byRate = done > initial ? (elapsed / (done - initial)) * (total - done) : NaN;
  const byLimit = maxSeconds - elapsed;
  if (!Number.isFinite(byLimit)) return byRate;
  if (Number.isNaN(byRate)) return byLimit;
  return Math.min(byRate, Math.max(0, byLimit));
}

export function createProgress(label: string, total: number, options: ProgressOptions = {}): Progress {
  const { logEvery = 50, initial = 0, maxSeconds = Infinity } = options;
  if (process.stderr.isTTY && !process.env.CI) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {value}/{total} | ETA {left} | {info}`,
        stream: process.stderr,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    const started = Date.now();
    bar.start(total, initial, { info: '', left: '?' });
    return {
      update: (done, fields) =>
        bar.update(done, {
          info: formatFields(fields),
          left: formatSeconds(estimateEta((Date.now() - started) / 1000, done, initial, total, maxSeconds)),
        }),
      stop: () => bar.stop(),
    };
  }
  const start = Date.now();
  let n = 0;
  return {
    update(done, fields) {
      if (++n % logEvery !== 0 && done < total) return;
      const elapsed = (Date.now() - start) / 1000;
      const eta = estimateEta(elapsed, done, initial, total, maxSeconds);
      process.stderr.write(`${label} ${done}/${total} ETA ${formatSeconds(eta)} ${formatFields(fields)}\n`);
    },
    stop() {},
  };
}

function formatFields(fields?: Record<string, string | number>): string {
  if (!fields) return '';
  return Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? (Number.isInteger(v) ? v : v.toFixed(4)) : v}`)
    .join(' ');
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = Math.floor(s % 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(sec).padStart(2, '0')}s`;
}

/**
 * Ctrl-C handling for training loops: the first SIGINT asks the loop to stop after the current step
 * (so a checkpoint can be written); a second one exits at once. One Ctrl-C can arrive more than once
 * (the terminal signals the whole process group and wrappers such as npx or tsx relay it again), so
 * a repeat within `graceMs` counts as the same press. SIGTERM (kill, a job scheduler, a container
 * stop) is handled the same way, so a stopped training run also saves its last step.
 */
export function interruptFlag(
  graceMs = 1500,
  now: () => number = Date.now,
): { readonly requested: boolean; dispose(): void } {
  let requested = false;
  let at = 0;
  const handler = (signal: NodeJS.Signals): void => {
    if (requested) {
      if (now() - at < graceMs) return;
      process.exit(130);
    }
    requested = true;
    at = now();
    process.stderr.write(
      signal === 'SIGTERM'
        ? '\nterminate: finishing this step and saving a checkpoint (send it again to quit now)\n'
        : '\ninterrupt: finishing this step and saving a checkpoint (Ctrl-C again to quit now)\n',
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    get requested() {
      return requested;
    },
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
