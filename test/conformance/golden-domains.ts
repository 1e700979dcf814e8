import { getDomain, listDomains, type AnyDomain, type ParamValue } from '../../src/core/index.js';
import { registerBuiltins } from '../../src/builtins.js';
import { createToyDomain } from '../fixtures/toy/toy-domain.js';

/** Golden file name → domain instance: every registered formulation with defaults, plus the toy fixture. */
export function goldenDomains(): Map<string, AnyDomain> {
  registerBuiltins();
  const out = new Map<string, AnyDomain>([['toy', createToyDomain()]]);
  for (const def of listDomains()) {
    out.set(def.id, def.create());
    for (const variant of def.goldenVariants ?? []) {
      out.set(
        `${def.id}-${variant.name}`,
        getDomain(def.id).create(variant.params as Record<string, ParamValue>),
      );
    }
  }
  return out;
}
