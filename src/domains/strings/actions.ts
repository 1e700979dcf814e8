/**
 * The flat action table: one action = one argument of one operation, as in the paper (482 actions in
 * paper mode, in the original ALL_BUTTS order). Extended mode appends its actions after the paper's,
 * so paper indices keep their meaning. A new operation is one more `Family` here plus its semantics in
 * interpreter.ts; the REPL itself only walks families and phases.
 */
import {
  BOUNDARIES,
  BRANCHES,
  CASES,
  INDEX_MAX,
  INDEX_MIN,
  PAD_FILLS,
  POS_MAX,
  POS_MIN,
  TEXT_PREDS,
  printPred,
  type Boundary,
  type Branch,
  type CaseName,
  type NumPredName,
  type Op,
  type PadFill,
  type Pred,
  type Program,
  type Source,
  type TextPredName,
} from './dsl.js';
import { SPEC_CONSTS, SPEC_TEXTS, specConstants, specTexts } from './proposals.js';
import { CHARACTERS, DELIMITERS, NUM_ALL_REGEXES, NUM_REGEXES, NUM_TYPES, regexName } from './regex.js';
import type { StringsSpec } from './repl.js';

export type Arg = number | string;

/** What an action does once all its phases are given. */
export type ActionKind = 'op' | 'source' | 'commit';

export interface ActionEntry {
  readonly index: number;
  /** Readable name, e.g. `GetToken1(Word)`, `Const("a")`. */
  readonly name: string;
  /** Phase name, e.g. `GetToken1`: the "action type" fed to the network as the last action. */
  readonly phaseName: string;
  /** Index of phaseName in ActionTable.phaseNames. */
  readonly type: number;
  readonly family: Family;
  /** 0-based phase within the family. */
  readonly phase: number;
  readonly arg: Arg;
  /** A spec-dependent argument: legal only when the spec proposes slot k (rich mode). */
  readonly slot?: { readonly kind: 'const' | 'text'; readonly k: number };
}

export interface Family {
  readonly id: string;
  readonly kind: ActionKind;
  /** Argument values of each phase. */
  readonly phases: readonly (readonly Arg[])[];
  /** How an argument prints inside an action name. */
  readonly label: (arg: Arg, phase: number) => string;
  /** The op (kind 'op') or source value (kind 'source') built from all the phase arguments. */
  readonly build: (
    args: readonly Arg[],
  ) => Op | { src: 'input'; col: number } | { src: 'const'; value: string } | null;
  /** Families with spec-dependent arguments build through the spec instead (rich mode). */
  readonly resolve?: (args: readonly Arg[], spec: StringsSpec) => Op | Source | null;
}

export interface ActionTable {
  readonly size: number;
  readonly entries: readonly ActionEntry[];
  readonly phaseNames: readonly string[];
  readonly byName: ReadonlyMap<string, number>;
  readonly commit: number;
  /** Rich mode: some actions name spec-proposed constants (legal only when proposed). */
  readonly slots: boolean;
}

const range = (lo: number, hi: number): number[] => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
const INDEXES = range(INDEX_MIN, INDEX_MAX);
const POSITIONS = range(POS_MIN, POS_MAX);
const TYPES = range(0, NUM_TYPES - 1);
const REGEXES = range(0, NUM_REGEXES - 1);
const plain = (a: Arg): string => String(a);
const quoted = (a: Arg): string => JSON.stringify(a);
const rx = (a: Arg): string => regexName(a as number);

/** Common multi-character constants that extended mode writes in one action. */
export const CONST_WORDS: readonly string[] = [
  ', ',
  '. ',
  ': ',
  '; ',
  ' - ',
  ' / ',
  ' | ',
  ' (',
  ') ',
  '://',
  '...',
  '.com',
  'www.',
  'http://',
  'https://',
  '@',
  'Mr. ',
  'Ms. ',
  'Dr. ',
  ' and ',
  ' of ',
  ' at ',
  'st',
  'nd',
  'rd',
  'th',
  'AM',
  'PM',
  'am',
  'pm',
  '00',
  '20',
  '19',
  '+1 ',
  'N/A',
  '.jpg',
  '.txt',
  '.pdf',
  'ID-',
  '#',
];

export interface TableOptions {
  readonly extended: boolean;
  /** Input columns an action may choose (extended mode). */
  readonly columns: number;
  /** Rich mode: the extended table plus spec constants, conditionals, numbers, Unicode types. */
  readonly rich?: boolean;
}

function paperFamilies(extended: boolean): Family[] {
  const f = (
    id: string,
    kind: ActionKind,
    phases: Arg[][],
    label: Family['label'],
    build: Family['build'],
  ): Family => ({
    id,
    kind,
    phases,
    label,
    build,
  });
  return [
    f('ToCase', 'op', [[...CASES]], plain, ([c]) => ({ op: 'ToCase', c: c as CaseName })),
    f(
      'Replace',
      'op',
      [[...DELIMITERS], extended ? [...DELIMITERS, ''] : [...DELIMITERS]],
      quoted,
      ([a, b]) => ({
        op: 'Replace',
        from: a as string,
        to: b as string,
      }),
    ),
    f('SubStr', 'op', [POSITIONS, POSITIONS], plain, ([a, b]) => ({
      op: 'SubStr',
      k1: a as number,
      k2: b as number,
    })),
    f(
      'GetToken',
      'op',
      [TYPES, INDEXES],
      (a, p) => (p === 0 ? rx(a) : plain(a)),
      ([t, i]) => ({
        op: 'GetToken',
        t: t as number,
        i: i as number,
      }),
    ),
    f('GetUpTo', 'op', [REGEXES], rx, ([r]) => ({ op: 'GetUpTo', r: r as number })),
    f('GetFrom', 'op', [REGEXES], rx, ([r]) => ({ op: 'GetFrom', r: r as number })),
    f(
      'GetFirst',
      'op',
      [TYPES, INDEXES],
      (a, p) => (p === 0 ? rx(a) : plain(a)),
      ([t, i]) => ({
        op: 'GetFirst',
        t: t as number,
        i: i as number,
      }),
    ),
    f('GetAll', 'op', [TYPES], rx, ([t]) => ({ op: 'GetAll', t: t as number })),
    f(
      'GetSpan',
      'op',
      [REGEXES, INDEXES, [...BOUNDARIES], REGEXES, INDEXES, [...BOUNDARIES]],
      (a, p) => (p === 0 || p === 3 ? rx(a) : plain(a)),
      ([r1, i1, b1, r2, i2, b2]) => ({
        op: 'GetSpan',
        r1: r1 as number,
        i1: i1 as number,
        b1: b1 as Boundary,
        r2: r2 as number,
        i2: i2 as number,
        b2: b2 as Boundary,
      }),
    ),
    f('Const', 'source', [[...CHARACTERS]], quoted, ([c]) => ({ src: 'const', value: c as string })),
    f(
      'Commit',
      'commit',
      [['']],
      () => '',
      () => null,
    ),
  ];
}

function extendedFamilies(columns: number): Family[] {
  return [
    {
      id: 'Column',
      kind: 'source',
      phases: [range(0, columns - 1)],
      label: plain,
      build: ([c]) => ({ src: 'input', col: c as number }),
    },
    { id: 'Trim', kind: 'op', phases: [['']], label: () => '', build: () => ({ op: 'Trim' }) },
    {
      id: 'ConstWord',
      kind: 'source',
      phases: [[...CONST_WORDS]],
      label: quoted,
      build: ([w]) => ({ src: 'const', value: w as string }),
    },
  ];
}

// ------------------------------------------------------------------ rich mode

const UNICODE_TYPES = range(NUM_REGEXES, NUM_ALL_REGEXES - 1);
const ALL_REGEXES = range(0, NUM_ALL_REGEXES - 1);
const ALL_TYPES = [...TYPES, ...UNICODE_TYPES];
/** Thresholds of the numeric predicates. */
export const NUM_THRESHOLDS: readonly number[] = [0, 10, 18, 50, 100, 1000];
const ADDS = [-5, -4, -3, -2, -1, 1, 2, 3, 4, 5];
const PAD_WIDTHS = range(2, 10);

/**
 * Predicate arguments as short codes: `Has:12`, `Is:1`, `IsEmpty`, `NumGt:10`, and text predicates
 * on a proposed input text, `Contains@3` / `ContainsCI@3` (slot 3 of specTexts).
 */
const PRED_CODES: readonly string[] = [
  ...ALL_REGEXES.map((r) => `Has:${r}`),
  ...ALL_TYPES.map((t) => `Is:${t}`),
  'IsEmpty',
  ...(['NumGt', 'NumLt'] as const).flatMap((p) => NUM_THRESHOLDS.map((n) => `${p}:${n}`)),
  'NumEq:0',
  'NumEq:1',
  ...TEXT_PREDS.flatMap((p) =>
    [false, true].flatMap((ci) => range(0, SPEC_TEXTS - 1).map((k) => `${p}${ci ? 'CI' : ''}@${k}`)),
  ),
];

/** The predicate a code names; text slots read the spec's proposals (null: no such slot). */
function predOf(code: string, spec: StringsSpec | null): Pred | null {
  const at = code.indexOf('@');
  if (at >= 0) {
    const name = code.slice(0, at);
    const ci = name.endsWith('CI');
    const text = spec ? specTexts(spec)[Number(code.slice(at + 1))] : undefined;
    if (text === undefined) return null;
    return { p: (ci ? name.slice(0, -2) : name) as TextPredName, text, ci };
  }
  const [name, v] = code.split(':');
  if (name === 'IsEmpty') return { p: 'IsEmpty' };
  if (name === 'Has') return { p: 'Has', r: Number(v) };
  if (name === 'Is') return { p: 'Is', t: Number(v) };
  return { p: name as NumPredName, n: Number(v) };
}

const predLabel = (code: Arg): string => {
  const c = code as string;
  const at = c.indexOf('@');
  return at >= 0 ? `${c.slice(0, at)}(#${c.slice(at + 1)})` : printPred(predOf(c, null)!);
};
const textSlot = (code: string): number => {
  const at = code.indexOf('@');
  return at < 0 ? -1 : Number(code.slice(at + 1));
};

/** The code of a predicate, given the spec's proposals; null when a text is not proposed. */
export function predCode(p: Pred, spec: StringsSpec | null): string | null {
  switch (p.p) {
    case 'Has':
      return `Has:${p.r}`;
    case 'Is':
      return `Is:${p.t}`;
    case 'IsEmpty':
      return 'IsEmpty';
    case 'NumGt':
    case 'NumLt':
    case 'NumEq':
      return `${p.p}:${p.n}`;
    default: {
      // Without a spec, slot 0 stands in (the trace's shape only: callers with a spec get the real slot).
      // A case-insensitive test may use any proposed spelling of its text (same meaning).
      const texts = spec ? specTexts(spec) : [];
      const k = !spec
        ? 0
        : p.ci
          ? texts.findIndex((t) => t.toLowerCase() === p.text.toLowerCase())
          : texts.indexOf(p.text);
      return k < 0 ? null : `${p.p}${p.ci ? 'CI' : ''}@${k}`;
    }
  }
}

const branchCode = (b: Branch, col: number): string => `${b},${col}`;

function richFamilies(columns: number): Family[] {
  const none = (): null => null;
  return [
    {
      id: 'SpecConst',
      kind: 'source',
      phases: [range(0, SPEC_CONSTS - 1)],
      label: (a) => `#${String(a)}`,
      build: none,
      resolve: ([k], spec) => {
        const value = specConstants(spec)[k as number];
        return value === undefined ? null : { src: 'const', value };
      },
    },
    {
      id: 'If',
      kind: 'op',
      phases: [[...PRED_CODES], BRANCHES.flatMap((b) => range(0, columns - 1).map((c) => branchCode(b, c)))],
      label: (a, p) => (p === 0 ? predLabel(a) : String(a)),
      build: none,
      resolve: ([code, bc], spec) => {
        const pred = predOf(code as string, spec);
        if (pred === null) return null;
        const [keep, col] = (bc as string).split(',');
        return { op: 'If', pred, col: Number(col), keep: keep as Branch };
      },
    },
    {
      id: 'Test',
      kind: 'op',
      phases: [[...PRED_CODES]],
      label: predLabel,
      build: none,
      resolve: ([code], spec) => {
        const pred = predOf(code as string, spec);
        return pred === null ? null : { op: 'Test', pred };
      },
    },
    { id: 'Len', kind: 'op', phases: [['']], label: () => '', build: () => ({ op: 'Len' }) },
    {
      id: 'Count',
      kind: 'op',
      phases: [ALL_REGEXES],
      label: rx,
      build: ([r]) => ({ op: 'Count', r: r as number }),
    },
    {
      id: 'Find',
      kind: 'op',
      phases: [ALL_REGEXES],
      label: rx,
      build: ([r]) => ({ op: 'Find', r: r as number }),
    },
    { id: 'Add', kind: 'op', phases: [ADDS], label: plain, build: ([n]) => ({ op: 'Add', n: n as number }) },
    {
      id: 'Pad',
      kind: 'op',
      phases: [PAD_WIDTHS, [...PAD_FILLS]],
      label: (a, p) => (p === 0 ? plain(a) : quoted(a)),
      build: ([w, f]) => ({ op: 'Pad', width: w as number, fill: f as PadFill }),
    },
    {
      id: 'Fixed',
      kind: 'op',
      phases: [range(0, 3)],
      label: plain,
      build: ([d]) => ({ op: 'Fixed', d: d as number }),
    },
    {
      id: 'Round',
      kind: 'op',
      phases: [range(0, 2)],
      label: plain,
      build: ([d]) => ({ op: 'Round', d: d as number }),
    },
    { id: 'Thousands', kind: 'op', phases: [['']], label: () => '', build: () => ({ op: 'Thousands' }) },
  ];
}

/** Paper families that take token types or regexes get the Unicode types appended (rich mode). */
const UNICODE_PHASES: Readonly<Record<string, readonly number[]>> = {
  GetToken: [0],
  GetFirst: [0],
  GetAll: [0],
  GetUpTo: [0],
  GetFrom: [0],
  GetSpan: [0, 3],
};
/** Families written as one action with no argument (named by the family alone). */
const BARE = new Set(['Trim', 'Len', 'Thousands']);

/**
 * Builds the action table. Paper order: ToCase, Replace1, Replace2, SubStr1, SubStr2, GetToken1,
 * GetToken2, GetUpTo, GetFrom, GetFirst1, GetFirst2, GetAll, GetSpan1…6, Const, Commit; extended mode
 * appends Replace2("") (delete all), Column(k), Trim, ConstWord(w).
 */
export function buildActionTable(opts: TableOptions): ActionTable {
  const entries: ActionEntry[] = [];
  const phaseNames: string[] = [];
  const add = (family: Family, phase: number, arg: Arg): void => {
    const phaseName = family.phases.length > 1 ? `${family.id}${phase + 1}` : family.id;
    let type = phaseNames.indexOf(phaseName);
    if (type < 0) type = phaseNames.push(phaseName) - 1;
    const label = family.label(arg, phase);
    const name = family.kind === 'commit' || BARE.has(family.id) ? family.id : `${phaseName}(${label})`;
    const predicate = (family.id === 'If' || family.id === 'Test') && phase === 0;
    const k = family.id === 'SpecConst' ? (arg as number) : predicate ? textSlot(String(arg)) : -1;
    const slot =
      k < 0 ? undefined : { kind: family.id === 'SpecConst' ? ('const' as const) : ('text' as const), k };
    entries.push({
      index: entries.length,
      name,
      phaseName,
      type,
      family,
      phase,
      arg,
      ...(slot ? { slot } : {}),
    });
  };
  const paper = paperFamilies(opts.extended);
  const commit = paper[paper.length - 1];
  for (const fam of paper) {
    if (fam === commit) continue;
    fam.phases.forEach((args, p) =>
      args.forEach((a) => (opts.extended && a === '' && fam.id === 'Replace' ? null : add(fam, p, a))),
    );
  }
  add(commit, 0, '');
  if (opts.extended) {
    add(paper[1], 1, '');
    for (const fam of extendedFamilies(opts.columns))
      fam.phases.forEach((args, p) => args.forEach((a) => add(fam, p, a)));
  }
  if (opts.extended && opts.rich) {
    // Appended, so every extended action keeps its index (a rich model can start from an extended one).
    for (const fam of paper)
      for (const p of UNICODE_PHASES[fam.id] ?? []) for (const r of UNICODE_TYPES) add(fam, p, r);
    for (const fam of richFamilies(opts.columns))
      fam.phases.forEach((args, p) => args.forEach((a) => add(fam, p, a)));
  }
  const byName = new Map(entries.map((e) => [e.name, e.index]));
  return {
    size: entries.length,
    entries,
    phaseNames,
    byName,
    commit: entries.findIndex((e) => e.family.kind === 'commit'),
    slots: entries.some((e) => e.slot !== undefined),
  };
}

/** Action names of one op, phase by phase (inverse of Family.build); null when not expressible. */
function opActionNames(o: Op, spec: StringsSpec | null): string[] | null {
  const r = regexName;
  switch (o.op) {
    case 'ToCase':
      return [`ToCase(${o.c})`];
    case 'Replace':
      return [`Replace1(${quoted(o.from)})`, `Replace2(${quoted(o.to)})`];
    case 'SubStr':
      return [`SubStr1(${o.k1})`, `SubStr2(${o.k2})`];
    case 'GetToken':
    case 'GetFirst':
      return [`${o.op}1(${r(o.t)})`, `${o.op}2(${o.i})`];
    case 'GetUpTo':
    case 'GetFrom':
      return [`${o.op}(${r(o.r)})`];
    case 'GetAll':
      return [`GetAll(${r(o.t)})`];
    case 'GetSpan':
      return [
        `GetSpan1(${r(o.r1)})`,
        `GetSpan2(${o.i1})`,
        `GetSpan3(${o.b1})`,
        `GetSpan4(${r(o.r2)})`,
        `GetSpan5(${o.i2})`,
        `GetSpan6(${o.b2})`,
      ];
    case 'Trim':
    case 'Len':
    case 'Thousands':
      return [o.op];
    case 'Count':
    case 'Find':
      return [`${o.op}(${r(o.r)})`];
    case 'Add':
      return [`Add(${o.n})`];
    case 'Pad':
      return [`Pad1(${o.width})`, `Pad2(${quoted(o.fill)})`];
    case 'Fixed':
    case 'Round':
      return [`${o.op}(${o.d})`];
    case 'If':
    case 'Test': {
      const code = predCode(o.pred, spec);
      if (code === null) return null;
      const label = predLabel(code);
      return o.op === 'Test' ? [`Test(${label})`] : [`If1(${label})`, `If2(${branchCode(o.keep, o.col)})`];
    }
  }
}

/**
 * The action trace that writes `program` in the REPL, or null when the table cannot express it (an
 * extended feature in paper mode, a multi-character constant with operations applied, …). A constant
 * that is not one action becomes one Const + Commit per character, as in the original code. Rich mode
 * writes a constant the spec proposes as one SpecConst action and a predicate's text as the slot the
 * spec proposes it in (so the trace depends on `spec`; without one, text slots are shown as slot 0:
 * the trace then has the right length and commits but is not meant to be replayed).
 */
export function programToActions(
  program: Program,
  table: ActionTable,
  spec: StringsSpec | null = null,
): number[] | null {
  const out: number[] = [];
  const push = (name: string): boolean => {
    const a = table.byName.get(name);
    if (a === undefined) return false;
    out.push(a);
    return true;
  };
  const pushSpecConst = (value: string): boolean => {
    const k = specConstants(spec!).indexOf(value);
    return k >= 0 && push(`SpecConst(#${k})`);
  };
  /** Rich mode: a constant as its longest proposed or word prefixes, else one character, each committed. */
  const pushPieces = (value: string): boolean => {
    const proposed = [...specConstants(spec!), ...CONST_WORDS].filter((c) => c.length > 1);
    for (let i = 0; i < value.length;) {
      let best = '';
      for (const c of proposed) if (c.length > best.length && value.startsWith(c, i)) best = c;
      const piece = best || String.fromCodePoint(value.codePointAt(i)!);
      if (!(push(`Const(${quoted(piece)})`) || push(`ConstWord(${quoted(piece)})`) || pushSpecConst(piece)))
        return false;
      if (!push('Commit')) return false;
      i += piece.length;
    }
    return true;
  };
  for (const e of program.exprs) {
    const s = e.source;
    if (s.src === 'input') {
      if (s.col !== 0 && !push(`Column(${s.col})`)) return null;
    } else if (
      !push(`Const(${quoted(s.value)})`) &&
      !push(`ConstWord(${quoted(s.value)})`) &&
      !(table.slots && spec !== null && pushSpecConst(s.value))
    ) {
      // Without a spec, a constant stands in as slot 0 (the trace's shape only).
      const placeholder = table.slots && spec === null && s.value.length > 1;
      if (placeholder) push('SpecConst(#0)');
      else if (e.ops.length > 0 || s.value.length === 0) return null;
      else if (table.slots && spec !== null) {
        if (!pushPieces(s.value)) return null;
        continue;
      } else {
        for (const ch of s.value.split('')) if (!push(`Const(${quoted(ch)})`) || !push('Commit')) return null;
        continue;
      }
    }
    for (const o of e.ops) {
      const names = opActionNames(o, spec);
      if (names === null) return null;
      for (const n of names) if (!push(n)) return null;
    }
    push('Commit');
  }
  return out;
}
