/**
 * The code a worker runs for each job, in BullMQ's sandbox: a child process of `replsynth worker`
 * (one per --concurrency slot, reused across jobs), so a search that keeps the CPU busy never delays
 * the lock renewals of the parent and a crash takes only the child. Methods are prepared once per
 * child and kept for the jobs that follow.
 */
import { hostname } from 'node:os';
import type { SandboxedJob } from 'bullmq';
import { registerBuiltins } from '../builtins.js';
import { problems, type ParamValue } from '../core/index.js';
import { openFolder, shippedLocation } from '../io/files.js';
import { prepareMethods, type Prepared } from '../methods/index.js';
import { runDataJob, type DataJob } from './data-job.js';
import { evalItem, unpackItem, type EvalJob } from './eval-job.js';
import { modelHashes, projectVersion } from './model-hash.js';
import type { JobEnvelope } from './submit.js';

// The worker that forked this child is gone (killed): its job is handed to another worker, so stop.
process.on('disconnect', () => process.exit(0));
registerBuiltins();

interface Ready {
  readonly prepared: Prepared;
  readonly hashes: ReadonlyMap<string, string>;
}
const cache = new Map<string, Promise<Ready>>();

function ready(j: EvalJob): Promise<Ready> {
  const key = JSON.stringify([j.problem, j.method, j.model ?? null, j.formulationParams]);
  let r = cache.get(key);
  if (!r) {
    // Only single values are formulation parameters (as in the CLI's prepare).
    const params: Record<string, ParamValue> = {};
    for (const [k, v] of Object.entries(j.formulationParams))
      if (!Array.isArray(v)) params[k] = v as ParamValue;
    r = prepareMethods(j.problem, [j.method], {
      formulationParams: params,
      ...(j.model !== undefined ? { model: j.model } : {}),
      threads: 1,
      open: openFolder,
      shippedLocation,
    }).then((prepared) => ({ prepared, hashes: modelHashes(prepared) }));
    // A failed preparation is retried by the next job (the folder may have been fixed).
    r.catch(() => cache.delete(key));
    cache.set(key, r);
  }
  return r;
}

async function runEvalJob(j: EvalJob): Promise<unknown> {
  const problem = problems.get(j.problem);
  const { prepared, hashes } = await ready(j);
  const here = hashes.get(j.method);
  if (here !== j.modelHash)
    throw new Error(
      `refused by the worker on ${hostname()}: the model files of method '${j.method}' differ from the submitter's (${here} here, ${j.modelHash} in the job); give every machine the same model folder and project version`,
    );
  const { result } = await evalItem(problem, prepared.methods.get(j.method)!, unpackItem(j.item), {
    ...j.settings,
    index: j.index,
    source: prepared.sources.get(j.method),
  });
  return result;
}

export default async function processJob(job: SandboxedJob<JobEnvelope>): Promise<unknown> {
  const { kind, version, payload } = job.data;
  if (version !== projectVersion())
    throw new Error(
      `refused by the worker on ${hostname()}: it runs replsynth ${projectVersion()}, the job was made by replsynth ${version}`,
    );
  if (kind === 'eval') return runEvalJob(payload as EvalJob);
  if (kind === 'data') return runDataJob(payload as DataJob);
  throw new Error(`refused by the worker on ${hostname()}: unknown job kind '${String(kind)}'`);
}
