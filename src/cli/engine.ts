/** The CLI's way to get methods ready: model folders on disk, notes on stderr. */
import type { AnyProblem } from '../core/index.js';
import { openFolder, shippedLocation } from '../io/files.js';
import { prepareMethods, type Prepared } from '../methods/index.js';

export function prepare(
  problem: AnyProblem,
  names: readonly string[],
  o: { model?: string; threads?: number; quiet?: boolean },
): Promise<Prepared> {
  return prepareMethods(problem.id, names, {
    ...(o.model !== undefined ? { model: o.model } : {}),
    ...(o.threads !== undefined ? { threads: o.threads } : {}),
    open: openFolder,
    shippedLocation,
    note: (m) => {
      if (!o.quiet) process.stderr.write(`note: ${m}\n`);
    },
  });
}

/** A comma-separated method list. */
export const methodList = (s: string): string[] =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
