/**
 * Run by registry.test.ts as a child process (`node --import tsx`), so that the domain checks use the
 * second core while the test process checks the problems, methods and models: checkDomain on every
 * registered domain variant (defaults and golden variants), one JSON line `{ label, failures }` each.
 */
import { registerBuiltins } from '../../src/builtins.js';
import { checkDomain } from '../../src/conformance/index.js';
import { domainVariants } from './domain-variants.js';

registerBuiltins();
for (const { label, def, params } of domainVariants()) {
  const { failures } = await checkDomain(def.create(params));
  process.stdout.write(JSON.stringify({ label, failures }) + '\n');
}
