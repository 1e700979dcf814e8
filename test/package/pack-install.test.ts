import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Installs replsynth the way a user does: `npm pack` the repo (its prepare script builds dist/), then
// `npm install <tarball>` into an empty project with nothing set (no .npmrc, no ONNXRUNTIME_NODE_INSTALL),
// and runs the CLI and the library there. Needs the npm registry (to install the dependencies) and no
// other host: onnxruntime-node's CUDA download must not happen (see scripts/ort-cpu-only.mjs).
// Slow (≈ 30–60 s): one pack + install serves every test below.

const repo = fileURLToPath(new URL('../..', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment a user's shell has: none of the npm_* variables that `npm test` hands down, and
 * none of onnxruntime-node's install switches (they would hide the download this test guards against). */
function userEnv(): NodeJS.ProcessEnv {
  const keep = new Set([
    'npm_config_registry',
    'npm_config_cache',
    'npm_config_userconfig',
    'npm_config_globalconfig',
    'npm_config_cafile',
    'npm_config_proxy',
    'npm_config_https_proxy',
    'npm_config_noproxy',
  ]);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) && !keep.has(k.toLowerCase())) continue;
    if (/^ONNXRUNTIME_NODE_INSTALL/i.test(k)) continue;
    env[k] = v;
  }
  return env;
}

function run(cmd: string, args: string[], cwd: string, timeoutMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      stderr += `\n[killed after ${timeoutMs / 1000} s]`;
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const tail = (s: string, n = 4000) => (s.length > n ? '…' + s.slice(-n) : s);

/** Runs a command and throws, with its output, unless it exits 0. */
async function must(what: string, cmd: string, args: string[], cwd: string, timeoutMs: number) {
  const r = await run(cmd, args, cwd, timeoutMs);
  if (r.code !== 0)
    throw new Error(
      `${what} failed (exit ${r.code}): ${cmd} ${args.join(' ')} in ${cwd}\n` +
        `--- stdout ---\n${tail(r.stdout)}\n--- stderr ---\n${tail(r.stderr)}`,
    );
  return r;
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

let work = '';
let tarball = '';
let project = '';
let installLog = '';

const SCRIPT = `import { synthesize } from 'replsynth';
const r = await synthesize(
  'strings',
  { examples: [{ inputs: ['Jane Smith'], output: 'J. Smith' }, { inputs: ['John Doe'], output: 'J. Doe' }] },
  { timeout: 5, seed: 1 },
);
console.log(JSON.stringify(r));
`;

// The checks after the install are independent (each its own files in the project) and mostly wait on
// child processes, so they run concurrently.
describe.concurrent('the packed package, installed into an empty project', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'replsynth-pack-'));
    const packDir = join(work, 'pack');
    mkdirSync(packDir);
    // The registry check and the pack (its prepare script builds dist/) do not depend on each other.
    const [ping, pack] = await Promise.all([
      run(npm, ['ping', '--fetch-retries=1'], work, 45_000),
      run(npm, ['pack', '--pack-destination', packDir], repo, 120_000),
    ]);
    if (ping.code !== 0)
      throw new Error(
        'The npm registry cannot be reached (`npm ping` failed), and this test installs the packed ' +
          `package with its dependencies from it.\n${tail(ping.stdout + ping.stderr, 2000)}`,
      );
    if (pack.code !== 0)
      throw new Error(
        `npm pack failed (exit ${pack.code}) in ${repo}\n` +
          `--- stdout ---\n${tail(pack.stdout)}\n--- stderr ---\n${tail(pack.stderr)}`,
      );
    const tarballs = readdirSync(packDir).filter((f) => f.endsWith('.tgz'));
    expect(tarballs).toHaveLength(1);
    tarball = join(packDir, tarballs[0]);

    project = join(work, 'project');
    mkdirSync(project);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'replsynth-user', version: '1.0.0', private: true, type: 'module' }, null, 2),
    );
    // --prefer-offline: packages already in npm's cache (from the registry) are not revalidated one by one.
    const install = await run(
      npm,
      ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball],
      project,
      120_000,
    );
    installLog = install.stdout + install.stderr;
    if (install.code !== 0) {
      const hint = /nuget|ENOTFOUND|script\/install/i.test(installLog)
        ? "\nonnxruntime-node's postinstall tried to download its CUDA providers: " +
          "replsynth's preinstall (scripts/ort-cpu-only.mjs) should have prevented that."
        : '';
      throw new Error(
        `npm install of the packed tarball failed (exit ${install.code})${hint}\n${tail(installLog)}`,
      );
    }
  }, 170_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('ships what runs (dist, models, examples), without source maps or test helpers', async () => {
    const list = await must('tar', 'tar', ['-tzf', tarball], work, 30_000);
    const files = list.stdout.split('\n').filter(Boolean);
    for (const f of [
      'package/dist/index.js',
      'package/dist/index.d.ts',
      'package/dist/cli/main.js',
      'package/examples/strings/names.jsonl',
      'package/scripts/ort-cpu-only.mjs',
    ])
      expect(files).toContain(f);
    expect(files.some((f) => /^package\/models\/strings\/[^/]+\.onnx$/.test(f))).toBe(true);
    // No source maps, tests, test helpers, sources, nor tsc's incremental build record (dist/.tsbuildinfo).
    expect(
      files.filter((f) => /\.map$|\.test\.|\.test-util\.|\.tsbuildinfo$|^package\/(src|test)\//.test(f)),
    ).toEqual([]);
  });

  it('installs CPU-only: nothing was downloaded besides npm packages', () => {
    expect(installLog).not.toMatch(/Downloading|nuget/i);
    const ort = join(project, 'node_modules', 'onnxruntime-node');
    expect(existsSync(join(ort, 'package.json'))).toBe(true);
    if (process.platform === 'linux' && process.arch === 'x64') {
      // The CUDA/TensorRT providers onnxruntime-node would fetch are replsynth's empty placeholders.
      const bin = join(ort, 'bin', 'napi-v6', 'linux', 'x64');
      for (const f of ['libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so'])
        expect(statSync(join(bin, f)).size, f).toBe(0);
    }
  });

  it('the CLI (npx replsynth strings … --apply) fills in a new row', async () => {
    const r = await must(
      'npx replsynth strings',
      npx,
      [
        '--no',
        'replsynth',
        'strings',
        'Jane Smith => J. Smith',
        'John Doe => J. Doe',
        '--apply',
        'Ann Lee',
        '--timeout',
        '5',
      ],
      project,
      60_000,
    );
    expect(r.stdout).toContain('A. Lee');
  });

  it("the library (import { synthesize } from 'replsynth') solves the task and exports JavaScript", async () => {
    writeFileSync(join(project, 'synth.mjs'), SCRIPT);
    const out = await must('node synth.mjs', process.execPath, ['synth.mjs'], project, 60_000);
    const lines = out.stdout.trim().split('\n');
    const r = JSON.parse(lines[lines.length - 1]) as {
      solved: boolean;
      text: unknown;
      exports: Record<string, string>;
    };
    expect(r.solved).toBe(true);
    expect(typeof r.text).toBe('string');
    const js = r.exports.js;
    expect(typeof js).toBe('string');
    // The source is a function declaration (possibly behind a comment): return the first one it declares.
    const name = /function\s+([A-Za-z_$][\w$]*)\s*\(/.exec(js)?.[1];
    const fn = (name ? new Function(`${js}\nreturn ${name};`)() : new Function(`return (${js});`)()) as (
      ...inputs: string[]
    ) => unknown;
    expect(typeof fn).toBe('function');
    expect(fn('Ann Lee')).toBe('A. Lee');
  });

  it('its types resolve through "exports" (tsc --noEmit on the same script in the project)', async () => {
    writeFileSync(
      join(project, 'check.mts'),
      SCRIPT +
        `const solved: boolean = r.solved;
const text: string | null = r.text;
const js: string | undefined = r.exports['js'];
// The types are real (not any): this line must be an error.
// @ts-expect-error solved is a boolean
const wrong: number = r.solved;
console.log(solved, text, js, wrong);
`,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          // @types/node from the repo, so the project needs nothing beyond replsynth.
          typeRoots: [join(repo, 'node_modules', '@types')],
          types: ['node'],
        },
        files: ['check.mts'],
      }),
    );
    const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
    await must('tsc', process.execPath, [tsc, '-p', 'tsconfig.json'], project, 60_000);
  });
});
