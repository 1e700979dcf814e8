import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../core/index.js';
import { candidateTask } from './dataset.js';
import { toC } from './export.js';
import { differentialCases, gccVersion, runDifferential } from './gcc-harness.test-util.js';
import { runProgram } from './interpreter.js';

// gcc is on every machine of this project and in CI (Debian's gcc); a missing one is a failure here.
describe('minic against gcc', () => {
  const dir = mkdtempSync(join(tmpdir(), 'minic-export-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gcc is installed', () => {
    expect(gccVersion(), 'install gcc (apt-get install -y gcc)').not.toBeNull();
  });

  it('the interpreter and gcc -fwrapv agree on 360 programs (dataset, generator, grammar walks)', () => {
    const cases = differentialCases(360, 2024);
    const r = runDifferential(cases, { batch: 360, sanitize: 6 });
    expect(r.mismatches.slice(0, 3)).toEqual([]);
    expect(r.programs).toBe(360);
    expect(r.runs).toBeGreaterThan(2500);
    // Index errors of the interpreter are real out-of-bounds accesses in C.
    expect(r.sanitized).toBe(6);
    expect(r.sanitizerCaught).toBe(6);
  }, 120_000);

  it('the exported .c file compiles, and its demo main prints what the interpreter computes', () => {
    let t = candidateTask(new Rng(1));
    for (let i = 2; 'reject' in t; i++) t = candidateTask(new Rng(i));
    const src = join(dir, 'prog.c');
    writeFileSync(src, toC(t.program));
    execFileSync('gcc', ['-c', '-Wall', '-Werror', '-o', join(dir, 'prog.o'), src]);
    execFileSync('gcc', ['-DMINIC_MAIN', '-fwrapv', '-o', join(dir, 'prog'), src]);
    const input = t.spec.examples[0].input;
    const out = execFileSync(join(dir, 'prog'), input.map(String), { encoding: 'utf8' });
    const want = runProgram(t.program, input);
    expect(want.ok && out.trim()).toBe(want.ok && want.output.join(' '));
  });
});
