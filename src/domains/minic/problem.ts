/**
 * The minic problem (LaSynth's restricted C, REFERENCE §2): a spec is input/output lists of 5 ints;
 * a program meets it when it reproduces every example (held-out tests reported beside, with the same
 * names as strings: examplesCorrect, heldOutCorrect …). Users give JSONL task files or inline pairs
 * and take away a C file or a JavaScript function. There is no REPL: partial programs with loops
 * cannot run, so the token formulation (tokens.ts) is its only formulation.
 */
import { Rng, type ItemResult, type Problem, type TaskGenerator } from '../../core/index.js';
import { LIST_LENGTH, printProgram, tokenCount, type Program } from './dsl.js';
import { sampleSplitTask, type MinicExample, type MinicSpec } from './dataset.js';
import { MINIC_DATASET_PARAMS, minicDatasets, taskName } from './datasets.js';
import { toC, toJs } from './export.js';
import { compiledOf, RUN_OK, runProgram } from './interpreter.js';
import { parseProgram } from './parse.js';
import { parseInlineExamples, parseTaskFile, validateSpec } from './task-file.js';
import { minicFromTokens, minicTokens } from './tokens.js';

const out = new Int32Array(LIST_LENGTH);

function evaluateMinic(spec: MinicSpec, program: Program | null) {
  const c = program ? compiledOf(program) : null;
  const right = (e: MinicExample): boolean =>
    c !== null && c.run(e.input, out) === RUN_OK && e.output.every((v, i) => v === out[i]);
  const tests = spec.tests ?? [];
  const examplesCorrect = spec.examples.filter(right).length;
  return {
    score: examplesCorrect / spec.examples.length,
    solved: c !== null && examplesCorrect === spec.examples.length,
    examplesCorrect,
    examples: spec.examples.length,
    /** Held-out tests the program gets right (null when the task has none). */
    heldOutCorrect: tests.length ? tests.filter(right).length : null,
    heldOut: tests.length,
    tokens: program ? tokenCount(program) : null,
  };
}

/** Generated evaluation tasks: test-split behaviours only (task i of a seed is fixed). */
const minicTasks: TaskGenerator<MinicSpec> = {
  params: MINIC_DATASET_PARAMS.filter((p) => p.name === 'maxStatements'),
  countFlag: 'generate',
  defaultCount: 20,
  task(rng, i, params) {
    const t = sampleSplitTask(rng.derive(`task/${i}`), 'test', {
      maxStatements: params.maxStatements as number,
    });
    return { name: taskName(t), spec: t.spec, facts: { targetTokens: tokenCount(t.program) } };
  },
};

/** Task i of `seed` as `eval minic` generates it (for benches that re-create the targets). */
export const evalTask = (seed: number, i: number, maxStatements = 8) =>
  minicTasks.task(new Rng(seed), i, { maxStatements });

const num = (r: ItemResult, k: string): number => (r[k] as number | null) ?? 0;
const seconds = (ms: number, digits: number): string => (ms / 1000).toFixed(digits);

function human(r: ItemResult): string[] {
  const lines: string[] = [];
  if (r.name) lines.push(`// ${r.name}`);
  if (!r.program) {
    lines.push(`no program found in ${seconds(r.timeMs, 1)} s (${r.nodes} nodes); try a longer --timeout`);
    return lines;
  }
  lines.push(
    r.solved
      ? `// solved in ${seconds(r.firstSolutionMs ?? r.timeMs, 2)} s (${r.firstSolutionNodes ?? r.nodes} nodes, ${r.search}), ${String(r.tokens)} tokens`
      : `// not solved: the best program reproduces ${num(r, 'examplesCorrect')}/${num(r, 'examples')} examples (${r.search}, ${seconds(r.timeMs, 1)} s)`,
  );
  if (r.heldOutCorrect !== null)
    lines.push(`// held-out tests correct: ${num(r, 'heldOutCorrect')}/${num(r, 'heldOut')}`);
  lines.push(r.program);
  return lines;
}

const solvedTimes = (rs: readonly ItemResult[]): number[] =>
  rs
    .filter((r) => r.solved)
    .map((r) => r.firstSolutionMs ?? r.timeMs)
    .sort((a, b) => a - b);
const withTests = (rs: readonly ItemResult[]): ItemResult[] =>
  rs.filter((r) => r.heldOutCorrect !== null && num(r, 'heldOut') > 0);
/** LaSynth's criterion: the program meets every spec example and every held-out test. */
const correct = (r: ItemResult): boolean =>
  r.solved && (r.heldOutCorrect === null || r.heldOutCorrect === r.heldOut);

export const minicProblem: Problem<MinicSpec, Program> = {
  id: 'minic',
  aliases: ['c'],
  description:
    'Restricted C from input/output lists (LaSynth): a C function with loops over a list of 5 ints',
  validate: validateSpec,
  evaluate: evaluateMinic,
  print: printProgram,
  parse: parseProgram,
  tokens: minicTokens,
  fromTokens: minicFromTokens,
  execute: (program, input) => {
    const r = runProgram(program, input as readonly number[]);
    return r.ok ? r.output : null;
  },
  io: {
    inputs: [
      {
        id: 'tasks',
        description:
          'JSONL task file: {"examples": [{"input": [5 ints], "output": [5 ints]}], "tests"?, "program"?}',
        kind: 'file',
        extensions: ['.jsonl', '.json'],
        parse: (bytes, name) => ({ specs: parseTaskFile(new TextDecoder().decode(bytes), name) }),
      },
    ],
    inline: {
      usage: "examples like '[1,2,3,4,5] => [2,3,4,5,6]'",
      parse: parseInlineExamples,
    },
    generator: minicTasks,
    dataset: minicDatasets,
    exporters: [
      { extension: '.c', description: 'a C file (gcc -c; -DMINIC_MAIN adds a main to try it)', write: toC },
      { extension: '.js', description: 'a JavaScript function', write: (p) => toJs(p) },
    ],
  },
  report: {
    noun: 'tasks',
    title: 'restricted C',
    curves: ['solvedVsTime', 'solvedVsNodes'],
    exports: { javascript: '.js' },
    summary: {
      correct: (rs) => rs.filter(correct).length,
      solved: (rs) => rs.filter((r) => r.solved).length,
      total: (rs) => rs.length,
      heldOutCorrect: (rs) => withTests(rs).reduce((a, r) => a + num(r, 'heldOutCorrect'), 0),
      heldOutTotal: (rs) => withTests(rs).reduce((a, r) => a + num(r, 'heldOut'), 0),
      heldOutTasksAllCorrect: (rs) => withTests(rs).filter((r) => r.heldOutCorrect === r.heldOut).length,
      meanSolveMs: (rs) => {
        const t = solvedTimes(rs);
        return t.length ? t.reduce((a, b) => a + b, 0) / t.length : null;
      },
      medianSolveMs: (rs) => {
        const t = solvedTimes(rs);
        return t.length ? t[Math.floor(t.length / 2)] : null;
      },
    },
    headline: (s) => {
      const pct = (k: number) => `${((100 * k) / Math.max(1, s.total as number)).toFixed(1)} %`;
      const [right, solved, total] = [s.correct as number, s.solved as number, s.total as number];
      return `correct (spec + held-out tests) ${right}/${total} (${pct(right)})  spec only ${solved}/${total} (${pct(solved)})  held-out tests ${String(s.heldOutCorrect)}/${String(s.heldOutTotal)}`;
    },
    brief: (r) =>
      `${correct(r) ? 'correct, ' : ''}${r.solved ? `solved ${seconds(r.firstSolutionMs ?? r.timeMs, 2)}s` : 'unsolved'}${r.heldOutCorrect !== null ? ` held-out ${num(r, 'heldOutCorrect')}/${num(r, 'heldOut')}` : ''}`,
    human,
  },
  cli: {
    command: 'c',
    // The best shipped decoder on bench/seq-minic/test-100 (10 s, --jobs 2): lasynth 54 %, robustfill 51 %.
    synth: { timeoutS: 10, method: 'lasynth', inputFlag: 'tasks' },
    eval: { timeoutS: 30, methods: 'smc,beam' },
  },
};
