import { Option, type Command } from 'commander';
import { UserError, resolveParams, type ParamSpec, type ParamValue } from '../core/index.js';

/** Parses an integer CLI option or throws a one-line usage error (exit code 2). */
export function intOption(flag: string, value: string, min = -Infinity, max = Infinity): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    const range = min > -Infinity ? (max < Infinity ? ` in [${min}, ${max}]` : ` ≥ ${min}`) : '';
    throw new UserError(`${flag}: expected an integer${range}, got '${value}'`, 2);
  }
  return n;
}

export function numberOption(flag: string, value: string, min = -Infinity, max = Infinity): number {
  const n = Number(value);
  const range = [min > -Infinity ? `≥ ${min}` : '', max < Infinity ? `≤ ${max}` : '']
    .filter(Boolean)
    .join(' and ');
  if (!Number.isFinite(n) || n < min || n > max)
    throw new UserError(`${flag}: expected a number${range ? ` ${range}` : ''}, got '${value}'`, 2);
  return n;
}

/** `maxShapes` → `max-shapes`. */
export const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const collect = (v: string, acc: string[]): string[] => [...acc, v];

/** Adds one option per declared parameter (`--max-shapes <n>`; repeatable ones collect a list). */
export function addParamOptions(
  cmd: Command,
  specs: readonly (ParamSpec & { readonly repeatable?: boolean })[],
): Command {
  for (const p of specs) {
    const flag = `--${kebab(p.name)}`;
    const choices = p.choices ? ` (${p.choices.join(' | ')})` : '';
    if (p.repeatable)
      cmd.addOption(new Option(`${flag} <value>`, p.description).argParser(collect).default([]));
    // A flag that is on by default is offered as its negation (`--no-header`).
    else if (p.type === 'bool' && p.default === true)
      cmd.addOption(new Option(`--no-${kebab(p.name)}`, p.description));
    else if (p.type === 'bool') cmd.addOption(new Option(flag, p.description));
    else
      cmd.addOption(
        new Option(
          `${flag} <${p.type === 'int' || p.type === 'float' ? 'n' : 'value'}>`,
          `${p.description}${choices}`,
        ).default(String(p.default)),
      );
  }
  return cmd;
}

/** The values of declared parameters from parsed options, checked; a bad one is a usage error. */
export function paramValues(
  specs: readonly (ParamSpec & { readonly repeatable?: boolean })[],
  opts: Record<string, unknown>,
): Record<string, ParamValue | readonly string[]> {
  const out: Record<string, ParamValue | readonly string[]> = {};
  for (const p of specs) {
    const v = opts[p.name];
    if (p.repeatable) {
      out[p.name] = (v as string[] | undefined) ?? [];
      continue;
    }
    try {
      out[p.name] = resolveParams([p], v === undefined ? {} : { [p.name]: v as ParamValue })[p.name];
    } catch (e) {
      throw new UserError(
        `--${kebab(p.name)}: ${(e as Error).message.replace(/^parameter '[^']*': /, '')}`,
        2,
      );
    }
  }
  return out;
}

/** The common budget options: seconds and (optionally) nodes. */
export function budgetOptions(cmd: Command, timeoutS: number, what: string): Command {
  return cmd
    .option('--timeout <s>', `time budget per ${what}, seconds`, String(timeoutS))
    .option('--nodes <n>', `node budget per ${what} (with a seed, the same programs on any machine)`);
}

/**
 * `--polish F`: after the first solution, search on until F times the nodes it took (within the
 * budget) and keep the shortest program found; 1 returns the first.
 */
export function polishOption(cmd: Command, dflt: number): Command {
  return cmd.option(
    '--polish <factor>',
    'after the first solution, search on until this many times its nodes (within the budget) for a shorter program; 1 = the first',
    String(dflt),
  );
}

export const parsePolish = (v: string): number => numberOption('--polish', v, 1, 1000);

/** The longest budget accepted: one day (a longer one is almost always a typo, e.g. 1e9). */
export const MAX_BUDGET_S = 86_400;

export function parseBudget(o: { timeout: string; nodes?: string }): { timeMs: number; nodes?: number } {
  return {
    timeMs: numberOption('--timeout', o.timeout, 0.01, MAX_BUDGET_S) * 1000,
    ...(o.nodes !== undefined ? { nodes: intOption('--nodes', o.nodes, 1) } : {}),
  };
}

export const threadsOption = (t: string | undefined): number | undefined =>
  t ? intOption('--threads', t, 1) : undefined;
