/**
 * Conformance over the registries: every registered domain (with its defaults and each golden variant's
 * parameters) and every registered search, so a new domain or search is covered without editing tests.
 */
import { describe, expect, it } from 'vitest';
import { listDomains, listSearches, type ParamValue } from '../../src/core/index.js';
import { registerBuiltinDomains } from '../../src/domains/index.js';
import { registerAllSearches, searchAlgorithms } from '../../src/search/index.js';
import { describeDomainConformance, describeSearchConformance } from './describe-conformance.js';

registerBuiltinDomains();
registerAllSearches();

describe('conformance registry', () => {
  it('covers some domains and every search of the library', () => {
    expect(listDomains().length).toBeGreaterThan(0);
    const ids = listSearches().map((s) => s.id);
    for (const alg of searchAlgorithms) expect(ids).toContain(alg.id);
  });
});

for (const def of listDomains()) {
  const variants: Readonly<Record<string, ParamValue>>[] = [
    {},
    ...(def.goldenVariants ?? []).map((v) => v.params),
  ];
  for (const params of variants) describeDomainConformance(def, params);
}

// Unguided searches (usesEvaluator false) must never call the evaluator; checkSearch reads that itself.
for (const alg of listSearches()) describeSearchConformance(alg);
