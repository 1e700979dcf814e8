/** Realistic templates about people: names, e-mail addresses, phone numbers, reviews. */
import type { FamilyTemplate } from './families.js';
import {
  DOMAINS,
  COMPANIES,
  FIRST_NAMES,
  LAST_NAMES,
  MOVIES,
  REVIEW_OPENERS,
  REVIEW_TAILS,
  TITLES,
  digits,
  fullName,
  messyCase,
} from './families-data.js';

export const PEOPLE_TEMPLATES: FamilyTemplate[] = [
  // ---- names
  {
    id: 'names.last-comma-first',
    family: 'names',
    row: (r) => [fullName(r)],
    program: 'Concat(GetToken(Word, 1), ", ", GetToken(Word, 0))',
  },
  {
    id: 'names.initials',
    family: 'names',
    row: (r) => [fullName(r)],
    program: 'Concat(GetAll(AllCaps))',
  },
  {
    id: 'names.initials-dotted',
    family: 'names',
    row: (r) => [fullName(r)],
    program: 'Concat(GetToken(AllCaps, 0), ".", GetToken(AllCaps, 1), ".")',
  },
  {
    id: 'names.first-initial-last',
    family: 'names',
    row: (r) => [fullName(r)],
    program: 'Concat(GetToken(AllCaps, 0), ". ", GetToken(Word, -1))',
  },
  {
    id: 'names.shout-last',
    family: 'names',
    row: (r) => [fullName(r).toLowerCase()],
    program: 'Concat(ToCase(AllCaps, GetToken(Word, -1)))',
  },
  {
    id: 'names.proper',
    family: 'names',
    row: (r) => [messyCase(r, fullName(r))],
    program: 'Concat(ToCase(Proper))',
  },
  {
    id: 'names.swap-comma',
    family: 'names',
    row: (r) => [`${r.pick(LAST_NAMES)}, ${r.pick(FIRST_NAMES)}`],
    program: 'Concat(GetToken(Word, 1), " ", GetToken(Word, 0))',
  },
  {
    id: 'names.drop-title',
    family: 'names',
    row: (r) => [`${r.pick(TITLES)} ${fullName(r)}`],
    program: 'Concat(GetSpan(PropCase, 1, Start, Word, -1, End))',
  },
  {
    id: 'names.last-first-initial',
    family: 'names',
    row: (r) => [fullName(r)],
    program: 'Concat(GetToken(Word, 1), ", ", GetToken(AllCaps, 0), ".")',
  },
  // ---- e-mail
  {
    id: 'emails.user',
    family: 'emails',
    row: (r) => [`${r.pick(FIRST_NAMES).toLowerCase()}${digits(r, r.range(1, 3))}@${r.pick(DOMAINS)}`],
    program: 'Concat(GetSpan(Char, 0, Start, "@", 0, Start))',
  },
  {
    id: 'emails.domain',
    family: 'emails',
    row: (r) => [
      `${r.pick(FIRST_NAMES).toLowerCase()}.${r.pick(LAST_NAMES).toLowerCase()}@${r.pick(DOMAINS)}`,
    ],
    program: 'Concat(GetFrom("@"))',
  },
  {
    id: 'emails.display-name',
    family: 'emails',
    row: (r) => [
      `${r.pick(FIRST_NAMES).toLowerCase()}.${r.pick(LAST_NAMES).toLowerCase()}@${r.pick(COMPANIES)}.com`,
    ],
    program: 'Concat(ToCase(Proper, GetToken(Word, 0)), " ", ToCase(Proper, GetToken(Word, 1)))',
  },
  {
    id: 'emails.company',
    family: 'emails',
    row: (r) => [
      `${r.pick(FIRST_NAMES).toLowerCase()}@${r.pick(COMPANIES)}.${r.pick(['com', 'org', 'net'])}`,
    ],
    program: 'Concat(ToCase(AllCaps, GetToken(Word, -2)))',
  },
  // ---- phone numbers
  {
    id: 'phones.dashes',
    family: 'phones',
    row: (r) => [`(${digits(r, 3)}) ${digits(r, 3)}-${digits(r, 4)}`],
    program: 'Concat(GetToken(Number, 0), "-", GetToken(Number, 1), "-", GetToken(Number, 2))',
  },
  {
    id: 'phones.dots',
    family: 'phones',
    row: (r) => [`${digits(r, 3)}-${digits(r, 3)}-${digits(r, 4)}`],
    program: 'Concat(Replace("-", "."))',
  },
  {
    id: 'phones.area-code',
    family: 'phones',
    row: (r) => [`(${digits(r, 3)}) ${digits(r, 3)}-${digits(r, 4)}`],
    program: 'Concat(GetToken(Number, 0))',
  },
  {
    id: 'phones.last-four',
    family: 'phones',
    row: (r) => [`+1 ${digits(r, 3)} ${digits(r, 3)} ${digits(r, 4)}`],
    program: 'Concat(GetToken(Number, -1))',
  },
  {
    id: 'phones.parens',
    family: 'phones',
    row: (r) => [`${digits(r, 3)}.${digits(r, 3)}.${digits(r, 4)}`],
    program: 'Concat("(", GetToken(Number, 0), ") ", GetToken(Number, 1), "-", GetToken(Number, 2))',
  },
  {
    id: 'phones.digits-only',
    family: 'phones',
    row: (r) => [`(${digits(r, 3)}) ${digits(r, 3)}-${digits(r, 4)}`],
    program: 'Concat(GetAll(Digit))',
  },
  // ---- reviews
  {
    id: 'reviews.movie-year',
    family: 'reviews',
    row: (r) => [`${r.pick(MOVIES)} (${r.range(1940, 2023)}) - ${r.range(1, 10)}/10`],
    program: 'Concat(GetToken(Number, 0))',
  },
  {
    id: 'reviews.movie-title-caps',
    family: 'reviews',
    row: (r) => [
      `${r.pick(MOVIES)} ${r.pick(['', 'II ', 'Returns '])}(${r.range(1940, 2023)}) - ${r.range(1, 10)}/10`,
    ],
    program: 'Concat(ToCase(AllCaps, Trim(GetSpan(Char, 0, Start, "(", 0, Start))))',
  },
  {
    id: 'reviews.score',
    family: 'reviews',
    row: (r) => [`Rated ${r.range(1, 5)} out of 5 by ${r.pick(FIRST_NAMES)}`],
    program: 'Concat(GetToken(Number, 0), "/", GetToken(Number, 1))',
  },
  {
    id: 'reviews.reviewer',
    family: 'reviews',
    row: (r) => [`Rated ${r.range(1, 5)} out of 5 by ${r.pick(FIRST_NAMES)}`],
    program: 'Concat(GetToken(Word, -1))',
  },
  {
    id: 'reviews.headline',
    family: 'reviews',
    row: (r) => [`${r.pick(REVIEW_OPENERS)}! ${r.pick(REVIEW_TAILS)}`],
    program: 'Concat(GetUpTo("!"))',
  },
  {
    id: 'reviews.rating-fraction',
    family: 'reviews',
    row: (r) => [`${r.pick(MOVIES)}: ${r.range(1, 9)}.${r.int(10)} of 10`],
    program: 'Concat(GetSpan(Number, 0, Start, Number, 1, End), "/10")',
  },
];
