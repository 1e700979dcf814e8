/** Registers every built-in problem, formulation, refiner, search and model (safe to call repeatedly). */
import { registerBuiltinDomains } from './domains/index.js';
import { registerBuiltinModels } from './models/index.js';
import { registerAllSearches } from './search/index.js';

export function registerBuiltins(): void {
  registerBuiltinDomains();
  registerAllSearches();
  registerBuiltinModels();
}
