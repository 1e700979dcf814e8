/**
 * The domain variants the registry conformance covers: every registered domain with its defaults and
 * with each golden variant's parameters, each under a label (the one its vitest describe block shows).
 */
import { listDomains, type DomainDefinition, type ParamValue } from '../../src/core/index.js';

export interface DomainVariant {
  readonly label: string;
  readonly def: DomainDefinition;
  readonly params: Readonly<Record<string, ParamValue>>;
}

export const variantLabel = (def: DomainDefinition, params: Readonly<Record<string, ParamValue>>): string =>
  Object.keys(params).length ? `${def.id} ${JSON.stringify(params)}` : def.id;

export function domainVariants(): DomainVariant[] {
  return listDomains().flatMap((def) =>
    [{}, ...(def.goldenVariants ?? []).map((v) => v.params)].map((params) => ({
      label: variantLabel(def, params),
      def,
      params,
    })),
  );
}
