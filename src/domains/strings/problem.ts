/**
 * The strings problem (text transformation by example): what a spec is, when a program meets it
 * (every example reproduced; held-out rows and rows to fill reported beside), how users give specs
 * (JSONL/CSV task files, 'in => out' pairs, --apply rows) and what they take away (a JavaScript
 * function). The REPL formulation is domain.ts; this file knows no MDP.
 */
import {
  SpecError,
  UserError,
  type ItemResult,
  type NamedSpec,
  type OptionValues,
  type Problem,
} from '../../core/index.js';
import { createStringsDomain, type StringsDomain } from './domain.js';
import { parseProgram, printProgram, type Program } from './dsl.js';
import { compileToJs } from './export-js.js';
import { runProgram } from './interpreter.js';
import type { StringsSpec } from './repl.js';
import { DEFAULT_LIMITS, codePoints, proseOf, specProblems, type StringsLimits } from './spec-check.js';
import { decodeUtf8, parseTaskText } from './task-file.js';
import { stringsFromTokens, stringsTokens } from './tokens.js';

/**
 * "in => out" or "col1 | col2 => out". The arrow must appear once; one space on each side of it and of
 * each " | " belongs to the separator, every other character to the text (nothing is trimmed).
 */
export function parseInlinePair(text: string, index: number): { inputs: string[]; output: string } {
  const where = `example ${index + 1} ('${text}')`;
  const arrows = text.split('=>').length - 1;
  if (arrows === 0) throw new UserError(`${where}: expected 'input => output'`, 2);
  if (arrows > 1)
    throw new UserError(
      `${where}: '=>' appears ${arrows} times, so it is unclear where the output starts; give such examples in a task file (--examples FILE)`,
      2,
    );
  const at = text.indexOf('=>');
  const left = text.slice(0, at).replace(/ $/, '');
  const right = text.slice(at + 2).replace(/^ /, '');
  return { inputs: left.split(' | '), output: right };
}

/** A row of input columns given on the command line ("a | b"); nothing is trimmed. */
export const parseInlineRow = (text: string): string[] => text.split(' | ');

let validators = new Map<number, StringsDomain>();

/** The limits the user's options set (defaults: 200 characters, 3 columns). */
function limitsOf(values: OptionValues | undefined): StringsLimits {
  const n = (k: string, d: number): number => (typeof values?.[k] === 'number' ? (values[k] as number) : d);
  return {
    maxLength: n('maxLength', DEFAULT_LIMITS.maxLength),
    columns: n('columns', DEFAULT_LIMITS.columns),
  };
}

/** The --apply rows, checked against the examples (same columns, within the limits). */
function applyRows(spec: StringsSpec, values: OptionValues, limits: StringsLimits): string[][] {
  const rows = ((values.apply as readonly string[] | undefined) ?? []).map(parseInlineRow);
  const width = spec.examples[0]?.inputs.length ?? 1;
  rows.forEach((r, i) => {
    const where = `--apply row ${i + 1} ('${r.join(' | ')}')`;
    if (r.length !== width)
      throw new UserError(
        `${where}: has ${r.length} column${r.length === 1 ? '' : 's'}, the examples have ${width} (columns are separated by ' | ')`,
        2,
      );
    for (const c of r)
      if (codePoints(c) > limits.maxLength)
        throw new UserError(
          `${where}: longer than the limit of ${limits.maxLength} characters (--max-length)`,
          2,
        );
  });
  return rows;
}

const decode = (bytes: Uint8Array, name: string): string => decodeUtf8(bytes, name);

function evaluateStrings(spec: StringsSpec, program: Program | null) {
  const run = (inputs: readonly string[]): string | null =>
    program ? runProgram(program, [...inputs]) : null;
  const tests = spec.tests ?? [];
  const examplesCorrect = spec.examples.filter((e) => run(e.inputs) === e.output).length;
  const solved = program !== null && examplesCorrect === spec.examples.length;
  return {
    score: examplesCorrect / spec.examples.length,
    solved,
    examplesCorrect,
    examples: spec.examples.length,
    /** Held-out rows the program gets right (null when the task has none). */
    heldOutCorrect: tests.length
      ? tests.filter((e) => e.output !== undefined && run(e.inputs) === e.output).length
      : null,
    heldOut: tests.filter((e) => e.output !== undefined).length,
    fill: (spec.fill ?? []).map((inputs) => ({ inputs, output: run(inputs) })),
  };
}

const num = (r: ItemResult, k: string): number => (r[k] as number | null) ?? 0;
const seconds = (ms: number, digits: number): string => (ms / 1000).toFixed(digits);

function human(r: ItemResult): string[] {
  const out: string[] = [];
  if (r.name) out.push(`# ${r.name}`);
  if (!r.program) {
    out.push(`no program found in ${seconds(r.timeMs, 1)} s (${r.nodes} nodes); try a longer --timeout`);
    return out;
  }
  out.push(
    r.solved
      ? `solved in ${seconds(r.firstSolutionMs ?? r.timeMs, 2)} s (${r.firstSolutionNodes ?? r.nodes} nodes, ${r.search})`
      : `not solved: best program reproduces ${num(r, 'examplesCorrect')}/${num(r, 'examples')} examples (${r.search}, ${seconds(r.timeMs, 1)} s)`,
  );
  out.push(`program:\n  ${r.program}`);
  if (r.heldOutCorrect !== null)
    out.push(`held-out rows correct: ${num(r, 'heldOutCorrect')}/${num(r, 'heldOut')}`);
  const fill = r.fill as { inputs: string[]; output: string | null }[];
  if (fill.length && r.solved) {
    out.push('filled:');
    for (const f of fill) out.push(`  ${f.inputs.join(' | ')} => ${f.output ?? '(error)'}`);
  }
  if (r.solved) out.push(`javascript:\n${r.javascript}`);
  return out;
}

const solvedTimes = (rs: readonly ItemResult[]): number[] =>
  rs
    .filter((r) => r.solved)
    .map((r) => r.firstSolutionMs ?? r.timeMs)
    .sort((a, b) => a - b);
const withTests = (rs: readonly ItemResult[]): ItemResult[] =>
  rs.filter((r) => r.heldOutCorrect !== null && num(r, 'heldOut') > 0);

export const stringsProblem: Problem<StringsSpec, Program> = {
  id: 'strings',
  description:
    'Text transformation by example (RobustFill DSL): examples in, a program and a JavaScript function out',
  validate(spec) {
    const limits = { ...DEFAULT_LIMITS, ...spec.limits };
    const first = specProblems(spec, limits)[0];
    if (first) throw new SpecError(proseOf(first));
    let v = validators.get(limits.columns);
    if (!v) {
      if (validators.size > 8) validators = new Map();
      v = createStringsDomain({ columns: Math.min(16, Math.max(1, limits.columns)) });
      validators.set(limits.columns, v);
    }
    v.initialState(spec);
  },
  evaluate: evaluateStrings,
  print: printProgram,
  parse: parseProgram,
  tokens: (program) => stringsTokens(program),
  fromTokens: stringsFromTokens,
  execute: (program, input) => runProgram(program, [...(input as readonly string[])]),
  io: {
    inputs: [
      {
        id: 'tasks',
        description: 'JSONL or CSV task file (CSV: empty output = row to fill)',
        kind: 'file',
        extensions: ['.jsonl', '.json', '.csv'],
        // The third argument: the values of the options below (the CLI passes them to readers).
        parse(bytes: Uint8Array, name: string, values?: OptionValues) {
          const limits = limitsOf(values);
          const header = values?.header !== false;
          const tasks = parseTaskText(decode(bytes, name), name, { header, limits });
          return { specs: tasks.map((t) => ({ name: t.name, spec: { ...t.spec, limits } })) };
        },
      },
    ],
    inline: {
      usage:
        "examples like 'Jane Smith => J. Smith' (columns: 'a | b => out'; nothing after '=>': a row to fill)",
      parse(words: readonly string[], values?: OptionValues): NamedSpec<StringsSpec>[] {
        if (words.length === 0) return [];
        const limits = limitsOf(values);
        const marked = words.map((w, i) => ({ ...parseInlinePair(w, i), blank: /=>\s*$/.test(w) }));
        // With no example left, the empty outputs are examples: the spec check says what is wrong.
        const pairs = marked.every((p) => p.blank) ? marked.map((p) => ({ ...p, blank: false })) : marked;
        // 'Ann Lee =>' (nothing after the arrow) asks for that row to be filled, as an empty CSV output does.
        const examples = pairs.filter((p) => !p.blank).map(({ inputs, output }) => ({ inputs, output }));
        const fill = pairs.filter((p) => p.blank).map((p) => p.inputs);
        return [{ name: '', spec: { examples, ...(fill.length ? { fill } : {}), limits } }];
      },
    },
    options: [
      {
        name: 'apply',
        type: 'string',
        default: '',
        repeatable: true,
        description: 'a row to fill with the program (repeatable; columns: "a | b")',
      },
      {
        name: 'header',
        type: 'bool',
        default: true,
        description: 'CSV files: the first row is an example, not a header',
      },
      {
        name: 'maxLength',
        type: 'int',
        default: DEFAULT_LIMITS.maxLength,
        min: 1,
        max: 10_000,
        description: 'longest string accepted, in characters',
      },
      {
        name: 'mode',
        type: 'enum',
        choices: ['paper', 'extended', 'rich'],
        // The shipped model's formulation: another one needs a model trained for it (--model DIR or uniform).
        default: 'extended',
        description:
          'formulation: rich adds constants proposed from the examples, conditionals, numbers, Unicode words (needs a rich model, or --model uniform)',
      },
      {
        name: 'columns',
        type: 'int',
        default: DEFAULT_LIMITS.columns,
        min: 1,
        max: 16,
        description:
          'most input columns accepted (more than the model was trained for need --model uniform or an unguided method)',
      },
    ],
    withOptions(spec, values: OptionValues) {
      const limits = limitsOf(values);
      const rows = applyRows(spec, values, limits);
      return { ...spec, limits, ...(rows.length ? { fill: [...(spec.fill ?? []), ...rows] } : {}) };
    },
    exporters: [{ extension: '.js', description: 'a JavaScript function', write: compileToJs }],
  },
  report: {
    noun: 'tasks',
    title: 'strings',
    curves: ['solvedVsTime', 'solvedVsNodes'],
    exports: { javascript: '.js' },
    summary: {
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
      const solved = s.solved as number;
      const total = s.total as number;
      return `solved ${solved}/${total} (${((100 * solved) / Math.max(1, total)).toFixed(1)} %)  held-out rows ${String(s.heldOutCorrect)}/${String(s.heldOutTotal)}`;
    },
    brief: (r) =>
      `${r.solved ? `solved ${seconds(r.firstSolutionMs ?? r.timeMs, 2)}s` : 'unsolved'}${r.heldOutCorrect !== null ? ` held-out ${num(r, 'heldOutCorrect')}/${num(r, 'heldOut')}` : ''}`,
    human,
  },
  cli: {
    command: 'strings',
    synth: { timeoutS: 10, method: 'smc', inputFlag: 'examples' },
    eval: { timeoutS: 30, methods: 'smc,rollout,beam,beam-value,enum' },
    demo: 'examples/strings/names.jsonl',
  },
};
