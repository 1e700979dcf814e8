/**
 * Finite-difference gradient check of the whole LaSynth training loss (token NLL + L_Exec + L_Op) with
 * tiny sizes and K = 6, so the gradient flows through two latent executions (softmax → soft
 * embedding → re-encoding), the end-of-program executor gather, the op predictor and self-attention.
 */
import { describe, expect, it } from 'vitest';
import { registerBuiltins } from '../../src/builtins.js';
import { Rng } from '../../src/core/index.js';
import { lasynthBatch } from '../../src/models/seq/lasynth/batch.js';
import { lasynthNet } from '../../src/models/seq/lasynth/net.js';
import { lasynthOptions, lasynthVariant } from '../../src/models/seq/lasynth/variants.js';
import { tokenDomain } from '../../src/models/seq/store.js';
import { wholeProgramDomain } from '../../src/models/seq/whole.js';
import { BuildContext, ParamStore, type Tensor } from '../../src/nn/build.js';
import { gradCheck } from '../../src/nn/gradcheck.js';
import type { NDArray } from '../../src/nn/ops/ndarray.js';
import '../../src/nn/runtime-node.js';

registerBuiltins();

describe('LaSynth: gradient check', () => {
  it('the training loss through two latent executions matches finite differences', async () => {
    const v = lasynthVariant('lasynth');
    const tokens = tokenDomain(v, {});
    const sizes = { hidden: 4, embed: 3, attention: 3, steps: 18 };
    const net = lasynthOptions(v, sizes, tokens.actionSpace.size, { every: 6 });
    // A program of more than 12 tokens (two executions at every 6); the stream is simplified, so the
    // first draws may be shorter.
    const whole = wholeProgramDomain(tokens, sizes.steps);
    const rng = new Rng('lasynth-grad');
    let task = whole.sampleTask(rng).spec;
    for (let i = 0; i < 200 && task.tokens.length <= 12; i++) task = whole.sampleTask(rng).spec;
    expect(task.tokens.length).toBeGreaterThan(12);
    const feeds0 = lasynthBatch(v, tokens.grammar, net, [task]);
    const store = new ParamStore(new Rng('lasynth-grad'));
    const ctx = new BuildContext(store, true);
    const loss = lasynthNet(v.id, net).training(ctx).loss!;
    const feeds = new Map<Tensor, NDArray>();
    for (const t of ctx.graph.inputs) {
      const p = ctx.params.has(t.name) ? store.values.get(t.name) : undefined;
      if (p) feeds.set(t, { shape: [...p.shape], data: Float64Array.from(p.data) });
      else {
        const d = feeds0[t.name];
        const shape = t.shape.map((s) => (typeof s === 'number' ? s : 1));
        feeds.set(t, { shape, data: Float64Array.from(d as ArrayLike<number>) });
      }
    }
    const pick = [
      'exec.out.w',
      'exec.prog.w',
      'exec.reader.x.w',
      'op.keys',
      'op.values',
      'dec.self.q.w',
      'enc0.emb.table',
      'enc1.x.w',
    ];
    const wrt = pick.map((n) => {
      const t = ctx.params.get(n);
      if (!t) throw new Error(`no parameter ${n}: ${[...ctx.params.keys()].join(', ')}`);
      return t;
    });
    const res = await gradCheck({ loss, wrt, feeds }, { samples: 6 });
    expect(res.lossErr).toBeLessThan(1e-4);
    expect(res.worst).toBeLessThan(1e-3);
  }, 300_000);
});
