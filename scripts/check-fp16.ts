/**
 * Does float16 weight storage keep the shipped models' behaviour? For each shipped model, runs the
 * float32 file and its float16 conversion (nn/fp16.ts) on states of generated tasks (every state along
 * the ground-truth trace of `sampleTask`) and reports the top-1 action agreement, max |Δ log-prob| over
 * all legal actions and max |Δ value|. A model passes when top-1 agreement is ≥ 99.5 %.
 *
 *   npx tsx scripts/check-fp16.ts [--rev REV | --from DIR] [--states N] [--seed S] [--timing] [--write]
 *
 * The float32 originals are read from DIR (default models/) or, once the shipped files are float16,
 * from git: `--rev 33753c2` (the last commit with float32 weights). `--write` stores the float16 files of
 * the models that pass into models/ and removes models/csg2d/model.onnx (its weights duplicate the three
 * pieces'; Csg2dLearner.resume rebuilds from the pieces). `--timing` also compares session creation and
 * run times.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Rng, maskedLogSoftmax, replay, type Domain } from '../src/core/index.js';
import { createCsg2dDomain, type Csg2dState } from '../src/domains/csg2d/index.js';
import { createStringsDomain, type StringsState } from '../src/domains/strings/index.js';
import {
  InferenceModel,
  atomicWrite,
  hasFloat16Weights,
  toFloat16Model,
  type FeedArray,
} from '../src/nn/index.js';
import { NetworkBackend, type Csg2dModels } from '../src/models/csg2d/evaluator.js';
import { lineDistribution, type Csg2dScores } from '../src/models/csg2d/lines.js';
import { NeuralEvaluator } from '../src/models/strings/evaluator.js';

const PIECES = ['pair-encoder.onnx', 'spec-encoder.onnx', 'head.onnx'] as const;
const MIN_AGREEMENT = 0.995;

interface Args {
  rev?: string;
  from: string;
  states: number;
  seed: number;
  threads: number;
  timing: boolean;
  write: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { from: 'models', states: 400, seed: 1, threads: 1, timing: false, write: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = (): string => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${k} needs a value`);
      return x;
    };
    if (k === '--rev') a.rev = v();
    else if (k === '--from') a.from = v();
    else if (k === '--states') a.states = Number(v());
    else if (k === '--seed') a.seed = Number(v());
    else if (k === '--threads') a.threads = Number(v());
    else if (k === '--timing') a.timing = true;
    else if (k === '--write') a.write = true;
    else throw new Error(`unknown option ${k}`);
  }
  return a;
}

const args = parseArgs(process.argv.slice(2));

/** A shipped file's float32 original: from git (--rev) or a folder (--from). */
function original(rel: string): Uint8Array {
  const bytes = args.rev
    ? new Uint8Array(execFileSync('git', ['show', `${args.rev}:models/${rel}`], { maxBuffer: 1 << 28 }))
    : new Uint8Array(readFileSync(join(args.from, rel)));
  if (rel.endsWith('.onnx') && hasFloat16Weights(bytes))
    throw new Error(
      `${rel} is already float16: compare with the float32 originals, e.g. --rev 33753c2 (see git log models/)`,
    );
  return bytes;
}

/** States along the ground-truth traces of generated tasks (the states a policy decides in). */
function states<S, A>(
  domain: Domain<unknown, S, A>,
  n: number,
  seed: number,
): { states: S[]; tasks: number } {
  const rng = new Rng(seed);
  const out: S[] = [];
  let tasks = 0;
  while (out.length < n) {
    const task = domain.sampleTask(rng);
    tasks++;
    const r = replay(domain, task.spec, task.trace);
    // Every state before a trace action; a long trace gives at most 12 so many tasks are covered.
    const before = r.states.slice(0, task.trace.length);
    const step = Math.max(1, Math.ceil(before.length / 12));
    for (let i = 0; i < before.length && out.length < n; i += step) out.push(before[i]);
  }
  return { states: out, tasks };
}

interface Comparison {
  n: number;
  agree: number;
  maxDLogp: number;
  meanDLogp: number;
  maxDLogpTop: number;
  maxDValue: number;
}

/** Compares two policies' log-probabilities (−∞ = illegal) and values, state by state. */
function compare(rows: { a: Float64Array; b: Float64Array; va: number; vb: number }[]): Comparison {
  const c: Comparison = { n: rows.length, agree: 0, maxDLogp: 0, meanDLogp: 0, maxDLogpTop: 0, maxDValue: 0 };
  let count = 0;
  for (const { a, b, va, vb } of rows) {
    let ia = -1;
    let ib = -1;
    for (let i = 0; i < a.length; i++) {
      if (a[i] > -Infinity && (ia < 0 || a[i] > a[ia])) ia = i;
      if (b[i] > -Infinity && (ib < 0 || b[i] > b[ib])) ib = i;
      if (a[i] > -Infinity || b[i] > -Infinity) {
        const d = Math.abs(a[i] - b[i]);
        c.maxDLogp = Math.max(c.maxDLogp, d);
        c.meanDLogp += d;
        count++;
      }
    }
    if (ia === ib) c.agree++;
    if (ia >= 0) c.maxDLogpTop = Math.max(c.maxDLogpTop, Math.abs(a[ia] - b[ia]));
    c.maxDValue = Math.max(c.maxDValue, Math.abs(va - vb));
  }
  c.meanDLogp /= Math.max(1, count);
  return c;
}

const mb = (n: number): string => `${(n / 1e6).toFixed(2)} MB`;

function report(name: string, c: Comparison, tasks: number): boolean {
  const ok = c.agree / c.n >= MIN_AGREEMENT;
  console.log(`  ${c.n} states from ${tasks} generated tasks (seed ${args.seed})`);
  console.log(`  top-1 action agreement  ${((100 * c.agree) / c.n).toFixed(2)} % (${c.agree}/${c.n})`);
  console.log(
    `  max |Δ log-prob|        ${c.maxDLogp.toExponential(2)} over all legal actions (mean ${c.meanDLogp.toExponential(2)}; ` +
      `of the float32 top action: ${c.maxDLogpTop.toExponential(2)})`,
  );
  console.log(`  max |Δ value|           ${c.maxDValue.toExponential(2)}`);
  console.log(`  → ${name}: ${ok ? 'float16 kept' : 'float16 REJECTED (stays float32)'}`);
  return ok;
}

/** Session creation and the run time of one batch, float32 vs float16, alternating, best of `reps`. */
async function timing(label: string, f32: Uint8Array, f16: Uint8Array, feeds: Record<string, FeedArray>) {
  const best = { f32: { create: Infinity, run: Infinity }, f16: { create: Infinity, run: Infinity } };
  for (let r = 0; r < 5; r++)
    for (const [k, bytes] of [
      ['f32', f32],
      ['f16', f16],
    ] as const) {
      let t = performance.now();
      const m = await InferenceModel.fromBytes(bytes, { threads: args.threads, cache: false });
      best[k].create = Math.min(best[k].create, performance.now() - t);
      await m.run(feeds);
      for (let i = 0; i < 3; i++) {
        t = performance.now();
        await m.run(feeds);
        best[k].run = Math.min(best[k].run, performance.now() - t);
      }
      await m.dispose();
    }
  console.log(
    `  timing ${label}: session ${best.f32.create.toFixed(0)} ms (fp32) vs ${best.f16.create.toFixed(0)} ms (fp16); ` +
      `run ${best.f32.run.toFixed(1)} ms vs ${best.f16.run.toFixed(1)} ms (best of 5)`,
  );
}

async function checkStrings(): Promise<{ ok: boolean; files: Record<string, Uint8Array> }> {
  const cfg = JSON.parse(new TextDecoder().decode(original('strings/config.json'))) as {
    domainParams: Record<string, string | number | boolean>;
  };
  const domain = createStringsDomain(cfg.domainParams);
  const f32 = original('strings/model.onnx');
  const conv = toFloat16Model(f32);
  console.log(
    `strings: model.onnx ${mb(f32.byteLength)} (fp32) → ${mb(conv.bytes.byteLength)} (fp16; ` +
      `${conv.converted.length} tensors float16, ${conv.keptElements} values kept float32)`,
  );
  const { states: ss, tasks } = states<StringsState, number>(domain, args.states, args.seed);
  const evs = await Promise.all(
    [f32, conv.bytes].map(
      async (b) => new NeuralEvaluator(domain, await InferenceModel.fromBytes(b, { threads: args.threads })),
    ),
  );
  const [sa, sb] = await Promise.all(evs.map((e) => e.scores(ss)));
  const rows = ss.map((s, i) => {
    const mask = domain.legalMask!(s);
    return {
      a: maskedLogSoftmax(sa[i].logits, mask),
      b: maskedLogSoftmax(sb[i].logits, mask),
      va: sa[i].value,
      vb: sb[i].value,
    };
  });
  const ok = report('strings', compare(rows), tasks);
  if (args.timing)
    await timing(
      'strings model.onnx, 256 states',
      f32,
      conv.bytes,
      domain.features!.encode(ss.slice(0, 256)),
    );
  return { ok, files: { 'strings/model.onnx': conv.bytes } };
}

async function checkCsg2d(): Promise<{ ok: boolean; files: Record<string, Uint8Array> }> {
  const cfg = JSON.parse(new TextDecoder().decode(original('csg2d/config.json'))) as {
    domainParams: Record<string, string | number | boolean>;
    net: { maxObjects: number; hidden: number };
  };
  const domain = createCsg2dDomain(cfg.domainParams);
  const f32: Record<string, Uint8Array> = {};
  const f16: Record<string, Uint8Array> = {};
  for (const p of PIECES) {
    f32[p] = original(`csg2d/${p}`);
    const conv = toFloat16Model(f32[p]);
    f16[p] = conv.bytes;
    console.log(
      `csg2d: ${p} ${mb(f32[p].byteLength)} (fp32) → ${mb(conv.bytes.byteLength)} (fp16; ` +
        `${conv.converted.length} tensors float16, ${conv.keptElements} values kept float32)`,
    );
  }
  const { states: ss, tasks } = states<Csg2dState, unknown>(
    domain as unknown as Domain<unknown, Csg2dState, unknown>,
    args.states,
    args.seed,
  );
  const backends = await Promise.all(
    [f32, f16].map(async (files) => {
      const m = {} as Record<keyof Csg2dModels, InferenceModel>;
      const keys: Record<(typeof PIECES)[number], keyof Csg2dModels> = {
        'pair-encoder.onnx': 'pairEncoder',
        'spec-encoder.onnx': 'specEncoder',
        'head.onnx': 'head',
      };
      for (const p of PIECES)
        m[keys[p]] = await InferenceModel.fromBytes(files[p], { threads: args.threads });
      return new NetworkBackend(m, cfg.net.maxObjects, cfg.net.hidden);
    }),
  );
  const scores: Csg2dScores[][] = [];
  for (const b of backends) scores.push(await b.score(ss));
  const K = domain.limits.maxObjects;
  const rows = ss.map((s, i) => ({
    a: lineDistribution(s, scores[0][i], domain.limits, K).logp,
    b: lineDistribution(s, scores[1][i], domain.limits, K).logp,
    va: scores[0][i].value,
    vb: scores[1][i].value,
  }));
  const ok = report('csg2d', compare(rows), tasks);
  if (args.timing) {
    const pairs = new Float32Array(256 * 2 * 64 * 64).map((_, i) => ((i * 7919) % 13 < 4 ? 1 : 0));
    await timing('csg2d pair-encoder.onnx, 256 pairs', f32[PIECES[0]], f16[PIECES[0]], { pairs });
  }
  const files: Record<string, Uint8Array> = {};
  for (const p of PIECES) files[`csg2d/${p}`] = f16[p];
  return { ok, files };
}

const results = [await checkStrings(), await checkCsg2d()];
if (args.write) {
  for (const r of results) {
    if (!r.ok) continue;
    for (const [rel, bytes] of Object.entries(r.files)) {
      await atomicWrite(join('models', rel), bytes);
      console.log(`wrote models/${rel} (${mb(bytes.byteLength)})`);
    }
  }
  // The whole-network model.onnx duplicates the pieces' weights; nothing loads it at inference and
  // resume rebuilds the weights from the pieces (Csg2dLearner.resume), so the shipped folder drops it.
  const dup = join('models', 'csg2d', 'model.onnx');
  if (existsSync(dup)) {
    rmSync(dup);
    const statePath = join('models', 'csg2d', 'training-state.json');
    const st = JSON.parse(readFileSync(statePath, 'utf8')) as { files: Record<string, number> };
    delete st.files['model.onnx'];
    await atomicWrite(statePath, JSON.stringify(st, null, 1) + '\n');
    console.log(`removed ${dup} (duplicate of the pieces' weights)`);
  }
}
process.exit(results.every((r) => r.ok) ? 0 : 1);
