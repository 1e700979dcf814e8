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

/** `--width`: the largest beam (beam) or samples per round (sample); 0 keeps the search's default. */
export const widthParam: ParamSpec = {
  name: 'width',
  type: 'int',
  default: 0,
  min: 0,
  description:
    'decoders: largest beam width (beam) or samples per round (sample); 0 = the search default (1024)',
};

/** A decoding's search with its width bound (width 0: the search as it is). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function withWidth(d: Decoding, width: number): SearchAlgorithm<any> {
  const alg = SEARCHES[d];
  if (width <= 0 || d === 'greedy') return alg;
  const bound = d === 'beam' ? { maxWidth: width } : { initialRollouts: 1, maxRollouts: width };
  return { ...alg, run: (ctx, o) => alg.run(ctx, { ...o, ...bound }) };
}

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
    params: [param, widthParam],
    async create(env): Promise<CheckedMethod> {
      const formulation = getDomain(o.formulation);
      const model = lookupModel(o.model);
      const made = new Map<string, CheckedMethod>();
      const methodFor = async (d: Decoding, width: number): Promise<CheckedMethod> => {
        const key = `${d}/${width}`;
        let m = made.get(key);
        if (!m)
          made.set(
            key,
            (m = await searchMethod(withWidth(d, width), formulation, o.problem, model).create(env)),
          );
        return m;
      };
      for (const d of DECODINGS) await methodFor(d, 0);
      const first = made.get(`${o.defaultDecoding}/0`)!;
      return {
        id: o.id,
        ...(first.validate ? { validate: first.validate } : {}),
        async run(spec, ctx) {
          const d = (ctx.params?.decode as Decoding | undefined) ?? o.defaultDecoding;
          const width = (ctx.params?.width as number | undefined) ?? 0;
          return (await methodFor(d, width)).run(spec, ctx);
        },
      };
    },
  };
}
