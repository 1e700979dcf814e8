/**
 * Writes sample models for the external-runtime test: `tsx src/nn/zoo/save-sample.ts DIR` trains two tiny
 * models for a few steps and saves, per model, NAME.onnx, its checkpoint folder and NAME.json with the feeds
 * and the outputs replsynth computed, so that a test with no replsynth code can compare.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Rng } from '../../core/rng.js';
import { tinyCnnBatch, tinyCnnModel, tinyStringBatch, tinyStringModel } from '../test-models.js';
import { saveInferenceModel } from '../node-io.js';
import { createTrainer } from '../trainer.js';
import type { ModelDef } from '../params.js';
import type { FeedArray } from '../runtime.js';

async function sample(
  dir: string,
  name: string,
  def: ModelDef,
  batch: (n: number, r: Rng) => Record<string, FeedArray>,
  inputs: string[],
): Promise<void> {
  const rng = new Rng(name);
  const t = await createTrainer(def, { threads: 1, seed: 4 });
  for (let i = 0; i < 3; i++) await t.step(batch(8, rng));
  await t.save(join(dir, `${name}-checkpoint`));
  const model = await t.exportInference();
  await saveInferenceModel(model, join(dir, `${name}.onnx`));
  const b = batch(5, rng);
  const feeds = Object.fromEntries(inputs.map((k) => [k, b[k]]));
  const out = await model.run(feeds);
  const shapes = Object.fromEntries(
    model.inputs.map((i) => [i.name, i.shape.map((d) => (typeof d === 'number' ? d : 5))]),
  );
  const json = {
    feeds: Object.fromEntries(
      model.inputs.map((i) => [
        i.name,
        { dtype: i.dtype, dims: shapes[i.name], data: Array.from(feeds[i.name] as Float32Array) },
      ]),
    ),
    outputs: Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Array.from(v)])),
  };
  await writeFile(join(dir, `${name}.json`), JSON.stringify(json));
}

const dir = process.argv[2];
if (!dir) {
  console.error('usage: tsx src/nn/zoo/save-sample.ts DIR');
  process.exit(2);
}
await mkdir(dir, { recursive: true });
await sample(dir, 'cnn4', tinyCnnModel(), (n, r) => tinyCnnBatch(n, r), ['x']);
await sample(dir, 'string-policy', tinyStringModel(), (n, r) => tinyStringBatch(n, r), [
  'chars',
  'masks',
  'last',
]);
