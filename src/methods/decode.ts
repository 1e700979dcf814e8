/**
 * Decoder methods: a model that writes programs token by token (CSGNet, RobustFill …) decoding over
 * its token formulation, as one method with a `decode` option — `beam` (any-time beam search with
 * widths 1, 2, 4 …), `greedy` (width 1 only) or `sample` (batched sampling of whole programs, counts
 * doubling, repeated until the budget ends). Each is an existing search over the formulation, guided
 * by the model's evaluator, so nothing here knows a problem.
 */
import { getDomain, type MethodDefinition, type ParamSpec, type SearchAlgorithm } from '../core/index.js';
import { beamSearch, rolloutSearch, type BeamOptions } from '../search/index.js';
import { searchMethod, type CheckedMethod } from './search-method.js';

export const DECODINGS = ['beam', 'greedy', 'sample'] as const;
export type Decoding = (typeof DECODINGS)[number];

export interface DecoderMethodOptions {
  readonly id: string;
  readonly problem: string;
  /** The model's id (its formulation is the one decoded over). */
  readonly model: string;
  readonly formulation: string;
  readonly description: string;
  readonly defaultDecoding: Decoding;
}

const greedySearch: SearchAlgorithm<BeamOptions> = {
  ...beamSearch,
  id: 'greedy',
  description: 'greedy decoding: the most probable token at every step',
  run: (ctx, o) => beamSearch.run(ctx, { ...o, initialWidth: 1, maxWidth: 1 }),
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const SEARCHES: Readonly<Record<Decoding, SearchAlgorithm<any>>> = {
  beam: beamSearch,
  greedy: greedySearch,
  sample: rolloutSearch,
};

/** The decoder method: each decoding is the search method of that search over the formulation. */
export function decoderMethod(
  o: DecoderMethodOptions,
  lookupModel: (id: string) => Parameters<typeof searchMethod>[3],
): MethodDefinition {
  const param: ParamSpec = {
    name: 'decode',
    type: 'enum',
    default: o.defaultDecoding,
    choices: DECODINGS,
    description: `${o.id}: decoding (${DECODINGS.join(', ')})`,
  };
  return {
    id: o.id,
    problem: o.problem,
    description: o.description,
    model: o.model,
    params: [param],
    async create(env): Promise<CheckedMethod> {
      const formulation = getDomain(o.formulation);
      const model = lookupModel(o.model);
      const made = new Map<Decoding, CheckedMethod>();
      for (const d of DECODINGS)
        made.set(d, await searchMethod(SEARCHES[d], formulation, o.problem, model).create(env));
      const first = made.get(o.defaultDecoding)!;
      return {
        id: o.id,
        ...(first.validate ? { validate: first.validate } : {}),
        run(spec, ctx) {
          const d = (ctx.params?.decode as Decoding | undefined) ?? o.defaultDecoding;
          return made.get(d)!.run(spec, ctx);
        },
      };
    },
  };
}
