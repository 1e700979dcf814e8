/**
 * The interpreter against gcc on 10,000 programs (`--quick`: 1,000): dataset tasks, unfiltered
 * generator programs and random walks of the token grammar, each on its inputs (small lists and lists
 * at the edges of 32 bits), compiled with gcc -O2 -fwrapv in batches. Every output must agree: the
 * result lists the mismatches (there must be none). Inputs the interpreter calls out of bounds are
 * not compared (undefined behaviour in C); 100 of them run under AddressSanitizer, which must catch
 * every one.
 */
import {
  differentialCases,
  gccVersion,
  runDifferential,
} from '../../src/domains/minic/gcc-harness.test-util.js';
import type { BenchContext } from '../run.js';

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  const version = gccVersion();
  if (!version) throw new Error('minic-gcc: gcc is not installed (apt-get install -y gcc)');
  const n = ctx.args.includes('--quick') ? 1000 : 10_000;
  const t0 = performance.now();
  const cases = differentialCases(n, 14);
  const generateSeconds = (performance.now() - t0) / 1000;
  const r = runDifferential(cases, { batch: 1000, sanitize: 100, opt: '-O2' });
  const bySource: Record<string, number> = {};
  for (const c of cases) bySource[c.source] = (bySource[c.source] ?? 0) + 1;
  const out = {
    gcc: version,
    flags: '-O2 -fwrapv (AddressSanitizer run: -O0 -fsanitize=address)',
    programs: r.programs,
    bySource,
    runsCompared: r.runs,
    mismatches: r.mismatches.length,
    firstMismatches: r.mismatches.slice(0, 5),
    skippedIndexErrors: r.skippedIndex,
    skippedStepLimit: r.skippedSteps,
    sanitizerRuns: r.sanitized,
    sanitizerCaught: r.sanitizerCaught,
    generateSeconds: Number(generateSeconds.toFixed(2)),
    gccSeconds: Number(r.gccSeconds.toFixed(2)),
  };
  console.log(out);
  if (r.mismatches.length > 0) console.error(`minic-gcc: ${r.mismatches.length} mismatches`);
  return out;
}
