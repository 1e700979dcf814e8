/**
 * Benchmark-only templates: longer multi-part rewrites (4–7 expressions, 10–25 REPL actions), all on
 * the held-out side of the split whatever their hash (`split: 'heldout'`). They were written after
 * the shipped strings model was trained and no training stream may draw from them, so they measure
 * how a method does on programs longer than the ones it imitated — the regime where search strategy,
 * not just the prior, decides the outcome.
 */
import type { FamilyTemplate } from './families.js';
import {
  CITIES,
  FIRST_NAMES,
  LAST_NAMES,
  MONTHS,
  STATES,
  STREETS,
  STREET_TYPES,
  TITLES,
  DOMAINS,
  digits,
  filePath,
  fullName,
  isoDate,
  pad2,
  sku,
} from './families-data.js';
import type { Rng } from '../../core/index.js';

const clock = (r: Rng): string => `${pad2(r.range(6, 20))}:${pad2(r.range(0, 59))}`;
const mailAddress = (r: Rng): string =>
  `${r.range(1, 999)} ${r.pick(STREETS)} ${r.pick(STREET_TYPES)}, ${r.pick(CITIES)}, ${r.pick(STATES)} ${digits(r, 5)}`;

const held = (t: Omit<FamilyTemplate, 'split'>): FamilyTemplate => ({ ...t, split: 'heldout' });

export const HELDOUT_TEMPLATES: FamilyTemplate[] = [
  held({
    id: 'names.citation',
    family: 'names',
    row: (r) => [`${r.pick(FIRST_NAMES)} ${r.pick(FIRST_NAMES)} ${r.pick(LAST_NAMES)}`],
    program: 'Concat(GetToken(Word, -1), ", ", GetToken(AllCaps, 0), ". ", GetToken(AllCaps, 1), ".")',
  }),
  held({
    id: 'names.username',
    family: 'names',
    row: (r) => [fullName(r)],
    program: 'Concat(ToCase(Lower, SubStr(0, 1)), ToCase(Lower, GetToken(Word, -1)))',
  }),
  held({
    id: 'names.initial-shout',
    family: 'names',
    row: (r) => [`${r.pick(LAST_NAMES)}, ${r.pick(FIRST_NAMES)}`],
    program: 'Concat(GetToken(AllCaps, 1), ". ", ToCase(AllCaps, GetToken(Word, 0)))',
  }),
  held({
    id: 'names.title-last',
    family: 'names',
    row: (r) => [`${r.pick(TITLES)} ${fullName(r)}`],
    program: 'Concat(GetToken(Word, 0), ". ", GetToken(Word, -1), " (", GetToken(AllCaps, 1), ".)")',
  }),
  held({
    id: 'emails.from-columns',
    family: 'emails',
    row: (r) => [fullName(r), r.pick(DOMAINS)],
    program: 'Concat(ToCase(Lower, GetToken(Word, 0)), ".", ToCase(Lower, GetToken(Word, 1)), "@", In(1))',
  }),
  held({
    id: 'emails.domain-user',
    family: 'emails',
    row: (r) => [`${r.pick(FIRST_NAMES).toLowerCase()}${digits(r, r.range(1, 3))}@${r.pick(DOMAINS)}`],
    program: 'Concat(GetFrom("@"), ": ", GetSpan(Char, 0, Start, "@", 0, Start))',
  }),
  held({
    id: 'dates.short-european',
    family: 'dates',
    row: (r) => [isoDate(r)],
    program: 'Concat(GetToken(Number, 2), ".", GetToken(Number, 1), ".", SubStr(2, 4))',
  }),
  held({
    id: 'dates.day-mon-year',
    family: 'dates',
    row: (r) => [`${r.pick(MONTHS)} ${r.range(1, 28)}, ${r.range(1990, 2030)}`],
    program: 'Concat(GetToken(Number, 0), " ", ToCase(AllCaps, SubStr(0, 3)), " ", GetToken(Number, -1))',
  }),
  held({
    id: 'dates.us-compact',
    family: 'dates',
    row: (r) => [`${pad2(r.range(1, 12))}/${pad2(r.range(1, 28))}/${r.range(1990, 2030)}`],
    program: 'Concat(GetToken(Number, 2), GetToken(Number, 0), GetToken(Number, 1))',
  }),
  held({
    id: 'times.range-spaced',
    family: 'times',
    row: (r) => [`${clock(r)}-${clock(r)}`],
    program:
      'Concat(GetToken(Number, 0), ":", GetToken(Number, 1), " - ", GetToken(Number, 2), ":", GetToken(Number, 3))',
  }),
  held({
    id: 'times.hours-minutes',
    family: 'times',
    row: (r) => [`${pad2(r.range(0, 23))}:${pad2(r.range(0, 59))}:${pad2(r.range(0, 59))}`],
    program: 'Concat(GetToken(Number, 0), "h", GetToken(Number, 1), "m")',
  }),
  held({
    id: 'phones.international',
    family: 'phones',
    row: (r) => [`${digits(r, 3)}-${digits(r, 3)}-${digits(r, 4)}`],
    program: 'Concat("+1 ", "(", GetToken(Number, 0), ") ", GetToken(Number, 1), " ", GetToken(Number, 2))',
  }),
  held({
    id: 'phones.parens-to-dots',
    family: 'phones',
    row: (r) => [`(${digits(r, 3)}) ${digits(r, 3)}-${digits(r, 4)}`],
    program: 'Concat(GetToken(Number, 0), ".", GetToken(Number, 1), ".", GetToken(Number, 2))',
  }),
  held({
    id: 'addresses.mail-label',
    family: 'addresses',
    row: (r) => [mailAddress(r)],
    program:
      'Concat(ToCase(AllCaps, GetToken(PropCase, -1)), " ", GetToken(Word, -1), " ", GetToken(Number, -1))',
  }),
  held({
    id: 'addresses.city-first',
    family: 'addresses',
    row: (r) => [mailAddress(r)],
    program: 'Concat(GetToken(PropCase, -1), " (", GetSpan(Char, 0, Start, ",", 0, Start), ")")',
  }),
  held({
    id: 'paths.user-stem',
    family: 'paths',
    row: (r) => [filePath(r)],
    program:
      'Concat(ToCase(AllCaps, GetToken(Word, 1)), "/", GetToken(Word, -2), ".", ToCase(AllCaps, GetToken(Word, -1)))',
  }),
  held({
    id: 'products.sku-lower',
    family: 'products',
    row: (r) => [sku(r)],
    program:
      'Concat(ToCase(Lower, GetToken(Word, -1)), "/", GetToken(Number, 0), "/", ToCase(Lower, GetToken(Word, 0)))',
  }),
];
