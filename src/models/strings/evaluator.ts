import { FlatEvaluator, maskedLogSoftmax, type FlatScores } from '../../core/index.js';
import { CHAR_VOCAB, SLOTS, type StringsDomain, type StringsState } from '../../domains/strings/index.js';
import type { InferenceModel } from '../../nn/build.js';
import { defaultStringsNetOptions, type StringsNetOptions } from './net.js';

/** Network sizes that fit a strings domain instance (its action table and feature window). */
export function netOptionsFor(domain: StringsDomain): StringsNetOptions {
  const shapes = domain.features!.shapes;
  return {
    ...defaultStringsNetOptions,
    examples: shapes.chars[0],
    window: shapes.chars[2],
    slots: SLOTS,
    maskRows: shapes.masks[1],
    vocab: CHAR_VOCAB,
    actions: domain.actionSpace.size,
    actionTypes: domain.table.phaseNames.length,
  };
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/**
 * π and v from the strings network: one batched forward pass per evaluate() call, whatever the
 * population size (split into chunks to bound memory).
 */
export class NeuralEvaluator extends FlatEvaluator<StringsState> {
  constructor(
    readonly strings: StringsDomain,
    readonly model: InferenceModel,
    readonly chunk = 512,
  ) {
    super('neural', strings, (states) => this.scores(states));
  }

  // Searches ask for v of children and then π of the same states one step later: one forward pass
  // gives both, so results are kept per (immutable) state object until it is garbage.
  private readonly cache = new WeakMap<StringsState, FlatScores>();

  async scores(states: readonly StringsState[]): Promise<FlatScores[]> {
    const A = this.strings.actionSpace.size;
    const todo = states.filter((s) => !this.cache.has(s));
    if (todo.length > 0) {
      const out = await this.model.run(this.strings.features!.encode(todo), { chunk: this.chunk });
      todo.forEach((s, i) =>
        this.cache.set(s, {
          logits: out.logits.slice(i * A, (i + 1) * A),
          value: sigmoid(out.valueLogit[i]),
        }),
      );
    }
    return states.map((s) => this.cache.get(s)!);
  }

  logPolicy(state: StringsState, logits: Float32Array): Float64Array {
    return maskedLogSoftmax(logits, this.strings.legalMask!(state));
  }
}
