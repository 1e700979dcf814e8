/**
 * What a job's results depend on besides its settings: the project version and the bytes of the model
 * files each method loaded. A submitter puts both into every job; a worker computes its own and refuses
 * a job whose values differ, so a machine with other weights can never mix its results into a run.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { models } from '../core/index.js';
import { packageRoot } from '../io/files.js';
import type { Prepared } from '../methods/index.js';

let version: string | undefined;

/** The version in this installation's package.json. */
export function projectVersion(): string {
  version ??= (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string })
    .version;
  return version;
}

/** A short content hash of the files in `names` that exist in `dir` (names are part of the hash). */
export function hashFolder(dir: string, names: readonly string[]): string {
  const h = createHash('sha256');
  for (const n of [...names].sort()) {
    const p = join(dir, n);
    if (!existsSync(p) || !statSync(p).isFile()) continue;
    const bytes = readFileSync(p);
    h.update(`${n}\0${bytes.length}\0`).update(bytes);
  }
  return `sha256:${h.digest('hex').slice(0, 16)}`;
}

/**
 * Per method of `prepared`: the hash of its model's declared files in the folder it was loaded from,
 * or `uniform` (a guided method without a model) or `no` (a method that uses none).
 */
export function modelHashes(prepared: Prepared): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of prepared.definitions) {
    const source = prepared.sources.get(d.id) ?? 'no';
    const isFolder = d.model !== undefined && existsSync(source) && statSync(source).isDirectory();
    out.set(d.id, isFolder ? hashFolder(source, models.get(d.model!).files) : source);
  }
  return out;
}
