import type { Command } from 'commander';
import { UserError } from '../core/index.js';
import { readTaskFile, type StringsSpec } from '../domains/strings/index.js';
import { intOption, numberOption } from './options.js';
import { StringsEngine, type StringsRunResult } from './strings-synth.js';

export interface StringsOpts {
  examples?: string;
  apply: string[];
  timeout: string;
  search: string;
  seed: string;
  json?: boolean;
  model?: string;
  threads?: string;
}

/** "in => out" or "col1 | col2 => out"; a pair without "=>" is a row to fill. */
export function parseInlinePair(text: string, index: number): { inputs: string[]; output?: string } {
  const at = text.lastIndexOf('=>');
  const cols = (s: string): string[] => s.split(' | ').map((c) => c.trim());
  if (at < 0) throw new UserError(`example ${index + 1} ('${text}'): expected 'input => output'`, 2);
  return { inputs: cols(text.slice(0, at)), output: text.slice(at + 2).trim() };
}

function specsFrom(pairs: string[], o: StringsOpts): StringsSpec[] {
  const fill = o.apply.map((a) => a.split(' | ').map((c) => c.trim()));
  if (o.examples) {
    if (pairs.length) throw new UserError('give examples either inline or with --examples FILE, not both', 2);
    return readTaskFile(o.examples).map((t) => ({ ...t.spec, fill: [...t.spec.fill, ...fill] }));
  }
  if (pairs.length === 0)
    throw new UserError("no examples: pass pairs like 'Jane Smith => J. Smith' or --examples FILE", 2);
  const examples = pairs
    .map((p, i) => parseInlinePair(p, i))
    .map((e) => ({ inputs: e.inputs, output: e.output! }));
  return [{ examples, fill }];
}

function printHuman(r: StringsRunResult, spec: StringsSpec): void {
  const w = (s: string): boolean => process.stdout.write(s + '\n');
  if (spec.name) w(`# ${spec.name}`);
  if (!r.program) {
    w(`no program found in ${(r.timeMs / 1000).toFixed(1)} s (${r.nodes} nodes); try a longer --timeout`);
    return;
  }
  w(
    r.solved
      ? `solved in ${((r.firstSolutionMs ?? r.timeMs) / 1000).toFixed(2)} s (${r.firstSolutionNodes ?? r.nodes} nodes, ${r.search})`
      : `not solved: best program reproduces ${r.examplesCorrect}/${r.examples} examples (${r.search}, ${(r.timeMs / 1000).toFixed(1)} s)`,
  );
  w(`program:\n  ${r.program}`);
  if (r.heldOutCorrect !== null) w(`held-out rows correct: ${r.heldOutCorrect}/${r.heldOut}`);
  if (r.fill.length && r.solved) {
    w('filled:');
    for (const f of r.fill) w(`  ${f.inputs.join(' | ')} => ${f.output ?? '(error)'}`);
  }
  if (r.solved) w(`javascript:\n${r.javascript}`);
}

/** Runs the strings command; returns how many tasks were left unsolved. */
export async function synthesizeStrings(pairs: string[], o: StringsOpts): Promise<number> {
  const timeoutMs = numberOption('--timeout', o.timeout, 0.01) * 1000;
  const seed = intOption('--seed', o.seed);
  const specs = specsFrom(pairs, o);
  const engine = await StringsEngine.create(
    [o.search],
    o.model,
    o.threads ? intOption('--threads', o.threads, 1) : undefined,
  );
  let failed = 0;
  for (const spec of specs) {
    const r = await engine.run(spec, { search: o.search, timeoutMs, seed });
    if (!r.solved) failed++;
    if (o.json) process.stdout.write(JSON.stringify(r) + '\n');
    else printHuman(r, spec);
  }
  return failed;
}

/** `replsynth strings`: synthesize a text transformation from examples. */
export function registerStringsCommand(program: Command): void {
  program
    .command('strings')
    .description('synthesize a text transformation from input => output examples')
    .argument('[pairs...]', "examples like 'Jane Smith => J. Smith' (columns: 'a | b => out')")
    .option('--examples <file>', 'tasks from a JSONL or CSV file (CSV: empty output = row to fill)')
    .option(
      '--apply <row>',
      'a row to fill with the program (repeatable; columns: "a | b")',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option('--timeout <s>', 'search time per task in seconds', '10')
    .option('--search <method>', 'smc | beam | beam-value | astar | rollout | enum', 'smc')
    .option('--seed <n>', 'random seed', '1')
    .option('--json', 'machine-readable output (one JSON object per task)')
    .option('--model <dir>', 'model folder (default: the shipped models/strings)')
    .option('--threads <n>', 'ONNX Runtime threads')
    .action(async (pairs: string[], o: StringsOpts) => {
      if ((await synthesizeStrings(pairs, o)) > 0) process.exitCode = 1;
    });
}
