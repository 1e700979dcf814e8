/** Registers every built-in problem, formulation, refiner, search and model (safe to call repeatedly). */
import { listDomains, registerDomain } from './core/index.js';
import { builtinBundles, registerBuiltinDomains } from './domains/index.js';
import { tokenFormulationDefinition, type TokenFormulationParts } from './formulations/index.js';
import { registerBuiltinModels } from './models/index.js';
import { registerAllSearches } from './search/index.js';

/** The token formulation of every built-in problem that declares one (`strings-tokens`, …). */
function registerTokenFormulations(): void {
  const have = new Set(listDomains().map((d) => d.id));
  for (const b of builtinBundles) {
    if (!b.tokens || have.has(`${b.problem.id}-tokens`)) continue;
    const parts = b.tokens.parts as (
      p: Readonly<Record<string, unknown>>,
    ) => TokenFormulationParts<unknown, unknown, unknown>;
    registerDomain(tokenFormulationDefinition(b.problem, { params: b.tokens.params, parts }));
  }
}

export function registerBuiltins(): void {
  registerBuiltinDomains();
  registerTokenFormulations();
  registerAllSearches();
  registerBuiltinModels();
}
