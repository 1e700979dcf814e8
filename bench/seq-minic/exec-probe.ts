/**
 * What does LaSynth's latent executor predict at its intermediate execution points? (issue 17: LaSynth
 * is not better than NoPartialExecutor; is the executor an approximation of executing the partial
 * program, or does it jump to the final outputs, or stay near the inputs?)
 *
 * Ground-truth programs are fed teacher-forced through the shipped model (models/lasynth) with the
 * product's own incremental decoder (LaSynthBackend, unchanged): its `exec` graph runs after every K = 16
 * body tokens read, and a wrapper around that graph records the executor's softmax (the new latent
 * inputs). At the end of the program the executor is run once more, as the training graph does for
 * L_Exec: from the latent inputs then in effect (re-encoded by the `encode` graph) and the program
 * reader's state after the last body token. That recomputation is checked against the backend at every
 * intermediate point (largest absolute difference of the softmax, reported).
 *
 * At each point the executor's argmax per example and list position is compared with (a) the true
 * final outputs, (b) the example's inputs (and the current latent inputs' argmax), (c) the outputs of
 * the partial program: the first t body tokens cut back to the last complete statement (a `;` outside
 * parentheses or a `}`), every block still open closed with `}` (each open block then holds a complete
 * statement, so it parses), run by the minic interpreter. The next-token argmax (under the grammar's
 * mask) is compared with the ground-truth token, as a check that the harness feeds the model correctly.
 *
 * Two sets of programs: N test-split tasks generated in-process as `replsynth data minic --train 0
 * --val 0 --test N --seed S` makes them (or `--file tasks.jsonl`), their programs simplified the way the
 * training stream simplifies its programs (simplify.ts with the task's examples and tests; `--raw`
 * keeps the generated program); and programs of the model's own training stream (the minic-tokens
 * formulation's sampler, programs of ≤ 64 tokens as the learner draws them).
 *
 *   nice -n 10 npx tsx bench/seq-minic/exec-probe.ts [N=300] [--seed 4242] [--stream 1024] [--file F]
 *     [--raw] [--batch 32]
 *
 * writes bench/results/minic-exec-probe.json and prints a table. ONNX Runtime runs with 1 thread.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerBuiltins } from '../../src/builtins.js';
import { Rng } from '../../src/core/index.js';
import {
  CONST_MAX,
  CONST_MIN,
  END_TOKEN,
  LIST_LENGTH,
  MINIC_VOCABULARY,
  MinicTokenGrammar,
  bodyTokens,
  datasetInMemory,
  parseProgram,
  printProgram,
  programFromBodyTokens,
  runProgram,
  type MinicGrammarState,
  type MinicSpec,
  type Program,
} from '../../src/domains/minic/index.js';
import { simplifyProgram } from '../../src/domains/minic/simplify.js';
import { openFolder, writeFileAtomic } from '../../src/io/files.js';
import type { InferenceModel } from '../../src/nn/inference.js';
import { LaSynthBackend, type LaSynthNets } from '../../src/models/seq/lasynth/backend.js';
import { VALUES } from '../../src/models/seq/lasynth/net.js';
import { readLaSynthConfig } from '../../src/models/seq/lasynth/store.js';
import { lasynthVariants } from '../../src/models/seq/lasynth/variants.js';
import { network, tokenDomain } from '../../src/models/seq/store.js';
import { wholeProgramDomain } from '../../src/models/seq/whole.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const OUT = join(root, 'bench', 'results', 'minic-exec-probe.json');

// ------------------------------------------------------------------ arguments

const argv = process.argv.slice(2);
function flag(name: string, fallback: string): string {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : fallback;
}
const flagNames = new Set(['--seed', '--stream', '--file', '--batch']);
const positional = argv.filter((a, i) => !a.startsWith('--') && !flagNames.has(argv[i - 1] ?? ''));
const N = Number(positional[0] ?? 300);
const SEED = Number(flag('--seed', '4242'));
const STREAM = Number(flag('--stream', '1024'));
const FILE = flag('--file', '');
const RAW = argv.includes('--raw');
const BATCH = Number(flag('--batch', '32'));
for (const [k, v] of Object.entries({ N, SEED, STREAM, BATCH }))
  if (!Number.isInteger(v) || v < 0) throw new Error(`exec-probe: ${k} must be a non-negative integer`);

// ------------------------------------------------------------------ tasks

interface ProbeTask {
  readonly name: string;
  readonly spec: MinicSpec;
  readonly program: Program;
  /** Body tokens (no end token). */
  readonly body: readonly string[];
  readonly ids: readonly number[];
}

const tokenId = (t: string): number => {
  const i = MINIC_VOCABULARY.indexOf(t);
  if (i < 0) throw new Error(`exec-probe: no token ${t}`);
  return i;
};
const END = tokenId(END_TOKEN);

function probeTask(name: string, spec: MinicSpec, program: Program): ProbeTask {
  const body = bodyTokens(program);
  return { name, spec, program, body, ids: body.map(tokenId) };
}

function simplified(program: Program, spec: MinicSpec): Program {
  if (RAW) return program;
  const inputs = [...spec.examples, ...(spec.tests ?? [])].map((e) => e.input);
  return simplifyProgram(program, { inputs }).program;
}

function testTasks(): ProbeTask[] {
  if (FILE) {
    const lines = readFileSync(FILE, 'utf8')
      .split('\n')
      .filter((l) => l.trim());
    return lines.slice(0, N).map((l) => {
      const r = JSON.parse(l) as { name: string; program: string } & MinicSpec;
      const spec: MinicSpec = { examples: r.examples, ...(r.tests ? { tests: r.tests } : {}) };
      return probeTask(r.name, spec, simplified(parseProgram(r.program), spec));
    });
  }
  const { splits } = datasetInMemory({ train: 0, val: 0, test: N }, SEED);
  return splits.test.map((t) => probeTask(`minic-${t.key}`, t.spec, simplified(t.program, t.spec)));
}

// ------------------------------------------------------------------ partial programs

/**
 * The first t body tokens cut back to the last complete statement or declaration (a `;` outside
 * parentheses, or a `}`), with every block still open there closed. Each open block then holds the
 * statement just completed (or the block holding it), so no block is empty and the result parses.
 */
export function completePrefix(tokens: readonly string[], t: number): { tokens: string[]; cut: number } {
  let paren = 0;
  let depth = 0;
  let best = 0;
  let bestDepth = 0;
  for (let i = 0; i < t; i++) {
    const x = tokens[i];
    if (x === '(') paren++;
    else if (x === ')') paren--;
    else if (x === '{') depth++;
    else if (x === '}') {
      depth--;
      best = i + 1;
      bestDepth = depth;
    } else if (x === ';' && paren === 0) {
      best = i + 1;
      bestDepth = depth;
    }
  }
  return { tokens: [...tokens.slice(0, best), ...new Array<string>(bestDepth).fill('}')], cut: t - best };
}

// ------------------------------------------------------------------ accumulators

class Acc {
  tasks = 0;
  examples = 0;
  positions = 0;
  execFinal = 0;
  execInput = 0;
  /** = the current latent inputs' argmax (the inputs at the first point). */
  execCurrent = 0;
  /** = the END prediction's argmax of the same task. */
  execEnd = 0;
  finalNeInput = 0;
  /** Positions where final ≠ input, and the executor = final there. */
  fPos = 0;
  fExecFinal = 0;
  fExecInput = 0;
  /** Positions whose partial program ran. */
  partialPos = 0;
  execPartial = 0;
  partialNeFinal = 0;
  partialNeInput = 0;
  partialOutOfRange = 0;
  partialErrors = 0;
  partialParseFailures = 0;
  /** Positions where the partial program ran and partial ≠ final. */
  dPos = 0;
  dExecPartial = 0;
  dExecFinal = 0;
  dExecInput = 0;
  /** Positions where partial = final ≠ input (the prefix already did the work). */
  sPos = 0;
  sExecFinal = 0;
  /** Positions where the partial program ran and partial ≠ input (the prefix changed the value). */
  pPos = 0;
  pExecPartial = 0;
  pExecInput = 0;
  pExecFinal = 0;
  /** Positions where the executor's argmax differs from the current latent inputs' (it changed them). */
  cPos = 0;
  cExecPartial = 0;
  cExecFinal = 0;
  cutTokens = 0;
  prefixes = 0;
  confidence = 0;
  exampleExactFinal = 0;
  exampleExactPartial = 0;
  examplesWithPartial = 0;
  /** Softmax probability of the final value (mean over positions, final in range). */
  probFinal = 0;
  probPartial = 0;

  summary(): Record<string, number | null> {
    const f = (a: number, b: number): number | null => (b > 0 ? +(a / b).toFixed(4) : null);
    return {
      tasks: this.tasks,
      examples: this.examples,
      positions: this.positions,
      execEqFinal: f(this.execFinal, this.positions),
      execEqInput: f(this.execInput, this.positions),
      execEqCurrentLatent: f(this.execCurrent, this.positions),
      execEqEndPrediction: f(this.execEnd, this.positions),
      execEqPartial: f(this.execPartial, this.partialPos),
      meanProbOfFinal: f(this.probFinal, this.positions),
      meanProbOfPartial: f(this.probPartial, this.partialPos),
      meanMaxProb: f(this.confidence, this.positions),
      finalNeInput: f(this.finalNeInput, this.positions),
      partialNeFinal: f(this.partialNeFinal, this.partialPos),
      partialNeInput: f(this.partialNeInput, this.partialPos),
      partialOutOfRange: f(this.partialOutOfRange, this.partialPos),
      partialPositions: this.partialPos,
      partialRunErrors: this.partialErrors,
      partialParseFailures: this.partialParseFailures,
      meanTokensCutBack: f(this.cutTokens, this.prefixes),
      whereFinalNeInput_positions: this.fPos,
      whereFinalNeInput_execEqFinal: f(this.fExecFinal, this.fPos),
      whereFinalNeInput_execEqInput: f(this.fExecInput, this.fPos),
      wherePartialNeFinal_positions: this.dPos,
      wherePartialNeFinal_execEqPartial: f(this.dExecPartial, this.dPos),
      wherePartialNeFinal_execEqFinal: f(this.dExecFinal, this.dPos),
      wherePartialNeFinal_execEqInput: f(this.dExecInput, this.dPos),
      wherePartialNeInput_positions: this.pPos,
      wherePartialNeInput_execEqPartial: f(this.pExecPartial, this.pPos),
      wherePartialNeInput_execEqInput: f(this.pExecInput, this.pPos),
      wherePartialNeInput_execEqFinal: f(this.pExecFinal, this.pPos),
      execChangedCurrent: f(this.cPos, this.positions),
      whereExecChangedCurrent_execEqPartial: f(this.cExecPartial, this.cPos),
      whereExecChangedCurrent_execEqFinal: f(this.cExecFinal, this.cPos),
      wherePartialEqFinalNeInput_positions: this.sPos,
      wherePartialEqFinalNeInput_execEqFinal: f(this.sExecFinal, this.sPos),
      exampleExactFinal: f(this.exampleExactFinal, this.examples),
      exampleExactPartial: f(this.exampleExactPartial, this.examplesWithPartial),
    };
  }
}

class TokenAcc {
  programs = 0;
  tokens = 0;
  masked = 0;
  unmasked = 0;
  wholePrograms = 0;
  summary() {
    return {
      programs: this.programs,
      tokens: this.tokens,
      tokenAccuracyMasked: this.tokens ? +(this.masked / this.tokens).toFixed(4) : null,
      tokenAccuracyUnmasked: this.tokens ? +(this.unmasked / this.tokens).toFixed(4) : null,
      programAccuracy: this.programs ? +(this.wholePrograms / this.programs).toFixed(4) : null,
    };
  }
}

/** Accumulators by set, length group and point ('1', '2', …, 'end'). */
const accs = new Map<string, Acc>();
const tokenAccs = new Map<string, TokenAcc>();
const accOf = (key: string): Acc => {
  let a = accs.get(key);
  if (!a) accs.set(key, (a = new Acc()));
  return a;
};
const tokenAccOf = (key: string): TokenAcc => {
  let a = tokenAccs.get(key);
  if (!a) tokenAccs.set(key, (a = new TokenAcc()));
  return a;
};

/** The teacher-forced graph of training reads 64 tokens (end included): longer programs are not trained. */
let TRAIN_BODY = 63;
const lengthGroup = (n: number): string => (n <= TRAIN_BODY ? 'trained-length' : 'longer');

// ------------------------------------------------------------------ the model

const variant = lasynthVariants.find((v) => v.id === 'lasynth')!;
const files = openFolder(join(root, 'models', 'lasynth'));

interface Harness {
  readonly backend: LaSynthBackend;
  readonly nets: Required<Pick<LaSynthNets, 'encode' | 'exec'>>;
  readonly rawExec: InferenceModel['run'];
  /** The last latent the backend's exec call produced. */
  last: Float32Array | null;
  readonly rows: number;
  readonly hidden: number;
  readonly every: number;
  readonly grammar: MinicTokenGrammar;
  maxLatentDiff: number;
  latentChecks: number;
}

async function harness(): Promise<{ h: Harness; cfg: Awaited<ReturnType<typeof readLaSynthConfig>> }> {
  const cfg = await readLaSynthConfig(files, variant);
  const encode = await network(files, 'encode.onnx', ['h', 'c', 'm0', 'p0'], 1);
  const step = await network(files, 'step.onnx', ['hNext', 'cNext', 'logits', 'hpNext', 'cpNext'], 1);
  const exec = await network(files, 'exec.onnx', ['latent'], 1);
  const rawExec = exec.run.bind(exec);
  const h: Harness = {
    backend: new LaSynthBackend({ encode, step, exec }, cfg.net, variant.codec),
    nets: { encode, exec },
    rawExec,
    last: null,
    rows: cfg.net.rows,
    hidden: cfg.net.hidden,
    every: cfg.net.every,
    grammar: new MinicTokenGrammar(Number(cfg.formulationParams.maxTokens ?? 243)),
    maxLatentDiff: 0,
    latentChecks: 0,
  };
  // The backend's latent executions go through this wrapper, which keeps what they predicted.
  exec.run = async (feeds, opts) => {
    const r = await rawExec(feeds, opts);
    h.last = r.latent;
    return r;
  };
  TRAIN_BODY = cfg.net.steps - 1;
  return { h, cfg };
}

const V0 = variant.codec.streams[0].vocab;
const cellsPerTask = (h: Harness) => h.rows * LIST_LENGTH;

/** One-hot spec inputs as `encode`'s x0 for one task: [rows, L, V0]. */
function oneHotInputs(h: Harness, spec: MinicSpec): Float32Array {
  const x0 = new Float32Array(cellsPerTask(h) * V0);
  for (let r = 0; r < h.rows; r++) {
    const e = spec.examples[r % spec.examples.length];
    for (let k = 0; k < LIST_LENGTH; k++) {
      const v = e.input[k];
      const tok = v >= CONST_MIN && v <= CONST_MAX ? v - CONST_MIN : VALUES;
      x0[(r * LIST_LENGTH + k) * V0 + tok] = 1;
    }
  }
  return x0;
}

/** Latent [rows·L·VALUES] of one task as x0 [rows·L·V0] (as the backend pads it). */
function latentAsX0(h: Harness, latent: Float32Array): Float32Array {
  const x0 = new Float32Array(cellsPerTask(h) * V0);
  for (let q = 0; q < cellsPerTask(h); q++) x0.set(latent.subarray(q * VALUES, (q + 1) * VALUES), q * V0);
  return x0;
}

/** The executor's softmax for several tasks from their latent inputs (as x0) and program states hp. */
async function executor(
  h: Harness,
  x0s: readonly Float32Array[],
  s1s: readonly Int32Array[],
  hps: readonly Float32Array[],
): Promise<Float32Array> {
  const cat = <A extends Float32Array | Int32Array>(parts: readonly A[], make: (n: number) => A): A => {
    const out = make(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
  const enc = await h.nets.encode.run({
    x0: cat(x0s, (n) => new Float32Array(n)),
    s1: cat(s1s, (n) => new Int32Array(n)),
  });
  const r = await h.rawExec({ m0: enc.m0, hp: cat(hps, (n) => new Float32Array(n)) });
  return r.latent;
}

const argmaxValue = (p: Float32Array, at: number): number => {
  let best = 0;
  for (let j = 1; j < VALUES; j++) if (p[at + j] > p[at + best]) best = j;
  return best + CONST_MIN;
};

// ------------------------------------------------------------------ probing

interface PointRecord {
  /** Body tokens read. */
  readonly t: number;
  /** argmax values [rows][L]. */
  readonly pred: number[][];
  readonly maxProb: number[][];
  /** Probability of the final value / of the partial program's value, [rows][L] (NaN when none). */
  readonly pFinal: number[][];
  readonly latent: Float32Array;
}

interface Example {
  readonly task: string;
  readonly program: string;
  readonly bodyTokens: number;
  readonly example: { input: readonly number[]; output: readonly number[] };
  readonly points: { t: number; partial: string; partialOutput: number[] | string; executor: number[] }[];
}
const examples: Example[] = [];

function record(
  set: string,
  task: ProbeTask,
  label: string,
  point: PointRecord,
  current: readonly (readonly number[])[],
  end: readonly (readonly number[])[] | null,
): { partial: string; outputs: (number[] | string)[] } {
  const n = task.ids.length;
  const isEnd = label === 'end';
  const part = isEnd ? { tokens: [...task.body], cut: 0 } : completePrefix(task.body, point.t);
  const prog = isEnd ? task.program : programFromBodyTokens(part.tokens);
  const partialText = part.tokens.join(' ');
  const keys = [`${set}|all|${label}`, `${set}|${lengthGroup(n)}|${label}`];
  for (const key of keys) {
    const a = accOf(key);
    a.tasks++;
    a.prefixes++;
    a.cutTokens += part.cut;
    if (!prog) a.partialParseFailures++;
  }
  const outputs: (number[] | string)[] = [];
  // Example rows: the model's rows (point.latent holds rows × list positions), as many as the spec has.
  for (let r = 0; r < current.length && r < task.spec.examples.length; r++) {
    const ex = task.spec.examples[r];
    const run = prog ? runProgram(prog, ex.input) : null;
    const partialOut = run && run.ok ? run.output : null;
    outputs.push(partialOut ?? (run ? `error: ${run.ok ? '' : run.error}` : 'parse failure'));
    for (const key of keys) {
      const a = accOf(key);
      a.examples++;
      if (run && !run.ok) a.partialErrors++;
      let allFinal = true;
      let allPartial = true;
      for (let k = 0; k < LIST_LENGTH; k++) {
        const p = point.pred[r][k];
        const fin = ex.output[k];
        const inp = ex.input[k];
        a.positions++;
        a.confidence += point.maxProb[r][k];
        a.probFinal += Number.isNaN(point.pFinal[r][k]) ? 0 : point.pFinal[r][k];
        if (p === fin) a.execFinal++;
        else allFinal = false;
        if (p === inp) a.execInput++;
        if (p === current[r][k]) a.execCurrent++;
        else {
          a.cPos++;
          if (p === fin) a.cExecFinal++;
          if (partialOut && p === partialOut[k]) a.cExecPartial++;
        }
        if (end && p === end[r][k]) a.execEnd++;
        if (fin !== inp) {
          a.finalNeInput++;
          a.fPos++;
          if (p === fin) a.fExecFinal++;
          if (p === inp) a.fExecInput++;
        }
        if (partialOut) {
          const q = partialOut[k];
          a.partialPos++;
          if (q >= CONST_MIN && q <= CONST_MAX)
            a.probPartial += point.latent[(r * LIST_LENGTH + k) * VALUES + q - CONST_MIN];
          else a.partialOutOfRange++;
          if (p === q) a.execPartial++;
          else allPartial = false;
          if (q !== fin) a.partialNeFinal++;
          if (q !== inp) a.partialNeInput++;
          if (q !== inp) {
            a.pPos++;
            if (p === q) a.pExecPartial++;
            if (p === inp) a.pExecInput++;
            if (p === fin) a.pExecFinal++;
          }
          if (q !== fin) {
            a.dPos++;
            if (p === q) a.dExecPartial++;
            if (p === fin) a.dExecFinal++;
            if (p === inp) a.dExecInput++;
          } else if (fin !== inp) {
            a.sPos++;
            if (p === fin) a.sExecFinal++;
          }
        }
      }
      if (allFinal) a.exampleExactFinal++;
      if (partialOut) {
        a.examplesWithPartial++;
        if (allPartial) a.exampleExactPartial++;
      }
    }
  }
  return { partial: partialText, outputs };
}

function pointOf(h: Harness, t: number, latent: Float32Array, spec: MinicSpec): PointRecord {
  const pred: number[][] = [];
  const maxProb: number[][] = [];
  const pFinal: number[][] = [];
  for (let r = 0; r < h.rows; r++) {
    const e = spec.examples[r % spec.examples.length];
    pred.push([]);
    maxProb.push([]);
    pFinal.push([]);
    for (let k = 0; k < LIST_LENGTH; k++) {
      const at = (r * LIST_LENGTH + k) * VALUES;
      const v = argmaxValue(latent, at);
      pred[r].push(v);
      maxProb[r].push(latent[at + v - CONST_MIN]);
      const f = e.output[k];
      pFinal[r].push(f >= CONST_MIN && f <= CONST_MAX ? latent[at + f - CONST_MIN] : Number.NaN);
    }
  }
  return { t, pred, maxProb, pFinal, latent };
}

/** Teacher-forces one batch of tasks through the backend; records every point and the END prediction. */
async function probeBatch(h: Harness, set: string, tasks: readonly ProbeTask[]): Promise<void> {
  const { backend } = h;
  const encs = await backend.encode(tasks.map((t) => t.spec));
  const states = encs.map((e) => backend.initial(e));
  const grammar = tasks.map((): MinicGrammarState | null => h.grammar.start());
  const current = tasks.map((t) => oneHotInputs(h, t.spec));
  const currentValues = tasks.map((t) => t.spec.examples.slice(0, h.rows).map((e) => [...e.input]));
  const points = tasks.map((): PointRecord[] => []);
  const endHp: Float32Array[] = tasks.map(() => new Float32Array(0));
  const endX0: Float32Array[] = tasks.map(() => new Float32Array(0));
  const allRight = tasks.map(() => true);
  const legal = new Uint8Array(MINIC_VOCABULARY.length);
  const readerAt = 2 * h.rows * h.hidden;
  const maxLen = Math.max(...tasks.map((t) => t.ids.length));
  for (let s = 0; s <= maxLen; s++) {
    // Step s reads the start token (s = 0) or body token s − 1 and predicts token s (the end at s = n).
    const active = tasks.flatMap((t, i) => (s <= t.ids.length ? [i] : []));
    const items = active.map((i) => ({
      enc: encs[i],
      state: states[i],
      token: s === 0 ? -1 : tasks[i].ids[s - 1],
    }));
    h.last = null;
    const out = await backend.step(items);
    const executed = s > 0 && s % h.every === 0;
    if (executed !== (h.last !== null))
      throw new Error(`exec-probe: the backend executed unexpectedly at ${s}`);
    const latents = h.last as Float32Array | null;
    const per = cellsPerTask(h) * VALUES;
    // Intermediate points (s < n): check the recomputation, then record.
    const inner = executed ? active.map((i, k) => ({ i, k })).filter(({ i }) => s < tasks[i].ids.length) : [];
    if (inner.length > 0 && latents) {
      const mine = await executor(
        h,
        inner.map(({ i }) => current[i]),
        inner.map(({ i }) => encs[i].s1),
        inner.map(({ k }) => out[k].state.slice(readerAt, readerAt + h.hidden)),
      );
      inner.forEach(({ k }, j) => {
        for (let q = 0; q < per; q++)
          h.maxLatentDiff = Math.max(h.maxLatentDiff, Math.abs(mine[j * per + q] - latents[k * per + q]));
      });
      h.latentChecks += inner.length;
      for (const { i, k } of inner) {
        const lat = latents.slice(k * per, (k + 1) * per);
        points[i].push(pointOf(h, s, lat, tasks[i].spec));
        current[i] = latentAsX0(h, lat);
      }
    }
    active.forEach((i, k) => {
      const t = tasks[i];
      const target = s < t.ids.length ? t.ids[s] : END;
      const g = grammar[i]!;
      h.grammar.legal(g, legal);
      const logits = out[k].logits;
      let bm = -1;
      let bu = 0;
      for (let v = 0; v < logits.length; v++) {
        if (logits[v] > logits[bu]) bu = v;
        if (legal[v] && (bm < 0 || logits[v] > logits[bm])) bm = v;
      }
      for (const key of [`${set}|all`, `${set}|${lengthGroup(t.ids.length)}`]) {
        const a = tokenAccOf(key);
        a.tokens++;
        if (bm === target) a.masked++;
        if (bu === target) a.unmasked++;
      }
      if (bm !== target) allRight[i] = false;
      grammar[i] = h.grammar.next(g, target);
      if (grammar[i] === null) throw new Error(`exec-probe: ${t.name}: token ${s} is not legal`);
      states[i] = out[k].state;
      if (s === t.ids.length) {
        endHp[i] = out[k].state.slice(readerAt, readerAt + h.hidden);
        endX0[i] = current[i];
      }
    });
  }
  // The END prediction (what L_Exec trains): from the latent inputs in effect at the last step.
  const ends = await executor(
    h,
    endX0,
    encs.map((e) => e.s1),
    endHp,
  );
  const per = cellsPerTask(h) * VALUES;
  tasks.forEach((t, i) => {
    for (const key of [`${set}|all`, `${set}|${lengthGroup(t.ids.length)}`]) {
      const a = tokenAccOf(key);
      a.programs++;
      if (allRight[i]) a.wholePrograms++;
    }
    const end = pointOf(h, t.ids.length, ends.slice(i * per, (i + 1) * per), t.spec);
    let cur = currentValues[i];
    const shown: Example['points'] = [];
    points[i].forEach((p, j) => {
      const r = record(set, t, String(j + 1), p, cur, end.pred);
      if (set === 'test' && examples.length < 12)
        shown.push({ t: p.t, partial: r.partial, partialOutput: r.outputs[0], executor: p.pred[0] });
      cur = p.pred;
    });
    record(set, t, 'end', end, cur, end.pred);
    if (set === 'test' && examples.length < 12 && points[i].length > 0) {
      shown.push({
        t: t.ids.length,
        partial: '(whole program)',
        partialOutput: [...t.spec.examples[0].output],
        executor: end.pred[0],
      });
      examples.push({
        task: t.name,
        program: printProgram(t.program),
        bodyTokens: t.ids.length,
        example: { input: t.spec.examples[0].input, output: t.spec.examples[0].output },
        points: shown,
      });
    }
  });
}

async function probe(h: Harness, set: string, tasks: readonly ProbeTask[]): Promise<void> {
  const t0 = performance.now();
  // Batches of similar lengths waste fewer steps.
  const sorted = [...tasks].sort((a, b) => a.ids.length - b.ids.length);
  for (let i = 0; i < sorted.length; i += BATCH) {
    await probeBatch(h, set, sorted.slice(i, i + BATCH));
    const done = Math.min(i + BATCH, sorted.length);
    console.error(
      `exec-probe: ${set} ${done}/${sorted.length} programs, ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
}

// ------------------------------------------------------------------ main

function checkTasks(tasks: readonly ProbeTask[]): number {
  let bad = 0;
  for (const t of tasks)
    for (const e of t.spec.examples) {
      const r = runProgram(t.program, e.input);
      if (!r.ok || r.output.some((v, k) => v !== e.output[k])) bad++;
    }
  return bad;
}

const pct = (x: number | null): string => (x === null ? '   -' : (100 * x).toFixed(1).padStart(5));

function table(set: string, group: string): string[] {
  const labels = [...accs.keys()]
    .filter((k) => k.startsWith(`${set}|${group}|`))
    .map((k) => k.split('|')[2])
    .sort((a, b) => (a === 'end' ? 1 : b === 'end' ? -1 : Number(a) - Number(b)));
  const lines = [
    `${set} / ${group}: % of list positions where the executor's argmax = final / input / current latent inputs (cur) / partial program / END prediction;`,
    `  P≠I: among positions where partial ≠ input; P≠F: where partial ≠ final; chg: where the argmax ≠ cur (share of all, then = partial, = final); cut: tokens cut back`,
    'point tasks   pos =final =input   =cur =part  =end | fin≠in p≠fin  p≠in | P≠I:=part  =in  =fin | P≠F:=part =fin   =in | chg:   %  =part =fin | cut  maxP',
  ];
  for (const l of labels) {
    const s = accOf(`${set}|${group}|${l}`).summary();
    lines.push(
      [
        l.padStart(5),
        String(s.tasks).padStart(5),
        String(s.positions).padStart(5),
        pct(s.execEqFinal).padStart(6),
        pct(s.execEqInput).padStart(6),
        pct(s.execEqCurrentLatent).padStart(6),
        pct(s.execEqPartial).padStart(5),
        pct(s.execEqEndPrediction).padStart(5),
        '|',
        pct(s.finalNeInput).padStart(6),
        pct(s.partialNeFinal).padStart(5),
        pct(s.partialNeInput).padStart(5),
        '|',
        pct(s.wherePartialNeInput_execEqPartial).padStart(9),
        pct(s.wherePartialNeInput_execEqInput).padStart(5),
        pct(s.wherePartialNeInput_execEqFinal).padStart(5),
        '|',
        pct(s.wherePartialNeFinal_execEqPartial).padStart(9),
        pct(s.wherePartialNeFinal_execEqFinal).padStart(5),
        pct(s.wherePartialNeFinal_execEqInput).padStart(5),
        '|',
        pct(s.execChangedCurrent).padStart(8),
        pct(s.whereExecChangedCurrent_execEqPartial).padStart(5),
        pct(s.whereExecChangedCurrent_execEqFinal).padStart(5),
        '|',
        (s.meanTokensCutBack ?? 0).toFixed(1).padStart(4),
        (s.meanMaxProb ?? 0).toFixed(2).padStart(5),
      ].join(' '),
    );
  }
  return lines;
}

async function main(): Promise<void> {
  registerBuiltins();
  const started = performance.now();
  const load = [loadavg()];
  const { h, cfg } = await harness();
  let t0 = performance.now();
  const test = testTasks();
  const taskSeconds = (performance.now() - t0) / 1000;
  const badTest = checkTasks(test);
  const whole = wholeProgramDomain(tokenDomain(variant, cfg.formulationParams), cfg.net.steps);
  const rng = new Rng('exec-probe/stream/1');
  t0 = performance.now();
  const stream = Array.from({ length: STREAM }, (_, i) => {
    const s = whole.sampleTask(rng).spec;
    const names = s.tokens.slice(0, -1).map((x) => MINIC_VOCABULARY[x]);
    const program = programFromBodyTokens(names);
    if (!program) throw new Error('exec-probe: a stream program does not parse');
    return probeTask(`stream-${i}`, s.spec as MinicSpec, program);
  });
  const streamSeconds = (performance.now() - t0) / 1000;
  const badStream = checkTasks(stream);
  console.error(
    `exec-probe: ${test.length} test tasks (${taskSeconds.toFixed(1)} s), ${stream.length} stream programs (${streamSeconds.toFixed(1)} s); programs not reproducing their examples: ${badTest}, ${badStream}`,
  );
  await probe(h, 'test', test);
  await probe(h, 'stream', stream);
  load.push(loadavg());

  const lines: string[] = [];
  for (const [set, group] of [
    ['test', 'all'],
    ['test', 'trained-length'],
    ['test', 'longer'],
    ['stream', 'all'],
  ])
    if ([...accs.keys()].some((k) => k.startsWith(`${set}|${group}|`))) lines.push(...table(set, group), '');
  lines.push('next-token argmax (grammar-masked) = ground-truth token (harness check):');
  for (const [k, a] of [...tokenAccs.entries()].sort()) {
    const s = a.summary();
    lines.push(
      `  ${k.padEnd(22)} programs ${String(s.programs).padStart(4)}  tokens ${String(s.tokens).padStart(6)}  token acc ${pct(s.tokenAccuracyMasked)} % (unmasked ${pct(s.tokenAccuracyUnmasked)} %)  whole program ${pct(s.programAccuracy)} %`,
    );
  }
  for (const set of ['test', 'stream']) {
    const all = [...accs.entries()].filter(([k]) => k.startsWith(`${set}|all|`) && !k.endsWith('|end'));
    const sum = (f: (a: Acc) => number) => all.reduce((n, [, a]) => n + f(a), 0);
    lines.push(
      `partial programs (${set}): ${sum((a) => a.prefixes)} prefixes, ${sum((a) => a.partialParseFailures)} that do not parse, ${sum((a) => a.partialErrors)} example runs that fail, ${sum((a) => a.partialOutOfRange)} positions out of [−4, 4]`,
    );
  }
  lines.push(
    `recomputed executor vs backend's: max |Δ softmax| ${h.maxLatentDiff.toExponential(2)} over ${h.latentChecks} execution points`,
  );
  console.log(lines.join('\n'));

  const lengths = (ts: readonly ProbeTask[]) => {
    const n = ts.map((t) => t.ids.length).sort((a, b) => a - b);
    return {
      min: n[0],
      median: n[Math.floor(n.length / 2)],
      max: n[n.length - 1],
      mean: +(n.reduce((a, b) => a + b, 0) / n.length).toFixed(1),
      trainedLength: n.filter((x) => x <= TRAIN_BODY).length,
    };
  };
  const result = {
    command: `nice -n 10 npx tsx bench/seq-minic/exec-probe.ts ${argv.join(' ')}`.trim(),
    model: 'models/lasynth',
    net: cfg.net,
    settings: {
      testTasks: FILE
        ? { file: FILE, n: test.length }
        : { generated: 'data minic --train 0 --val 0', test: N, seed: SEED },
      programs: RAW
        ? 'as generated'
        : 'simplified as the training stream does (examples and tests as inputs)',
      streamPrograms: STREAM,
      batch: BATCH,
      onnxThreads: 1,
      executionEvery: h.every,
      trainedBodyTokens: TRAIN_BODY,
      partialProgram:
        'first t body tokens cut back to the last complete statement (`;` outside parentheses or `}`), open blocks closed',
    },
    lengths: { test: lengths(test), stream: lengths(stream) },
    checks: {
      testProgramsNotReproducingExamples: badTest,
      streamProgramsNotReproducingExamples: badStream,
      maxLatentDiffRecomputedVsBackend: h.maxLatentDiff,
      latentChecks: h.latentChecks,
    },
    tokenAgreement: Object.fromEntries([...tokenAccs.entries()].sort().map(([k, a]) => [k, a.summary()])),
    points: Object.fromEntries([...accs.entries()].sort().map(([k, a]) => [k, a.summary()])),
    examples,
    table: lines,
    seconds: +((performance.now() - started) / 1000).toFixed(1),
    loadavg: load,
  };
  writeFileAtomic(OUT, JSON.stringify(result, null, 2) + '\n');
  console.error(`exec-probe: wrote ${OUT} (${result.seconds} s)`);
}

await main();
