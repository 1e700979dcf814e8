/**
 * The built-in problems, each with its formulations (domains) and refiners. Adding a problem = one
 * folder src/domains/<id>/ exporting a bundle, and one line in `builtins` (see docs/adding-a-domain.md).
 */
import {
  listDomains,
  problems,
  refiners,
  registerDomain,
  registerProblem,
  registerRefiner,
  type AnyProblem,
  type AnyRefiner,
  type DomainDefinition,
  type ParamSpec,
  type ParamValue,
} from '../core/index.js';
import { csg2dBundle } from './csg2d/index.js';
import { csg3dBundle } from './csg3d/index.js';
import { minicBundle } from './minic/index.js';
import { stringsBundle } from './strings/index.js';

/** What a problem folder registers. */
export interface ProblemBundle {
  readonly problem: AnyProblem;
  readonly formulations: readonly DomainDefinition[];
  readonly refiners: readonly AnyRefiner[];
  /**
   * The token formulation's setup (grammar and task source per parameter set), registered by
   * src/builtins.ts as `${id}-tokens` through src/formulations (which domain folders may not import).
   */
  readonly tokens?: {
    readonly params: readonly ParamSpec[];
    readonly parts: (params: Readonly<Record<string, ParamValue>>) => unknown;
  };
}

export const builtinBundles: readonly ProblemBundle[] = [
  stringsBundle,
  csg2dBundle,
  csg3dBundle,
  minicBundle,
];

/** Registers a problem with its formulations and refiners (skipping parts already registered). */
export function registerBundle(b: ProblemBundle): void {
  if (!problems.has(b.problem.id)) registerProblem(b.problem);
  const have = new Set(listDomains().map((d) => d.id));
  for (const d of b.formulations) if (!have.has(d.id)) registerDomain(d);
  for (const r of b.refiners) if (!refiners.has(`${r.problem}/${r.id}`)) registerRefiner(r);
}

/** Registers every built-in problem once (safe to call repeatedly). */
export function registerBuiltinDomains(): void {
  for (const b of builtinBundles) registerBundle(b);
}
