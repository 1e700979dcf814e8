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

/** Registers vitest tests: one per check, for a domain built from a definition with given params. */
export function describeDomainConformance(
  def: DomainDefinition,
  params: Readonly<Record<string, ParamValue>> = {},
  opts: DomainCheckOptions = {},
): void {
  const label = Object.keys(params).length ? `${def.id} ${JSON.stringify(params)}` : def.id;
  describe(`domain conformance: ${label}`, () => {
    let report: Promise<ConformanceReport> | null = null;
    const get = (): Promise<ConformanceReport> => (report ??= checkDomain(def.create(params), opts));
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
