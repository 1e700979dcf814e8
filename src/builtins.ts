/** Registers every built-in problem, formulation, refiner, search and model (safe to call repeatedly). */
import { listDomains, methods, models, registerDomain, registerMethod } from './core/index.js';
import { builtinBundles, registerBuiltinDomains } from './domains/index.js';
import { tokenFormulationDefinition, type TokenFormulationParts } from './formulations/index.js';
import { decoderMethod, type DecoderMethodOptions } from './methods/index.js';
import { registerBuiltinModels } from './models/index.js';
import { lasynthVariants } from './models/seq/lasynth/variants.js';
import { registerAllSearches } from './search/index.js';

/** The token formulation of every built-in problem that declares one (`strings-tokens`, …). */
function registerTokenFormulations(): void {
  const have = new Set(listDomains().map((d) => d.id));
  for (const b of builtinBundles) {
    if (!b.tokens || have.has(`${b.problem.id}-tokens`)) continue;
    const parts = b.tokens.parts as (
      p: Readonly<Record<string, unknown>>,
    ) => TokenFormulationParts<unknown, unknown, unknown>;
    registerDomain(tokenFormulationDefinition(b.problem, { params: b.tokens.params, parts }));
  }
}

/** Decoders without a REPL, as methods of their problems (`eval csg2d --methods csgnet`). */
const decoders: readonly DecoderMethodOptions[] = [
  {
    id: 'csgnet',
    problem: 'csg2d',
    model: 'csgnet-2d',
    formulation: 'csg2d-tokens',
    description: 'CSGNet-style decoder: the whole program token by token from the image, no REPL',
    defaultDecoding: 'sample',
  },
  {
    id: 'csgnet',
    problem: 'csg3d',
    model: 'csgnet-3d',
    formulation: 'csg3d-tokens',
    description: 'CSGNet-style decoder: the whole program token by token from the voxels, no REPL',
    defaultDecoding: 'sample',
  },
  {
    id: 'robustfill',
    problem: 'minic',
    model: 'robustfill-minic',
    formulation: 'minic-tokens',
    description: 'RobustFill: the whole C function token by token from the I/O examples, no REPL',
    defaultDecoding: 'sample',
  },
  {
    id: 'propsig',
    problem: 'minic',
    model: 'propsig-minic',
    formulation: 'minic-tokens',
    description:
      "Property Signatures: the whole C function token by token from the spec's properties, no REPL",
    defaultDecoding: 'sample',
  },
  {
    id: 'robustfill',
    problem: 'strings',
    model: 'robustfill-strings',
    formulation: 'strings-tokens',
    description: 'RobustFill: the whole strings program token by token from the I/O examples, no REPL',
    defaultDecoding: 'sample',
  },
];

/** LaSynth and its ablations (src/models/seq/lasynth/variants.ts): method id = model id. */
const lasynthDecoders: readonly DecoderMethodOptions[] = lasynthVariants.map((v) => ({
  id: v.id,
  problem: v.problem,
  model: v.id,
  formulation: v.formulation,
  description: `${v.paperName}: the whole C function token by token from the I/O examples, no REPL (${v.description})`,
  defaultDecoding: 'sample',
}));

function registerDecoderMethods(): void {
  for (const d of [...decoders, ...lasynthDecoders])
    if (!methods.has(`${d.problem}/${d.id}`)) registerMethod(decoderMethod(d, (id) => models.get(id)));
}

export function registerBuiltins(): void {
  registerBuiltinDomains();
  registerTokenFormulations();
  registerAllSearches();
  registerBuiltinModels();
  registerDecoderMethods();
}
