/**
 * The flat action table: one action = one argument of one operation, as in the paper (482 actions in
 * paper mode, in the original ALL_BUTTS order). Extended mode appends its actions after the paper's,
 * so paper indices keep their meaning. A new operation is one more `Family` here plus its semantics in
 * interpreter.ts; the REPL itself only walks families and phases.
 */
import {
  BOUNDARIES,
  CASES,
  INDEX_MAX,
  INDEX_MIN,
  POS_MAX,
  POS_MIN,
  type Boundary,
  type CaseName,
  type Op,
  type Program,
} from './dsl.js';
import { CHARACTERS, DELIMITERS, NUM_REGEXES, NUM_TYPES, regexName } from './regex.js';

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
}

export interface ActionTable {
  readonly size: number;
  readonly entries: readonly ActionEntry[];
  readonly phaseNames: readonly string[];
  readonly byName: ReadonlyMap<string, number>;
  readonly commit: number;
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
    const name = family.kind === 'commit' || family.id === 'Trim' ? family.id : `${phaseName}(${label})`;
    entries.push({ index: entries.length, name, phaseName, type, family, phase, arg });
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
  const byName = new Map(entries.map((e) => [e.name, e.index]));
  return {
    size: entries.length,
    entries,
    phaseNames,
    byName,
    commit: entries.findIndex((e) => e.family.kind === 'commit'),
  };
}

/** Action names of one op, phase by phase (inverse of Family.build). */
function opActionNames(o: Op): string[] {
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
      return ['Trim'];
  }
}

/**
 * The action trace that writes `program` in the REPL, or null when the table cannot express it (an
 * extended feature in paper mode, a multi-character constant with operations applied, …). A constant
 * that is not one action becomes one Const + Commit per character, as in the original code.
 */
export function programToActions(program: Program, table: ActionTable): number[] | null {
  const out: number[] = [];
  const push = (name: string): boolean => {
    const a = table.byName.get(name);
    if (a === undefined) return false;
    out.push(a);
    return true;
  };
  for (const e of program.exprs) {
    const s = e.source;
    if (s.src === 'input') {
      if (s.col !== 0 && !push(`Column(${s.col})`)) return null;
    } else if (!push(`Const(${quoted(s.value)})`) && !push(`ConstWord(${quoted(s.value)})`)) {
      if (e.ops.length > 0 || s.value.length === 0) return null;
      for (const ch of s.value.split('')) if (!push(`Const(${quoted(ch)})`) || !push('Commit')) return null;
      continue;
    }
    for (const o of e.ops) for (const n of opActionNames(o)) if (!push(n)) return null;
    push('Commit');
  }
  return out;
}
