import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/index.js';
import { programError, tokenCount } from './dsl.js';
import {
  PROBES,
  behaviourOf,
  candidateTask,
  looksTrivial,
  sampleSplitTask,
  splitOf,
  type MinicTask,
} from './dataset.js';
import { datasetInMemory, generateDataset, minicDatasets, taskRecord } from './datasets.js';
import { compileProgram, runProgram } from './interpreter.js';
import { parseProgram } from './parse.js';
import { parseTaskFile } from './task-file.js';

const inRange = (xs: readonly number[]): boolean => xs.every((v) => v >= -4 && v <= 4);

describe('minic tasks', () => {
  it('every accepted candidate meets the paper constraints and its program reproduces its examples', () => {
    const base = new Rng(5);
    let accepted = 0;
    for (let i = 0; i < 300; i++) {
      const t = candidateTask(base.derive(i));
      if ('reject' in t) continue;
      accepted++;
      expect(programError(t.program)).toBeNull();
      expect(tokenCount(t.program)).toBeLessThanOrEqual(256);
      expect(t.spec.examples).toHaveLength(5);
      expect(t.spec.tests).toHaveLength(5);
      const all = [...t.spec.examples, ...t.spec.tests];
      expect(new Set(all.map((e) => e.input.join())).size).toBe(10);
      for (const e of all) {
        expect(inRange(e.input) && inRange(e.output)).toBe(true);
        expect(runProgram(t.program, e.input)).toEqual({ ok: true, output: e.output });
      }
      expect(looksTrivial(t.spec.examples)).toBeNull();
      expect(behaviourOf(compileProgram(t.program))?.key).toBe(t.key);
    }
    expect(accepted).toBeGreaterThan(150);
  });

  it('the behaviour key and split depend only on the outputs on the probes', () => {
    const p = parseProgram('int * f(int a[]) { a[0] = a[1]; return a; }');
    const same = parseProgram('int * f(int a[]) { int x = 0; x = a[1]; a[0] = x; return a; }');
    const b1 = behaviourOf(compileProgram(p))!;
    expect(behaviourOf(compileProgram(same))).toEqual(b1);
    expect(b1.split).toBe(splitOf(parseInt(b1.key.slice(8), 16)));
    const identity = behaviourOf(
      compileProgram(parseProgram('int * f(int a[]) { a[0] = a[0]; return a; }')),
    )!;
    expect(identity.identity).toBe(true);
    const constant = behaviourOf(
      compileProgram(
        parseProgram('int * f(int a[]) { int i = 0; for (i = 0; i < 5; i++) a[i] = 1; return a; }'),
      ),
    )!;
    expect(constant.constant).toBe(true);
    expect(PROBES).toHaveLength(16);
  });

  it('splits are 90/5/5 % of behaviours', () => {
    const n = { train: 0, val: 0, test: 0 };
    for (let h = 0; h < 20_000; h++) n[splitOf(Math.imul(h, 0x9e3779b1))]++;
    expect(n.test / 20_000).toBeCloseTo(0.05, 1);
    expect(n.val / 20_000).toBeCloseTo(0.05, 1);
  });

  it('a split task is of its split; the same rng gives the same task', () => {
    const a = sampleSplitTask(new Rng(9), 'test');
    expect(a.split).toBe('test');
    expect(taskRecord(sampleSplitTask(new Rng(9), 'test'))).toBe(taskRecord(a));
  });
});

describe('minic datasets', () => {
  const params = { maxStatements: 8, loopRate: 0.7 };
  const counts = { train: 200, val: 20, test: 20 };
  const data = datasetInMemory(counts, 3, params);
  const keys = (ts: readonly MinicTask[]): Set<string> => new Set(ts.map((t) => t.key));

  it('fills every split with distinct behaviours of that split, and the stats say the constraints hold', () => {
    for (const [s, n] of Object.entries(counts)) {
      const items = data.splits[s as keyof typeof counts];
      expect(items).toHaveLength(n);
      expect(items.every((t) => t.split === s)).toBe(true);
    }
    const all = [...data.splits.train, ...data.splits.val, ...data.splits.test];
    expect(keys(all).size).toBe(all.length);
    expect(data.stats.paper.every((c) => c.holds)).toBe(true);
    expect(data.stats.all.share.forLoop).toBeGreaterThanOrEqual(0.5);
    expect(data.stats.all.tokens.max).toBeLessThanOrEqual(256);
    expect(Object.values(data.stats.all.tokens.histogram).reduce((a, b) => a + b, 0)).toBe(all.length);
    expect(minicDatasets.summary!(data.stats).join('\n')).toContain('ok   at least half');
  });

  it('is deterministic for a seed, and a smaller dataset is a prefix of a larger one', () => {
    const small = datasetInMemory({ train: 50, val: 5, test: 5 }, 3, params);
    expect(small.splits.train.map(taskRecord)).toEqual(data.splits.train.slice(0, 50).map(taskRecord));
    expect(small.splits.test.map(taskRecord)).toEqual(data.splits.test.slice(0, 5).map(taskRecord));
  });

  it('no behaviour of one dataset’s training split is in another dataset’s test split', () => {
    const other = datasetInMemory({ train: 200, val: 0, test: 40 }, 99, params);
    const train = keys([...data.splits.train, ...other.splits.train]);
    for (const t of [...data.splits.test, ...other.splits.test]) expect(train.has(t.key)).toBe(false);
  });

  it('writes records that the task-file reader reads back with their programs checked', () => {
    const text = data.splits.test.map(taskRecord).join('\n');
    const specs = parseTaskFile(text, 'test.jsonl');
    expect(specs).toHaveLength(20);
    expect(specs[0].spec).toEqual(data.splits.test[0].spec);
    expect(specs[0].name).toBe(`minic-${data.splits.test[0].key}`);
    expect(specs[0].facts?.targetTokens).toBe(tokenCount(data.splits.test[0].program));
  });

  it('reports progress', () => {
    const seen: number[] = [];
    let n = 0;
    generateDataset(
      { train: 1000, val: 0, test: 0 },
      1,
      params,
      () => n++,
      (done) => seen.push(done),
    );
    expect(n).toBe(1000);
    expect(seen).toEqual([500, 1000]);
  });
});
