import { describe, expect, it } from 'vitest';
import { gradients } from './autodiff.js';
import { Graph } from './graph.js';
import { softmaxCrossEntropy } from './losses.js';
import { exportModel } from './onnx-export.js';
import { Session, rtTensor } from './runtime.js';
import './runtime-node.js';

describe('masked softmax cross-entropy', () => {
  it('gives illegal actions probability 0 and no gradient', async () => {
    const g = new Graph();
    const logits = g.input('logits', ['batch', 4]);
    const y = g.input('y', ['batch'], 'int32');
    const legal = g.input('legal', ['batch', 4]);
    const loss = softmaxCrossEntropy(logits, y, legal);
    const [gl] = gradients(loss, [logits]);
    const s = await Session.create(exportModel({ outputs: { loss, gl } }).bytes, { threads: 1 });
    const res = await s.run({
      logits: rtTensor('float32', Float32Array.from([1, 50, 2, 3, 0, 0, 0, 0]), [2, 4]),
      y: rtTensor('int32', Int32Array.from([0, 3]), [2]),
      legal: rtTensor('float32', Float32Array.from([1, 0, 1, 0, 1, 1, 1, 1]), [2, 4]),
    });
    // Row 0: only actions 0 and 2 are legal, so the huge illegal logit 50 must not matter.
    const l0 = Math.log(1 + Math.exp(1));
    const l1 = Math.log(4);
    expect(Number(res.loss.data[0])).toBeCloseTo((l0 + l1) / 2, 5);
    const grad = res.gl.data as Float32Array;
    expect(grad[1]).toBe(0);
    expect(grad[3]).toBe(0);
    expect(grad[0]).toBeCloseTo((1 / (1 + Math.exp(1)) - 1) / 2, 5);
    await s.release();
  });
});
