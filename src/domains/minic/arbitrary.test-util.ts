/**
 * fast-check arbitraries for minic: any program of the language (not only the generator's style),
 * built by the rules of dsl.ts (declared variables, at most 2 operations per expression, 5 only in a
 * loop bound, loop variables not assigned in their loop, break/continue in loops, no empty block).
 */
import fc from 'fast-check';
import {
  ASSIGN_OPS,
  CMP_OPS,
  CONST_MAX,
  CONST_MIN,
  LIST_LENGTH,
  MAX_LOCALS,
  MAX_OPS,
  MAX_PROGRAM_TOKENS,
  tokenCount,
  type Expr,
  type Program,
  type Stmt,
  type Target,
} from './dsl.js';

interface Ctx {
  readonly locals: number;
  readonly inLoop: boolean;
  readonly active: number;
  readonly depth: number;
}

const arbBinOp = fc.constantFrom('+' as const, '-' as const);

/** An expression with at most `ops` operations (indices nest at most `nest` deep). */
export function arbExpr(locals: number, ops: number, allow5 = false, nest = 2): fc.Arbitrary<Expr> {
  const atoms: fc.Arbitrary<Expr>[] = [
    fc.integer({ min: CONST_MIN, max: allow5 ? LIST_LENGTH : CONST_MAX }).map((v) => ({ k: 'num', v })),
  ];
  if (locals > 0) atoms.push(fc.integer({ min: 0, max: locals - 1 }).map((v) => ({ k: 'var', v })));
  if (nest > 0) atoms.push(arbExpr(locals, ops, false, nest - 1).map((i): Expr => ({ k: 'at', i })));
  const atom = fc.oneof(...atoms);
  if (ops === 0) return atom;
  const binary = fc.integer({ min: 0, max: ops - 1 }).chain((left) =>
    fc.record({
      k: fc.constant('bin' as const),
      op: arbBinOp,
      l: arbExpr(locals, left, allow5, nest),
      r: arbExpr(locals, ops - 1 - left, allow5, nest),
    }),
  );
  return fc.oneof({ weight: 2, arbitrary: atom }, { weight: 3, arbitrary: binary });
}

const assignable = (ctx: Ctx): number[] =>
  Array.from({ length: ctx.locals }, (_, v) => v).filter((v) => (ctx.active & (1 << v)) === 0);

function arbTarget(ctx: Ctx): fc.Arbitrary<Target> {
  const cell = arbExpr(ctx.locals, MAX_OPS).map((i): Target => ({ k: 'at', i }));
  const vars = assignable(ctx);
  return vars.length
    ? fc.oneof(
        cell,
        fc.constantFrom(...vars).map((v): Target => ({ k: 'var', v })),
      )
    : cell;
}

function arbBlock(ctx: Ctx): fc.Arbitrary<Stmt[]> {
  return fc.array(arbStmt(ctx), { minLength: 1, maxLength: ctx.depth > 1 ? 2 : 3 });
}

export function arbStmt(ctx: Ctx): fc.Arbitrary<Stmt> {
  const e = (allow5 = false) => arbExpr(ctx.locals, MAX_OPS, allow5);
  const kinds: fc.Arbitrary<Stmt>[] = [
    fc.record({
      k: fc.constant('set' as const),
      op: fc.constantFrom(...ASSIGN_OPS),
      target: arbTarget(ctx),
      e: e(),
    }),
    fc.record({
      k: fc.constant('step' as const),
      op: fc.constantFrom('++' as const, '--' as const),
      target: arbTarget(ctx),
    }),
  ];
  if (ctx.inLoop) kinds.push(fc.constantFrom<Stmt>({ k: 'break' }, { k: 'continue' }));
  if (ctx.depth < 3) {
    const inner = { ...ctx, depth: ctx.depth + 1 };
    kinds.push(
      fc.record({
        k: fc.constant('if' as const),
        c: fc.record({ op: fc.constantFrom(...CMP_OPS), l: e(), r: e() }),
        then: arbBlock(inner),
        else: fc.option(arbBlock(inner), { nil: null }),
      }),
    );
    const vars = assignable(ctx);
    if (vars.length)
      kinds.push(
        fc.constantFrom(...vars).chain((v) =>
          fc.record({
            k: fc.constant('for' as const),
            v: fc.constant(v),
            lo: e(),
            hi: e(true),
            body: arbBlock({ ...inner, inLoop: true, active: ctx.active | (1 << v) }),
          }),
        ),
      );
  }
  return fc.oneof(...kinds);
}

/** Any program of the language within the token limit. */
export const arbProgram: fc.Arbitrary<Program> = fc
  .array(fc.integer({ min: CONST_MIN, max: CONST_MAX }), { maxLength: MAX_LOCALS })
  .chain((locals) =>
    fc
      .array(arbStmt({ locals: locals.length, inLoop: false, active: 0, depth: 0 }), { maxLength: 4 })
      .map((body): Program => ({ locals, body })),
  )
  .filter((p) => tokenCount(p) <= MAX_PROGRAM_TOKENS);

/** A list of 5 ints: mostly small, sometimes at the edges of 32 bits. */
export const arbInput: fc.Arbitrary<number[]> = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: CONST_MIN, max: CONST_MAX }) },
    { weight: 1, arbitrary: fc.constantFrom(2 ** 31 - 1, -(2 ** 31), 2 ** 30, -(2 ** 30) - 1) },
  ),
  { minLength: LIST_LENGTH, maxLength: LIST_LENGTH },
);
