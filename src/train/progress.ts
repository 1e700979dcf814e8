import cliProgress from 'cli-progress';

/**
 * A progress display with ETA for long work. On a terminal it is a live bar; elsewhere (CI, files)
 * it prints a line every `logEvery` updates so logs stay readable.
 */
export interface Progress {
  update(done: number, fields?: Record<string, string | number>): void;
  stop(): void;
}

export function createProgress(label: string, total: number, logEvery = 50): Progress {
  if (process.stderr.isTTY && !process.env.CI) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {value}/{total} | ETA {eta_formatted} | {info}`,
        stream: process.stderr,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { info: '' });
    return {
      update: (done, fields) => bar.update(done, { info: formatFields(fields) }),
      stop: () => bar.stop(),
    };
  }
  const start = Date.now();
  let n = 0;
  return {
    update(done, fields) {
      if (++n % logEvery !== 0 && done < total) return;
      const elapsed = (Date.now() - start) / 1000;
      const eta = done > 0 ? (elapsed / done) * (total - done) : NaN;
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
 * (so a checkpoint can be written); a second one exits at once.
 */
export function interruptFlag(): { readonly requested: boolean; dispose(): void } {
  let requested = false;
  const handler = (): void => {
    if (requested) process.exit(130);
    requested = true;
    process.stderr.write('\ninterrupt: finishing this step and saving a checkpoint (Ctrl-C again to quit now)\n');
  };
  process.on('SIGINT', handler);
  return {
    get requested() {
      return requested;
    },
    dispose: () => void process.off('SIGINT', handler),
  };
}
