/** fast-check generators of programs and inputs shared by the strings property tests. */
import fc from 'fast-check';
import {
  BOUNDARIES,
  BRANCHES,
  CASES,
  NUM_PREDS,
  PAD_FILLS,
  TEXT_PREDS,
  type Pred,
  INDEX_MAX,
  INDEX_MIN,
  POS_MAX,
  POS_MIN,
  type Expr,
  type Op,
  type Program,
  type Source,
} from './dsl.js';
import { CHARACTERS, DELIMITERS, NUM_ALL_REGEXES, NUM_REGEXES, NUM_TYPES } from './regex.js';

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

// ------------------------------------------------------------------ rich mode

const anyRegex = fc.integer({ min: 0, max: NUM_ALL_REGEXES - 1 });
const anyType = fc.oneof(type, fc.integer({ min: NUM_REGEXES, max: NUM_ALL_REGEXES - 1 }));

/** Text biased towards numbers, accented words and the predicates' texts. */
export const arbRichText: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.constantFrom(...CHARACTERS),
      fc.constantFrom('12', '007', '-3', '1234567', '3.14159', '0.5', ' 42 ', '+7', '.25', '1e5'),
      fc.constantFrom('José', 'ÉCOLE', 'müller', 'Ñandú', 'Inc', 'inc', 'N/A', ''),
    ),
    { maxLength: 6 },
  )
  .map((a) => a.join(''));

export const arbPred: fc.Arbitrary<Pred> = fc.oneof(
  anyRegex.map((r): Pred => ({ p: 'Has', r })),
  anyType.map((t): Pred => ({ p: 'Is', t })),
  fc.constant<Pred>({ p: 'IsEmpty' }),
  fc
    .tuple(
      fc.constantFrom(...TEXT_PREDS),
      fc.oneof(arbRichText, fc.constantFrom('Inc', 'é', '1', 'n/a')),
      fc.boolean(),
    )
    .map(([p, text, ci]): Pred => ({ p, text, ci })),
  fc
    .tuple(fc.constantFrom(...NUM_PREDS), fc.integer({ min: -100, max: 2000 }))
    .map(([p, n]): Pred => ({ p, n })),
);

export const arbRichOp: fc.Arbitrary<Op> = fc.oneof(
  fc
    .tuple(arbPred, fc.integer({ min: 0, max: 3 }), fc.constantFrom(...BRANCHES))
    .map(([pred, col, keep]): Op => ({ op: 'If', pred, col, keep })),
  arbPred.map((pred): Op => ({ op: 'Test', pred })),
  fc.constant<Op>({ op: 'Len' }),
  anyRegex.map((r): Op => ({ op: 'Count', r })),
  anyRegex.map((r): Op => ({ op: 'Find', r })),
  fc.integer({ min: -10, max: 10 }).map((n): Op => ({ op: 'Add', n })),
  fc
    .tuple(fc.integer({ min: 1, max: 12 }), fc.constantFrom(...PAD_FILLS))
    .map(([width, fill]): Op => ({ op: 'Pad', width, fill })),
  fc.integer({ min: 0, max: 4 }).map((d): Op => ({ op: 'Fixed', d })),
  fc.integer({ min: 0, max: 3 }).map((d): Op => ({ op: 'Round', d })),
  fc.constant<Op>({ op: 'Thousands' }),
  // Paper ops over the Unicode types.
  fc.tuple(anyType, idx).map(([t, i]): Op => ({ op: 'GetToken', t, i })),
  anyType.map((t): Op => ({ op: 'GetAll', t })),
);

export const arbRichExpr: fc.Arbitrary<Expr> = fc.record({
  source: fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0, max: 2 }).map((col): Source => ({ src: 'input', col })) },
    { weight: 1, arbitrary: arbRichText.map((value): Source => ({ src: 'const', value })) },
  ),
  ops: fc.array(fc.oneof(arbOp, arbRichOp, arbRichOp), { maxLength: 3 }),
});
export const arbRichProgram: fc.Arbitrary<Program> = fc.record({
  exprs: fc.array(arbRichExpr, { minLength: 1, maxLength: 4 }),
});
export const arbRichRow: fc.Arbitrary<string[]> = fc.array(arbRichText, { minLength: 1, maxLength: 3 });
