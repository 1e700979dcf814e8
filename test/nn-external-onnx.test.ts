/**
 * A model saved by replsynth opens in a fresh onnxruntime session and gives the same outputs. This file
 * imports no replsynth code: a child process (tsx src/nn/zoo/save-sample.ts) trains and saves the models.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'nn-external-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Sample {
  feeds: Record<string, { dtype: 'float32' | 'int32' | 'int64'; dims: number[]; data: number[] }>;
  outputs: Record<string, number[]>;
}

describe('replsynth .onnx files in a plain onnxruntime session', () => {
  execFileSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/nn/zoo/save-sample.ts', dir], {
    stdio: 'inherit',
  });

  for (const name of ['cnn4', 'string-policy', 'cnn4-checkpoint/model', 'string-policy-checkpoint/model']) {
    it(`${name}.onnx reproduces replsynth's outputs`, async () => {
      const sampleName = name.split('-checkpoint')[0];
      const s = JSON.parse(readFileSync(join(dir, `${sampleName}.json`), 'utf8')) as Sample;
      const session = await ort.InferenceSession.create(join(dir, `${name}.onnx`));
      const feeds: Record<string, ort.Tensor> = {};
      for (const [k, f] of Object.entries(s.feeds)) {
        const data =
          f.dtype === 'float32'
            ? Float32Array.from(f.data)
            : f.dtype === 'int32'
              ? Int32Array.from(f.data)
              : BigInt64Array.from(f.data.map(BigInt));
        feeds[k] = new ort.Tensor(f.dtype, data, f.dims);
      }
      const out = await session.run(feeds);
      for (const [k, expected] of Object.entries(s.outputs)) {
        const got = out[k].data as Float32Array;
        expect(got.length).toBe(expected.length);
        for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(expected[i], 4);
      }
      await session.release();
    });
  }
});
