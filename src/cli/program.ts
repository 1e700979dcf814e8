import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { models, problems, type AnyProblem } from '../core/index.js';
import { registerBuiltins } from '../builtins.js';
import { packageRoot } from '../io/files.js';
import { registerDemoCommand } from './cmd-demo.js';
import { registerData } from './data.js';
import { registerDomainsCommand } from './cmd-domains.js';
import { registerServeCommand } from './serve.js';
import { registerEval } from './eval.js';
import { registerExperimentCommand } from './experiment.js';
import { registerLaSynthCommand } from './lasynth.js';
import { registerSharedSynth, registerSynth } from './synth.js';
import { registerModelCommand, registerTrain } from './train.js';
import { registerWorkerCommand } from './worker.js';

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * The command tree, built from the registries: `synth <problem>` (plus each problem's friendly
 * command), `eval <problem>`, `train <model>`. Errors surface as CommanderError so main() decides
 * exit codes.
 */
export function buildProgram(): Command {
  registerBuiltins();
  const program = new Command('replsynth')
    .description(
      'Program synthesis with a REPL: a policy writes, a REPL executes, a value assesses, SMC searches.',
    )
    .version(packageVersion(), '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      // Commander's errors become one line: "replsynth: error: …".
      outputError: (str, write) => write(`replsynth: ${str.trim().split('\n')[0]}\n`),
    });
  registerDomainsCommand(program);
  const ids = problems.list().map((p) => p.id);
  const synth = program
    .command('synth')
    .description(`synthesize a program from a spec: ${ids.map((i) => `\`synth ${i}\``).join(', ')}`);
  const evalCommand = program
    .command('eval')
    .description(`evaluate methods: ${ids.map((i) => `\`eval ${i}\``).join(', ')}`);
  const trainable = models.list().filter((m) => m.trainer);
  const trainCommand = program
    .command('train')
    .description(`train a model (resumable): ${trainable.map((m) => `\`train ${m.id}\``).join(', ')}`);
  for (const p of problems.list()) {
    const s = registerSynth(synth, p, p.id);
    for (const a of p.aliases ?? []) s.alias(a);
    registerEval(evalCommand, p);
  }
  // Friendly commands: `strings`, `c`; one shared by several problems dispatches by input flag (`cad`).
  const friendly = new Map<string, AnyProblem[]>();
  for (const p of problems.list())
    if (p.cli?.command) friendly.set(p.cli.command, [...(friendly.get(p.cli.command) ?? []), p]);
  for (const [name, ps] of friendly)
    if (ps.length === 1) registerSynth(program, ps[0], name);
    else registerSharedSynth(program, name, ps);
  for (const m of trainable) registerTrain(trainCommand, m);
  for (const m of models.list()) for (const c of m.commands ?? []) registerModelCommand(program, c);
  registerLaSynthCommand(program, async (args) => {
    await buildProgram().parseAsync(args, { from: 'user' });
  });
  registerData(program);
  registerExperimentCommand(program);
  registerDemoCommand(program);
  registerServeCommand(program);
  registerWorkerCommand(program);
  // Subcommands inherit exitOverride only if set on them: do it for every one, at every depth.
  const override = (c: Command): void => {
    for (const sub of c.commands) {
      sub.exitOverride().configureOutput(program.configureOutput());
      override(sub);
    }
  };
  override(program);
  return program;
}
