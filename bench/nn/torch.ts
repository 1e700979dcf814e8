/**
 * Client of bench/nn/torch_bench.py (PyTorch twins of the benchmark networks), started only with
 * `npm run bench -- nn --torch`: one Python process for the whole run, spoken to in JSON lines, so our
 * runs and torch's alternate in one session. Needs Debian's python3-torch (and libopenblas0-pthread);
 * nothing else in the project uses Python.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export class TorchBench {
  private readonly lines: AsyncIterator<string>;
  private constructor(
    private readonly proc: ChildProcessWithoutNullStreams,
    private readonly rl: Interface,
  ) {
    this.lines = rl[Symbol.asyncIterator]();
  }

  /**
   * Starts the Python side: 2 intra-op threads, like ours, which do not spin-wait either (ORT sessions
   * here never spin): OMP_WAIT_POLICY=PASSIVE. With OpenMP's default spinning, torch's CNN step measured
   * 3.6x slower beside other processes on this 2-core machine (697 vs 192 ms median at load 8.5).
   * TORCH_OMP_WAIT_POLICY=ACTIVE restores spinning.
   */
  static start(python = process.env.TORCH_PYTHON ?? '/usr/bin/python3'): TorchBench {
    const proc = spawn(python, [join(here, 'torch_bench.py')], {
      env: {
        ...process.env,
        OMP_NUM_THREADS: '2',
        OPENBLAS_NUM_THREADS: '2',
        MKL_NUM_THREADS: '2',
        OMP_WAIT_POLICY: process.env.TORCH_OMP_WAIT_POLICY ?? 'PASSIVE',
      },
    });
    proc.stderr.on('data', (d: Buffer) => process.stderr.write(`[torch] ${d.toString()}`));
    return new TorchBench(proc, createInterface({ input: proc.stdout }));
  }

  private async ask(req: Record<string, unknown>): Promise<Record<string, unknown>> {
    this.proc.stdin.write(JSON.stringify(req) + '\n');
    const r = await this.lines.next();
    if (r.done)
      throw new Error('torch_bench.py exited (is python3-torch installed? apt-get install python3-torch)');
    return JSON.parse(r.value) as Record<string, unknown>;
  }

  /** Builds a network on the Python side; returns its parameter count. */
  async setup(key: string, kind: string, opts: object, batch: number, channelsLast = false): Promise<number> {
    const r = await this.ask({ op: 'setup', key, kind, opts, batch, channelsLast });
    return r.params as number;
  }

  /** Wall times (ms) of `reps` training steps (forward, loss, backward, Adam) or no-grad forwards. */
  async time(key: string, op: 'train' | 'forward', reps: number, warm = 0): Promise<number[]> {
    return (await this.timeWithCpu(key, op, reps, warm)).ms;
  }

  /** Wall times and process CPU times (ms, all threads) of `reps` steps. */
  async timeWithCpu(
    key: string,
    op: 'train' | 'forward',
    reps: number,
    warm = 0,
  ): Promise<{ ms: number[]; cpuMs: number[] }> {
    const r = await this.ask({ op, key, reps, warm });
    return { ms: r.ms as number[], cpuMs: r.cpuMs as number[] };
  }

  async close(): Promise<void> {
    this.proc.stdin.write(JSON.stringify({ op: 'quit' }) + '\n');
    this.rl.close();
    await new Promise((res) => this.proc.once('exit', res));
  }
}
