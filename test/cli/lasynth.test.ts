/**
 * `replsynth lasynth`: the seed README's four sample usages select LaSynth, NoPartialExecutor,
 * RobustFill and Property Signatures (the ablations by dropping one switch); a combination no model has,
 * or a bad flag, is a one-line usage error with exit 2; --eval becomes the matching `eval minic`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lasynthEvalArgs, selectLaSynthModel } from '../../src/cli/lasynth.js';
import { UserError } from '../../src/core/index.js';
import { run } from './cli-check.js';

const dir = mkdtempSync(join(tmpdir(), 'rs-lasynth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const flags = (s: string) =>
  Object.fromEntries(
    s
      .split(' ')
      .filter(Boolean)
      .map((f) => [f.replace(/^--/, '').replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), true]),
  );

describe('replsynth lasynth', () => {
  it("the seed README's four sample usages and the ablations select their models", () => {
    const usages: [string, string, string][] = [
      ['--latent_execution --operation_predictor --decoder_self_attention', 'lasynth', 'lasynth'],
      [
        '--latent_execution --operation_predictor --decoder_self_attention --no_partial_execution',
        'lasynth-no-partial-executor',
        'lasynth-no-partial-executor',
      ],
      ['', 'robustfill-minic', 'robustfill'],
      ['--use_properties', 'propsig-minic', 'propsig'],
      ['--operation_predictor --decoder_self_attention', 'lasynth-no-executor', 'lasynth-no-executor'],
      ['--latent_execution --decoder_self_attention', 'lasynth-no-op-predictor', 'lasynth-no-op-predictor'],
      ['--latent_execution --operation_predictor', 'lasynth-no-self-attention', 'lasynth-no-self-attention'],
    ];
    for (const [f, model, method] of usages)
      expect(selectLaSynthModel(flags(f)), f).toEqual({ model, method });
    for (const bad of [
      '--no_partial_execution',
      '--latent_execution',
      '--operation_predictor',
      '--use_properties --latent_execution',
      '--latent_execution --decoder_self_attention --no_partial_execution',
    ])
      expect(() => selectLaSynthModel(flags(bad)), bad).toThrow(UserError);
  });

  it('--eval runs eval minic with the selected method, the test split and beam decoding', () => {
    writeFileSync(join(dir, 'test.jsonl'), '');
    const args = lasynthEvalArgs(
      { model: 'lasynth', method: 'lasynth' },
      {
        dataFolder: dir,
        modelDir: 'm',
        numEpochs: '1',
        logInterval: '1',
        batchSize: '2',
        lr: '0.1',
        beam: '8',
        timeout: '10',
        seed: '3',
        jobs: '2',
      },
    );
    expect(args.join(' ')).toBe(
      `eval minic --methods lasynth --model m --tasks ${join(dir, 'test.jsonl')} --decode beam --width 8 --timeout 10 --jobs 2 --seed 3`,
    );
  });

  it('a combination no model has, a bad flag or a missing split is a one-line usage error (exit 2)', async () => {
    for (const args of [
      ['lasynth', '--no_partial_execution'],
      ['lasynth', '--use_properties', '--operation_predictor', '--eval'],
      ['lasynth', '--latent_execution', '--bogus'],
      ['lasynth', '--eval', '--data_folder', join(dir, 'none')],
      ['lasynth', '--eval', '--beam', '0'],
      ['lasynth', '--iterative_retraining_prog_gen'],
      ['lasynth', '--iterative_retraining_prog_gen', '--eval'],
    ]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.lines.length, args.join(' ')).toBe(1);
      expect(r.lines[0]).toMatch(/^replsynth: /);
    }
  }, 60_000);
});
