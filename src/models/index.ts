/**
 * The built-in models. Adding a model = one folder src/models/<id>/ with a `definition.ts` and one line
 * in `builtins` (see docs/adding-a-domain.md).
 */
import { models, registerModel, type ModelDefinition } from '../core/index.js';
import { csg2dModel } from './csg2d/definition.js';
import { csg3dModel } from './csg3d/definition.js';
import { csgnetModels } from './csgnet/definition.js';
import { lasynthModels } from './seq/lasynth/definition.js';
import { propsigMinicModel, robustfillMinicModel } from './seq/definition.js';
import { robustfillStringsModel } from './seq/strings.js';
import { stringsModel } from './strings/definition.js';

const builtins: ModelDefinition[] = [
  stringsModel,
  csg2dModel,
  csg3dModel,
  ...csgnetModels,
  robustfillMinicModel,
  propsigMinicModel,
  robustfillStringsModel,
  ...lasynthModels,
];

/** Registers every built-in model once (safe to call repeatedly). */
export function registerBuiltinModels(): void {
  for (const m of builtins) if (!models.has(m.id)) registerModel(m);
}
