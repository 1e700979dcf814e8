import { describe, expect, it } from 'vitest';
import { checkDomain, failureLines, passed, type DomainCheckName } from '../../src/conformance/index.js';
import { createToyDomain, toyDefinition } from '../fixtures/toy/toy-domain.js';
import { describeDomainConformance } from './describe-conformance.js';

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
      expect(passed(report)).toBe(false);
      expect(failureLines(report).some((l) => l.startsWith(`${check}: `))).toBe(true);
    });
  }
  it('the bug-free toy passes every check', async () => {
    const report = await checkDomain(createToyDomain(), { tasks: 20 });
    for (const msgs of Object.values(report.failures)) expect(msgs).toEqual([]);
    expect(passed(report)).toBe(true);
    expect(failureLines(report)).toEqual([]);
  });
  it('a domain that throws everywhere is reported, not thrown', async () => {
    const domain = {
      ...createToyDomain(),
      sampleTask: () => {
        throw new Error('boom');
      },
    };
    const report = await checkDomain(domain, { tasks: 3 });
    expect(report.failures['replay-solves'][0]).toContain('boom');
    expect(report.failures.determinism[0]).toContain('boom');
  });
  it('the toy definition declares no parameters and rejects any', () => {
    expect(() => toyDefinition.create({ size: 3 })).toThrow(/unknown parameter 'size'/);
  });
});
