/** The two benchmark models written in @tensorflow/tfjs (cpu backend), for a side-by-side step time. */
import * as tf from '@tensorflow/tfjs';
import type { Cnn4Options } from '../../src/nn/zoo/cnn4.js';
import type { StringPolicyOptions } from '../../src/nn/zoo/string-policy.js';

type Vars = Record<string, tf.Variable>;

function v(vars: Vars, name: string, shape: number[], std: number): tf.Variable {
  if (!vars[name]) vars[name] = tf.variable(tf.randomNormal(shape, 0, std, 'float32', 7), true, name);
  return vars[name];
}

/** The CNN in NHWC (tfjs cpu's native conv layout). */
export function tfCnn(o: Cnn4Options): { vars: Vars; forward: (x: tf.Tensor4D) => tf.Tensor2D } {
  const vars: Vars = {};
  const forward = (x: tf.Tensor4D): tf.Tensor2D => {
    let h: tf.Tensor4D = x;
    let c = o.channels;
    o.filters.forEach((f, i) => {
      const w = v(vars, `w${i}`, [3, 3, c, f], Math.sqrt(2 / (9 * c))) as tf.Variable<tf.Rank.R4>;
      h = tf.relu(
        tf.add(tf.conv2d(h, w, o.downsample === 'stride' ? 2 : 1, 'same'), v(vars, `b${i}`, [f], 0)),
      ) as tf.Tensor4D;
      if (o.downsample === 'max') h = tf.maxPool(h, 2, 2, 'valid');
      c = f;
    });
    const flat = tf.reshape(h, [h.shape[0], -1]) as tf.Tensor2D;
    const z = tf.relu(
      tf.add(
        tf.matMul(flat, v(vars, 'fc', [flat.shape[1], o.hidden], 0.05) as tf.Variable<tf.Rank.R2>),
        v(vars, 'fcb', [o.hidden], 0),
      ),
    );
    return tf.add(
      tf.matMul(z, v(vars, 'out', [o.hidden, o.classes], 0.05) as tf.Variable<tf.Rank.R2>),
      v(vars, 'outb', [o.classes], 0),
    ) as tf.Tensor2D;
  };
  return { vars, forward };
}

export function tfStringPolicy(o: StringPolicyOptions): {
  vars: Vars;
  forward: (b: Record<string, tf.Tensor>) => tf.Tensor2D;
} {
  const vars: Vars = {};
  const forward = (b: Record<string, tf.Tensor>): tf.Tensor2D => {
    const n = b.last.shape[0];
    const E = o.examples;
    const emb = tf.gather(v(vars, 'char', [o.vocab, o.charEmbed], 0.2), b.chars); // [n,E,S,P,d]
    const perPos = tf.reshape(tf.transpose(emb, [0, 1, 3, 2, 4]), [
      n * E,
      o.positions,
      o.slots * o.charEmbed,
    ]);
    const masks = tf.reshape(tf.transpose(b.masks, [0, 1, 3, 2]), [n * E, o.positions, o.maskRows]);
    const feats = tf.concat([perPos, masks], 2) as tf.Tensor3D; // NWC
    const cw = v(vars, 'conv', [o.kernel, feats.shape[2], o.conv], 0.05) as tf.Variable<tf.Rank.R3>;
    let h = tf.reshape(tf.relu(tf.add(tf.conv1d(feats, cw, 1, 'same'), v(vars, 'convb', [o.conv], 0))), [
      n * E,
      -1,
    ]) as tf.Tensor2D;
    for (let i = 0; i < o.denseLayers; i++) {
      const w = v(vars, `d${i}`, [h.shape[1], o.growth], 0.05) as tf.Variable<tf.Rank.R2>;
      h = tf.concat(
        [h, tf.relu(tf.add(tf.matMul(h, w), v(vars, `db${i}`, [o.growth], 0))) as tf.Tensor2D],
        1,
      );
    }
    const pooled = tf.max(tf.reshape(h, [n, E, h.shape[1]]), 1) as tf.Tensor2D;
    const body = tf.concat(
      [pooled, tf.gather(v(vars, 'last', [o.actions + 1, o.actionEmbed], 0.2), b.last) as tf.Tensor2D],
      1,
    );
    return tf.add(
      tf.matMul(body, v(vars, 'policy', [body.shape[1], o.actions], 0.05) as tf.Variable<tf.Rank.R2>),
      v(vars, 'policyb', [o.actions], 0),
    ) as tf.Tensor2D;
  };
  return { vars, forward };
}

/** Times one Adam training step (after a first step that creates the variables). */
export async function tfTrainStepMs(
  forward: () => tf.Tensor2D,
  labels: tf.Tensor1D,
  classes: number,
): Promise<number> {
  const opt = tf.train.adam(1e-3);
  const lossFn = () => tf.losses.softmaxCrossEntropy(tf.oneHot(labels, classes), forward()) as tf.Scalar;
  tf.tidy(() => forward()); // creates the variables outside the timed step
  const t0 = performance.now();
  const l = opt.minimize(lossFn, true);
  await l?.data();
  l?.dispose();
  return performance.now() - t0;
}
