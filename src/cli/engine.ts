/** The CLI's way to get methods ready: model folders on disk, notes on stderr. */
import { UserError, type AnyProblem, type OptionValues, type ParamValue } from '../core/index.js';
import { openFolder, shippedLocation } from '../io/files.js';
import { paramValues } from './options.js';
import { methodHelp, prepareMethods, resolveMethod, type Prepared } from '../methods/index.js';

export function prepare(
  problem: AnyProblem,
  names: readonly string[],
  o: { model?: string; threads?: number; quiet?: boolean; formulationParams?: OptionValues },
): Promise<Prepared> {
  // Only single values can be formulation parameters (not repeatable options' lists).
  const params: Record<string, ParamValue> = {};
  for (const [k, v] of Object.entries(o.formulationParams ?? {}))
    if (!Array.isArray(v)) params[k] = v as ParamValue;
  return prepareMethods(problem.id, names, {
    formulationParams: params,
    ...(o.model !== undefined ? { model: o.model } : {}),
    ...(o.threads !== undefined ? { threads: o.threads } : {}),
    open: openFolder,
    shippedLocation,
    note: (m) => {
      if (!o.quiet) process.stderr.write(`note: ${m}\n`);
    },
  });
}

/**
 * A comma-separated method list, each resolved to its id: an empty list, an empty entry or a method
 * named twice (also through an alias) is a usage error, so nothing runs or counts twice.
 */
export function methodList(problem: AnyProblem, flag: string, s: string): string[] {
  const names = s.split(',').map((x) => x.trim());
  if (names.every((n) => n === ''))
    throw new UserError(`${flag}: no method given (have: ${methodHelp(problem.id)})`, 2);
  if (names.some((n) => n === ''))
    throw new UserError(`${flag} '${s}': an empty entry in the comma-separated list`, 2);
  const ids = names.map((n) => resolveMethod(problem.id, n).id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) throw new UserError(`${flag} '${s}': method '${twice}' is named twice`, 2);
  return ids;
}

/** The values of a problem's own options (reader settings, limits, rows to fill), checked. */
export function problemOptionValues(problem: AnyProblem, o: Record<string, unknown>): OptionValues {
  return paramValues(problem.io.options ?? [], o);
}
