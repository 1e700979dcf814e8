/**
 * Which methods a problem has: those registered for it, one per search over each of its formulations,
 * and compositions with its refiners (`X+refine`, `refine`). The id grammar lives here, once.
 */
import {
  UserError,
  listDomains,
  listSearches,
  methods,
  models,
  problems,
  refiners,
  type MethodDefinition,
  type ParamSpec,
} from '../core/index.js';
import { refineShareParam, thenRefine } from './compose.js';
import { searchMethod } from './search-method.js';

const problemOf = (d: { id: string; problem?: string }): string => d.problem ?? d.id;

/** The methods of a problem that need no composition, in registration order. */
export function baseMethods(problem: string): MethodDefinition[] {
  const id = problems.get(problem).id;
  const out: MethodDefinition[] = [];
  for (const f of listDomains().filter((d) => problemOf(d) === id)) {
    const model = models.list().find((m) => m.formulation === f.id);
    // A problem's first formulation gets the plain search ids; others are prefixed by theirs.
    const first = out.length === 0;
    for (const alg of listSearches()) {
      const m = searchMethod(alg, f, id, model);
      out.push(first ? m : { ...m, id: `${f.id}:${alg.id}` });
    }
  }
  for (const m of methods.list()) if (m.def.problem === id) out.push(m.def);
  return out;
}

function refinersOf(problem: string) {
  return refiners
    .list()
    .map((r) => r.def)
    .filter((r) => r.problem === problem);
}

/** Method ids a user may name for a problem, with the composition rule, for help texts. */
export function methodHelp(problem: string): string {
  const id = problems.get(problem).id;
  const base = baseMethods(id).map((m) => m.id);
  const rs = refinersOf(id).map((r) => r.id);
  return rs.length
    ? `${base.join(', ')}, each optionally +${rs.join('/+')}, or ${rs.join('/')} alone`
    : base.join(', ');
}

/** The method a user named: a base method, a refiner alone, or `X+R`. */
export function resolveMethod(problem: string, name: string): MethodDefinition {
  const id = problems.get(problem).id;
  const base = baseMethods(id).find((m) => m.id === name);
  if (base) return base;
  const rs = refinersOf(id);
  const alone = rs.find((r) => r.id === name);
  if (alone) return thenRefine(null, alone);
  const plus = name.lastIndexOf('+');
  if (plus > 0) {
    const r = rs.find((x) => x.id === name.slice(plus + 1));
    if (r) return thenRefine(resolveMethod(id, name.slice(0, plus)), r);
  }
  throw new UserError(`unknown method '${name}' for ${id} (have: ${methodHelp(id)})`, 2);
}

/** Every parameter a problem's methods declare (for generated options). */
export function methodParams(problem: string): ParamSpec[] {
  const id = problems.get(problem).id;
  const all = [
    ...baseMethods(id).flatMap((m) => m.params ?? []),
    ...(refinersOf(id).length ? [refineShareParam] : []),
  ];
  return all.filter((p, i) => all.findIndex((q) => q.name === p.name) === i);
}
