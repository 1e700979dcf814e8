/** fast-check generators of programs and inputs shared by the strings property tests. */
import fc from 'fast-check';
import {
  BOUNDARIES,
  CASES,
  INDEX_MAX,
  INDEX_MIN,
  POS_MAX,
  POS_MIN,
  type Expr,
  type Op,
  type Program,
  type Source,
} from './dsl.js';
import { CHARACTERS, DELIMITERS, NUM_REGEXES, NUM_TYPES } from './regex.js';

const idx = fc.integer({ min: INDEX_MIN, max: INDEX_MAX });
const pos = fc.integer({ min: POS_MIN, max: POS_MAX });
const type = fc.integer({ min: 0, max: NUM_TYPES - 1 });
const regex = fc.integer({ min: 0, max: NUM_REGEXES - 1 });
const delim = fc.constantFrom(...DELIMITERS);

export const arbOp: fc.Arbitrary<Op> = fc.oneof(
  fc.constantFrom(...CASES).map((c): Op => ({ op: 'ToCase', c })),
  fc.tuple(delim, fc.oneof(delim, fc.constant(''))).map(([from, to]): Op => ({ op: 'Replace', from, to })),
  fc.tuple(pos, pos).map(([k1, k2]): Op => ({ op: 'SubStr', k1, k2 })),
  fc.tuple(type, idx).map(([t, i]): Op => ({ op: 'GetToken', t, i })),
  regex.map((r): Op => ({ op: 'GetUpTo', r })),
  regex.map((r): Op => ({ op: 'GetFrom', r })),
  fc.tuple(type, idx).map(([t, i]): Op => ({ op: 'GetFirst', t, i })),
  type.map((t): Op => ({ op: 'GetAll', t })),
  fc
    .tuple(regex, idx, fc.constantFrom(...BOUNDARIES), regex, idx, fc.constantFrom(...BOUNDARIES))
    .map(([r1, i1, b1, r2, i2, b2]): Op => ({ op: 'GetSpan', r1, i1, b1, r2, i2, b2 })),
  fc.constant<Op>({ op: 'Trim' }),
);

/** Text biased towards what the regexes care about: letters of both cases, digits, delimiters. */
export const arbText: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.constantFrom(...CHARACTERS),
      fc.constantFrom(...DELIMITERS),
      fc.constantFrom('Ab', 'abc', 'XY', '12', '7', ' ', 'Hello', 'é', '\n'),
    ),
    { maxLength: 24 },
  )
  .map((a) => a.join(''));

const arbSource: fc.Arbitrary<Source> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Source>({ src: 'input', col: 0 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 }).map((col): Source => ({ src: 'input', col })) },
  { weight: 1, arbitrary: arbText.map((value): Source => ({ src: 'const', value })) },
);

export const arbExpr: fc.Arbitrary<Expr> = fc.record({
  source: arbSource,
  ops: fc.array(arbOp, { maxLength: 3 }),
});
export const arbProgram: fc.Arbitrary<Program> = fc.record({ exprs: fc.array(arbExpr, { maxLength: 6 }) });
export const arbRow: fc.Arbitrary<string[]> = fc.array(arbText, { minLength: 1, maxLength: 3 });
