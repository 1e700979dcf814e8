/**
 * Differential testing against gcc (tests and benchmarks only, never the product): programs are
 * printed as C, compiled many to a file with a small main that runs each on its inputs, and every
 * output is compared with the interpreter's. Inputs where the interpreter reports an error are not
 * run (out-of-bounds indexing is undefined behaviour in C); a few of them are run instead under
 * AddressSanitizer, which must report the out-of-bounds access.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../core/index.js';
import { LIST_LENGTH, printProgram, type Program } from './dsl.js';
import { candidateTask } from './dataset.js';
import { randomProgram } from './generator.js';
import { MinicTokenGrammar } from './grammar.js';
import { compileProgram, RUN_INDEX, RUN_OK } from './interpreter.js';
import { minicFromTokens } from './tokens.js';

export interface DiffCase {
  readonly source: string;
  readonly program: Program;
  readonly inputs: readonly (readonly number[])[];
}

export interface Mismatch {
  readonly source: string;
  readonly program: string;
  readonly input: readonly number[];
  readonly interpreter: readonly number[];
  readonly gcc: readonly number[];
}

export interface DiffReport {
  readonly programs: number;
  /** (program, input) runs compared. */
  readonly runs: number;
  /** Inputs not run in C because the interpreter reported an index error / the step limit. */
  readonly skippedIndex: number;
  readonly skippedSteps: number;
  readonly mismatches: readonly Mismatch[];
  /** Index errors of the interpreter that were run under AddressSanitizer, and how many it caught. */
  readonly sanitized: number;
  readonly sanitizerCaught: number;
  readonly gccSeconds: number;
}

/** `gcc --version`'s first line, or null when there is no gcc. */
export function gccVersion(): string | null {
  try {
    return execFileSync('gcc', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  } catch {
    return null;
  }
}

const EDGES = [2 ** 31 - 1, -(2 ** 31), 2 ** 30, -(2 ** 30) - 1, 1];

/** Inputs for a program: small lists, and lists at the edges of 32 bits (for wrap-around). */
export function inputsFor(rng: Rng, n: number, edges = 2): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < n; i++) out.push(Array.from({ length: LIST_LENGTH }, () => rng.range(-4, 4)));
  for (let i = 0; i < edges; i++)
    out.push(Array.from({ length: LIST_LENGTH }, () => (rng.bool(0.6) ? rng.pick(EDGES) : rng.range(-4, 4))));
  return out;
}

/** A program from a random walk of the token grammar (the space a decoder writes in). */
export function walkProgram(rng: Rng, grammar = new MinicTokenGrammar()): Program {
  const mask = new Uint8Array(grammar.vocabulary.length);
  const names: string[] = [];
  let g = grammar.start();
  for (;;) {
    grammar.legal(g, mask);
    const legal: number[] = [];
    for (let t = 0; t < mask.length; t++) if (mask[t]) legal.push(t);
    if (legal.length === 0) break;
    // Prefer the end and closing tokens a little, so programs have a reasonable size.
    const t = mask[grammar.end] && rng.bool(0.1) ? grammar.end : rng.pick(legal);
    names.push(grammar.vocabulary[t]);
    g = grammar.next(g, t)!;
  }
  return minicFromTokens(names)!;
}

/**
 * `n` programs from three sources: dataset tasks (with their examples as inputs), unfiltered
 * generator programs, and random walks of the token grammar.
 */
export function differentialCases(n: number, seed: number): DiffCase[] {
  const rng = new Rng(seed);
  const out: DiffCase[] = [];
  for (let i = 0; out.length < n; i++) {
    const r = rng.derive(i);
    const kind = i % 3;
    if (kind === 0) {
      const t = candidateTask(r);
      if ('reject' in t) continue;
      const inputs = [...t.spec.examples, ...t.spec.tests].map((e) => e.input);
      out.push({ source: 'dataset', program: t.program, inputs: [...inputs, ...inputsFor(r, 0, 2)] });
    } else if (kind === 1)
      out.push({ source: 'generator', program: randomProgram(r), inputs: inputsFor(r, 8) });
    else out.push({ source: 'grammar-walk', program: walkProgram(r), inputs: inputsFor(r, 8) });
  }
  return out;
}

const cList = (xs: readonly number[]): string => `{${xs.join(', ')}}`;

/** The C file: each program renamed f<i>, a table of (program, input) rows and a main. */
function harness(
  programs: readonly Program[],
  rows: readonly { p: number; input: readonly number[] }[],
  oneRow: boolean,
): string {
  const fns = programs.map((p, i) => printProgram(p).replace(/^int \* func_1\(/, `static int * f${i}(`));
  return [
    '#include <stdio.h>',
    '#include <stdlib.h>',
    '#include <string.h>',
    ...fns,
    'typedef int *(*fn)(int *);',
    `static fn F[] = {${programs.map((_, i) => `f${i}`).join(', ')}};`,
    `static const int P[] = {${rows.map((r) => r.p).join(', ')}};`,
    `static const int IN[][${LIST_LENGTH}] = {${rows.map((r) => cList(r.input)).join(',\n')}};`,
    'int main(int argc, char **argv) {',
    `  int first = 0, last = ${rows.length};`,
    oneRow ? '  first = atoi(argv[1]); last = first + 1;' : '  (void)argc; (void)argv;',
    '  for (int k = first; k < last; k++) {',
    `    int a[${LIST_LENGTH}];`,
    '    memcpy(a, IN[k], sizeof a);',
    '    int *r = F[P[k]](a);',
    '    printf("%d %d %d %d %d\\n", r[0], r[1], r[2], r[3], r[4]);',
    '  }',
    '  return 0;',
    '}',
    '',
  ].join('\n');
}

/** Compiles the cases in batches, runs them and compares every output with the interpreter's. */
export function runDifferential(
  cases: readonly DiffCase[],
  o: { batch?: number; sanitize?: number; opt?: string } = {},
): DiffReport {
  const dir = mkdtempSync(join(tmpdir(), 'minic-gcc-'));
  const mismatches: Mismatch[] = [];
  const oob: { p: Program; input: readonly number[] }[] = [];
  let runs = 0;
  let skippedIndex = 0;
  let skippedSteps = 0;
  let gccMs = 0;
  try {
    const batch = o.batch ?? 500;
    for (let start = 0; start < cases.length; start += batch) {
      const part = cases.slice(start, start + batch);
      const rows: { p: number; input: readonly number[]; want: number[] }[] = [];
      part.forEach((c, p) => {
        const compiled = compileProgram(c.program);
        for (const input of c.inputs) {
          const out = new Array<number>(LIST_LENGTH);
          const code = compiled.run(input, out);
          if (code === RUN_OK) rows.push({ p, input, want: out });
          else if (code === RUN_INDEX) {
            skippedIndex++;
            const bad = compiled.badIndex;
            if (bad >= -4 && bad <= 8) oob.push({ p: c.program, input });
          } else skippedSteps++;
        }
      });
      const t0 = performance.now();
      const src = join(dir, `batch${start}.c`);
      const bin = join(dir, `batch${start}`);
      writeFileSync(
        src,
        harness(
          part.map((c) => c.program),
          rows,
          false,
        ),
      );
      execFileSync('gcc', [o.opt ?? '-O1', '-fwrapv', '-w', '-o', bin, src]);
      const lines = execFileSync(bin, { encoding: 'utf8', maxBuffer: 1 << 28 })
        .trim()
        .split('\n');
      gccMs += performance.now() - t0;
      rows.forEach((r, k) => {
        const got = (lines[k] ?? '').split(' ').map(Number);
        runs++;
        if (got.join() !== r.want.join())
          mismatches.push({
            source: part[r.p].source,
            program: printProgram(part[r.p].program),
            input: r.input,
            interpreter: r.want,
            gcc: got,
          });
      });
    }
    const caught = sanitize(dir, oob.slice(0, o.sanitize ?? 0));
    return {
      programs: cases.length,
      runs,
      skippedIndex,
      skippedSteps,
      mismatches,
      sanitized: Math.min(oob.length, o.sanitize ?? 0),
      sanitizerCaught: caught,
      gccSeconds: gccMs / 1000,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs each (program, input) the interpreter calls out of bounds under AddressSanitizer; counts reports. */
function sanitize(dir: string, cases: readonly { p: Program; input: readonly number[] }[]): number {
  if (cases.length === 0) return 0;
  const src = join(dir, 'asan.c');
  const bin = join(dir, 'asan');
  writeFileSync(
    src,
    harness(
      cases.map((c) => c.p),
      cases.map((c, p) => ({ p, input: c.input })),
      true,
    ),
  );
  execFileSync('gcc', [
    '-O0',
    '-fwrapv',
    '-w',
    '-fsanitize=address',
    '-fno-omit-frame-pointer',
    '-o',
    bin,
    src,
  ]);
  let caught = 0;
  cases.forEach((_, k) => {
    const r = spawnSync(bin, [String(k)], {
      encoding: 'utf8',
      env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=0' },
    });
    if (r.status !== 0 && /AddressSanitizer/.test(r.stderr)) caught++;
  });
  return caught;
}
