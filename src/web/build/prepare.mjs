#!/usr/bin/env node
// The web half of `prepare` (run by `npm ci` and `npm install` in a clone): builds the playground into
// dist/web. Skipped when npm packs or publishes: the package does not ship the page (package.json
// `files`), and rebuilding dist/web then would only race with anything serving it.
import { spawnSync } from 'node:child_process';

const command = process.env.npm_command ?? '';
if (command === 'pack' || command === 'publish') {
  console.log(`build:web skipped (npm ${command}: the package does not ship the playground)`);
} else {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', 'build:web'], { stdio: 'inherit', shell: process.platform === 'win32' });
  process.exitCode = r.status ?? 1;
}
