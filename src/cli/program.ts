import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerDomainsCommand } from './cmd-domains.js';
import { registerDemoCommand } from './cmd-demo.js';
import { registerTrainStringsCommand } from './cmd-train.js';
import { registerStringsCommand } from './cmd-strings.js';
import { registerEvalStringsCommand } from './cmd-eval.js';
import { registerCadCommands } from './cmd-cad.js';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** The command tree; errors surface as CommanderError so main() decides exit codes. */
export function buildProgram(): Command {
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
  registerStringsCommand(program);
  registerDemoCommand(program);
  const evalCommand = program
    .command('eval')
    .description(
      'evaluate search methods: `eval strings` (a task file) or `eval cad2d` (generated scenes or PNGs)',
    );
  const trainCommand = program
    .command('train')
    .description('train a policy/value network: `train strings` or `train cad2d` (resumable)');
  registerEvalStringsCommand(evalCommand);
  registerTrainStringsCommand(trainCommand);
  registerCadCommands(program, evalCommand, trainCommand);
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
