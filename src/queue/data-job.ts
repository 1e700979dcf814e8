/**
 * `data … --queue`: a dataset made in pieces (DatasetPieces) on the queue's workers. A job is one
 * piece, candidates [from, to) of the seed, computed by the generator's own `work`; the submitter
 * feeds the pieces to the generator's assembler strictly in order, so the files are the local ones.
 */
import {
  UserError,
  problems,
  type DatasetGenerator,
  type DatasetRequest,
  type ParamValue,
} from '../core/index.js';
import { INTERRUPTED } from '../eval/shards.js';
import type { QueueTarget } from './connection.js';
import { runId, runOnQueue } from './submit.js';

export interface DataJob {
  readonly problem: string;
  readonly seed: number;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly from: number;
  readonly to: number;
}

/** What a worker computes for a piece. */
export function runDataJob(j: DataJob): unknown[] {
  const pieces = problems.get(j.problem).io.dataset?.pieces;
  if (!pieces) throw new Error(`problem '${j.problem}' makes no dataset in pieces`);
  return pieces.work(j.seed, j.params, j.from, j.to);
}

/** The most pieces in flight at once (each worker finds the next one waiting). */
const MAX_ROUND = 256;

/**
 * Generates the dataset of `request` on the queue and returns its statistics, as `d.generate` would.
 * Pieces go out in rounds sized by the share of candidates accepted so far; the pieces of a round
 * that turn out not to be needed are withdrawn once the dataset is full.
 */
export async function generateOnQueue(
  target: QueueTarget,
  problemId: string,
  d: DatasetGenerator,
  request: DatasetRequest<unknown>,
  interrupted: () => boolean,
): Promise<unknown> {
  const pieces = d.pieces;
  if (!pieces)
    throw new UserError(`data ${problemId}: this dataset cannot be made in pieces, so not on a queue`, 2);
  let items = 0;
  const a = pieces.assembler({ ...request, onItem: (s, item) => (items++, request.onItem(s, item)) });
  const total = Object.values(request.counts).reduce((x, y) => x + y, 0);
  const run = runId('data-', {
    problem: problemId,
    counts: request.counts,
    seed: request.seed,
    params: request.params,
  });
  const arrived = new Map<number, unknown[]>();
  let fed = 0;
  let full = false;
  let sent = 0;
  let failure: string | null = null;
  process.stderr.write(
    `queue: dataset pieces of ${pieces.pieceSize} candidates, run ${run} on ${target.url}\n`,
  );
  while (!full) {
    if (interrupted()) throw new UserError('interrupted: nothing written', INTERRUPTED);
    // Enough pieces for what is missing at the rate seen so far (at first: half the candidates kept).
    const perPiece = fed > 0 ? Math.max(1, items / fed) : pieces.pieceSize / 2;
    const n = Math.min(MAX_ROUND, Math.ceil((1.2 * (total - items)) / perPiece) + 1);
    const jobs = Array.from({ length: n }, (_, k) => {
      const p = sent + k;
      const from = p * pieces.pieceSize;
      const payload: DataJob = {
        problem: problemId,
        seed: request.seed,
        params: request.params,
        from,
        to: from + pieces.pieceSize,
      };
      return { key: String(p), payload };
    });
    sent += n;
    const q = await runOnQueue<unknown[]>({
      target,
      kind: 'data',
      run,
      jobs,
      interrupted: () => full || failure !== null || interrupted(),
      onResult: (key, outcomes) => {
        arrived.set(Number(key), outcomes);
        while (!full && arrived.has(fed)) {
          full = a.offer(arrived.get(fed)!);
          arrived.delete(fed++);
        }
      },
      onFailure: (key, message) =>
        (failure ??= `data ${problemId}: piece ${key} failed on a worker: ${message}`),
    });
    await q.close(!interrupted());
    // A piece that fails is a bug in the generator, not in the input: the dataset cannot be finished.
    if (failure !== null) throw new Error(failure);
  }
  return a.result();
}
