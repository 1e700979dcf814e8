/**
 * vitest wrappers around the shipped conformance checks (src/conformance): one test per check, so a
 * failure names the check and lists its messages.
 */
import { describe, expect, it } from 'vitest';
import type { DomainDefinition, ParamValue, SearchAlgorithm } from '../../src/core/index.js';
import {
  checkDomain,
  checkSearch,
  domainCheckNames,
  searchCheckNames,
  type ConformanceReport,
  type DomainCheckOptions,
  type SearchCheckOptions,
  type SearchCheckReport,
} from '../../src/conformance/index.js';
import { variantLabel } from './domain-variants.js';

/**
 * Registers vitest tests: one per check, for a domain built from a definition with given params. `run`
 * gives the report another way (e.g. computed in a child process); by default checkDomain runs here.
 */
export function describeDomainConformance(
  def: DomainDefinition,
  params: Readonly<Record<string, ParamValue>> = {},
  opts: DomainCheckOptions = {},
  run: () => Promise<ConformanceReport> = () => checkDomain(def.create(params), opts),
): void {
  describe(`domain conformance: ${variantLabel(def, params)}`, () => {
    let report: Promise<ConformanceReport> | null = null;
    const get = (): Promise<ConformanceReport> => (report ??= run());
    for (const name of domainCheckNames) {
      it(name, async () => {
        expect((await get()).failures[name]).toEqual([]);
      });
    }
  });
}

/** Registers vitest tests, one per check, for a search algorithm. */
export function describeSearchConformance(alg: SearchAlgorithm, opts: SearchCheckOptions = {}): void {
  const label = opts.options ? `${alg.id} ${JSON.stringify(opts.options)}` : alg.id;
  describe(`search conformance: ${label}`, () => {
    let report: Promise<SearchCheckReport> | null = null;
    const get = (): Promise<SearchCheckReport> => (report ??= checkSearch(alg, opts));
    for (const name of searchCheckNames) {
      it(name, async () => {
        expect((await get()).failures[name]).toEqual([]);
      });
    }
  });
}
