/**
 * The strings problem (text transformation by example): what a spec is, when a program meets it
 * (every example reproduced; held-out rows and rows to fill reported beside), how users give specs
 * (JSONL/CSV task files, 'in => out' pairs, --apply rows) and what they take away (a JavaScript
 * function). The REPL formulation is domain.ts; this file knows no MDP.
 */
import {
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
import { parseTaskText } from './task-file.js';
import { stringsFromTokens, stringsTokens } from './tokens.js';

/** "in => out" or "col1 | col2 => out". */
export function parseInlinePair(text: string, index: number): { inputs: string[]; output: string } {
  const at = text.lastIndexOf('=>');
  const cols = (s: string): string[] => s.split(' | ').map((c) => c.trim());
  if (at < 0) throw new UserError(`example ${index + 1} ('${text}'): expected 'input => output'`, 2);
  return { inputs: cols(text.slice(0, at)), output: text.slice(at + 2).trim() };
}

let validator: StringsDomain | null = null;

const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

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
    validator ??= createStringsDomain();
    validator.initialState(spec);
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
        parse(bytes, name) {
          const tasks = parseTaskText(decode(bytes), name);
          return { specs: tasks.map((t) => ({ name: t.name, spec: t.spec })) };
        },
      },
    ],
    inline: {
      usage: "examples like 'Jane Smith => J. Smith' (columns: 'a | b => out')",
      parse(words): NamedSpec<StringsSpec>[] {
        if (words.length === 0) return [];
        return [{ name: '', spec: { examples: words.map((w, i) => parseInlinePair(w, i)) } }];
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
    ],
    withOptions(spec, values: OptionValues) {
      const rows = ((values.apply as readonly string[] | undefined) ?? []).map((a) =>
        a.split(' | ').map((c) => c.trim()),
      );
      return rows.length ? { ...spec, fill: [...(spec.fill ?? []), ...rows] } : spec;
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
