import { describe, expect, it } from 'vitest';
import { createToyDomain, toyDefinition } from '../fixtures/toy/toy-domain.js';
import { checkDomain, describeDomainConformance, type DomainCheckName } from './check-domain.js';

describeDomainConformance(toyDefinition);

// Each planted bug must be caught by the check named for it, and only a few checks may fire.
describe('conformance checks catch planted bugs in the toy domain', () => {
  const cases: [string, Parameters<typeof createToyDomain>[0], DomainCheckName][] = [
    ['mutating step', { mutatingStep: true }, 'step-purity'],
    ['unseeded generator', { unseededGenerator: true }, 'determinism'],
    ['lossy printer', { lossyPrinter: true }, 'print-parse'],
    ['truncated trace', { truncatedTrace: true }, 'replay-solves'],
  ];
  for (const [name, bugs, check] of cases) {
    it(`${name} → ${check}`, async () => {
      const report = await checkDomain(createToyDomain(bugs), { tasks: 20 });
      expect(report.failures[check].length).toBeGreaterThan(0);
    });
  }
  it('the bug-free toy passes every check', async () => {
    const report = await checkDomain(createToyDomain(), { tasks: 20 });
    for (const msgs of Object.values(report.failures)) expect(msgs).toEqual([]);
  });
});
