/**
 * The built-in domains. Adding a domain = one import and one line in `builtins` (see
 * docs/adding-a-domain.md).
 */
import { listDomains, registerDomain, type DomainDefinition } from '../core/index.js';
import { csg2dDefinition } from './csg2d/index.js';
import { stringsDefinition } from './strings/index.js';

const builtins: DomainDefinition[] = [stringsDefinition, csg2dDefinition];

/** Registers every built-in domain once (safe to call repeatedly). */
export function registerBuiltinDomains(): void {
  const have = new Set(listDomains().map((d) => d.id));
  for (const d of builtins) if (!have.has(d.id)) registerDomain(d);
}
