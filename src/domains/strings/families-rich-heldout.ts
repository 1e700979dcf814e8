/**
 * Benchmark-only templates for rich mode (issue 19): conditionals, numbers, TRUE/FALSE outputs,
 * case-insensitive tests, accented names, and long outputs with multi-word constants, in the families
 * of real spreadsheet tasks. All on the held-out side of the split (`split: 'heldout'`): written
 * before any rich model was evaluated, and no training stream draws from them. Extended and paper
 * mode cannot express most of them (so those domains skip them).
 */
import type { FamilyTemplate } from './families.js';
import {
  CITIES,
  COMPANIES,
  FIRST_NAMES,
  LAST_NAMES,
  PRODUCTS,
  SIZES,
  STATES,
  digits,
  pad2,
} from './families-data.js';

const held = (t: Omit<FamilyTemplate, 'split'>): FamilyTemplate => ({ ...t, split: 'heldout' });
const cap = (s: string): string => s[0].toUpperCase() + s.slice(1);

const ACCENTED_FIRST = [
  'José',
  'Zoë',
  'Renée',
  'Łukasz',
  'Søren',
  'Ángel',
  'Chloé',
  'Jürgen',
  'Inés',
  'André',
];
const ACCENTED_LAST = [
  'Müller',
  'Núñez',
  'Ødegaard',
  'Çelik',
  'Šimić',
  'Dvořák',
  'Gómez',
  'Brontë',
  'Élise',
  'Ångström',
];

export const RICH_HELDOUT_TEMPLATES: FamilyTemplate[] = [
  held({
    id: 'cond.company-or-person',
    family: 'conditionals',
    row: (r) => [r.bool() ? `${cap(r.pick(COMPANIES))} Inc` : `${r.pick(FIRST_NAMES)} ${r.pick(LAST_NAMES)}`],
    program: 'Concat(If(Contains("Inc"), 0, Then, "company"), If(Contains("Inc"), 0, Else, "person"))',
  }),
  held({
    id: 'cond.doctor-prefix',
    family: 'conditionals',
    row: (r) => [`${r.bool() ? 'Dr ' : ''}${r.pick(FIRST_NAMES)} ${r.pick(LAST_NAMES)}`],
    program: 'Concat(If(StartsWith("Dr"), 0, Then, "Doctor "), GetToken(Word, -1))',
  }),
  held({
    id: 'cond.has-digits',
    family: 'conditionals',
    row: (r) => [
      r.bool() ? `${r.pick(SIZES)}-${digits(r, r.range(1, 3))}` : `${r.pick(SIZES)}-${r.pick(SIZES)}`,
    ],
    program: 'Concat(Test(Has(Number)))',
  }),
  held({
    id: 'cond.nickname-or-first',
    family: 'conditionals',
    row: (r) => [r.bool() ? r.pick(['Bo', 'Kit', 'Jay', 'Lou', 'Max', 'Pip']) : '', r.pick(FIRST_NAMES)],
    program: 'Concat(In(0), If(IsEmpty, 0, Then, In(1)))',
  }),
  held({
    id: 'cond.adult-minor',
    family: 'conditionals',
    row: (r) => [r.pick(FIRST_NAMES), String(r.bool() ? r.range(19, 80) : r.range(3, 17))],
    program: 'Concat(In(0), If(NumGt(18), 1, Then, " (adult)"), If(NumGt(18), 1, Else, " (minor)"))',
  }),
  held({
    id: 'cond.yes-any-case',
    family: 'conditionals',
    row: (r) => [r.pick(FIRST_NAMES), r.pick(['yes', 'Yes', 'YES', 'no', 'No', 'NO'])],
    program: 'Concat(In(0), ": ", Test(EqualsCI("yes"), In(1)))',
  }),
  held({
    id: 'numbers.pad-id',
    family: 'numbers',
    row: (r) => [`ID ${r.range(1, 9999)}`],
    program: 'Concat("ID-", Pad(5, "0", GetToken(Number, 0)))',
  }),
  held({
    id: 'numbers.price-two-decimals',
    family: 'numbers',
    row: (r) => [`${r.range(1, 999)}${r.bool() ? `.${r.range(0, 9)}` : ''} USD`],
    program: 'Concat("$", Fixed(2, GetUpTo(" ")))',
  }),
  held({
    id: 'numbers.thousands-units',
    family: 'numbers',
    row: (r) => [digits(r, r.range(4, 7))],
    program: 'Concat(Thousands(), " units")',
  }),
  held({
    id: 'numbers.name-length',
    family: 'numbers',
    row: (r) => [r.pick(PRODUCTS)],
    program: 'Concat(In(0), ": ", Len(), " chars")',
  }),
  held({
    id: 'numbers.next-year',
    family: 'numbers',
    row: (r) => [`class of ${r.range(1990, 2030)}`],
    program: 'Concat("class of ", Add(1, GetToken(Number, 0)))',
  }),
  held({
    id: 'dates.year-month-day-labels',
    family: 'dates',
    row: (r) => [`${r.range(1990, 2030)}-${pad2(r.range(1, 12))}-${pad2(r.range(1, 28))}`],
    program:
      'Concat("year: ", GetToken(Number, 0), "; month: ", GetToken(Number, 1), "; day: ", GetToken(Number, 2))',
  }),
  held({
    id: 'dates.dmy-labels',
    family: 'dates',
    row: (r) => [`${r.range(1, 28)}/${r.range(1, 12)}/${r.range(1950, 2020)}`],
    program:
      'Concat("date: ", GetToken(Number, 0), " mo: ", GetToken(Number, 1), " year: ", GetToken(Number, 2))',
  }),
  held({
    id: 'times.at-clock',
    family: 'times',
    row: (r) => [`${r.range(1, 12)}:${pad2(r.range(0, 59))} ${r.pick(['AM', 'PM'])}`],
    program: 'Concat("(at ", In(0), ")")',
  }),
  held({
    id: 'addresses.state-zip-padded',
    family: 'addresses',
    row: (r) => [`${r.pick(CITIES)}, ${r.pick(STATES)} ${r.range(501, 99950)}`],
    program:
      'Concat("STATE ", GetToken(AllCaps, -2), GetToken(AllCaps, -1), " | ZIP ", Pad(5, "0", GetToken(Number, -1)))',
  }),
  held({
    id: 'names.accented-last-initial',
    family: 'names',
    row: (r) => [`${r.pick(ACCENTED_FIRST)} ${r.pick(ACCENTED_LAST)}`],
    program: 'Concat(GetToken(UWord, 1), ", ", GetToken(UCaps, 0), ".")',
  }),
  held({
    id: 'products.quantity-padded',
    family: 'products',
    row: (r) => [`${r.pick(PRODUCTS)} x${r.range(1, 250)}`],
    program: 'Concat("qty ", Pad(3, "0", GetToken(Number, -1)), " of ", GetToken(Word, 0))',
  }),
  held({
    id: 'products.size-large',
    family: 'products',
    row: (r) => [`${r.pick(PRODUCTS)}-${r.pick(SIZES)}`],
    program: 'Concat(If(EndsWith("XL"), 0, Then, "large "), GetToken(Word, 0))',
  }),
];
