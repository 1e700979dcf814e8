#!/usr/bin/env node
/** The `replsynth` command: see src/cli/program.ts for the commands and run.ts for error handling. */
import { runCli } from './run.js';

runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
