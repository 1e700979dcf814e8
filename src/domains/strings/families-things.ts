/** Realistic templates about things: dates, times, addresses, file paths, product codes, columns. */
import type { FamilyTemplate } from './families.js';
import {
  CITIES,
  COLORS,
  DOMAINS,
  FIRST_NAMES,
  LAST_NAMES,
  MONTHS,
  PRODUCTS,
  PRODUCT_SUFFIXES,
  SIZES,
  STATES,
  STREETS,
  STREET_TYPES,
  TWO_WORD_CITIES,
  digits,
  filePath,
  isoDate,
  messyCase,
  pad2,
  sku,
} from './families-data.js';
import type { Rng } from '../../core/index.js';

const address = (r: Rng, city: string): string =>
  `${r.range(1, 999)} ${r.pick(STREETS)} ${r.pick(STREET_TYPES)}, ${city}, ${r.pick(STATES)} ${digits(r, 5)}`;

export const THINGS_TEMPLATES: FamilyTemplate[] = [
  // ---- dates
  {
    id: 'dates.iso-to-us',
    family: 'dates',
    row: (r) => [isoDate(r)],
    program: 'Concat(GetToken(Number, 1), "/", GetToken(Number, 2), "/", GetToken(Number, 0))',
  },
  {
    id: 'dates.us-to-iso',
    family: 'dates',
    row: (r) => [`${r.range(1, 12)}/${r.range(1, 28)}/${r.range(1990, 2030)}`],
    program: 'Concat(GetToken(Number, 2), "-", GetToken(Number, 0), "-", GetToken(Number, 1))',
  },
  {
    id: 'dates.year',
    family: 'dates',
    row: (r) => [`${r.pick(MONTHS)} ${r.range(1, 28)}, ${r.range(1990, 2030)}`],
    program: 'Concat(GetToken(Number, -1))',
  },
  {
    id: 'dates.month-abbrev',
    family: 'dates',
    row: (r) => [`${r.pick(MONTHS)} ${r.range(1, 28)}, ${r.range(1990, 2030)}`],
    program: 'Concat(SubStr(0, 3))',
  },
  {
    id: 'dates.month-day-caps',
    family: 'dates',
    row: (r) => [`${r.pick(MONTHS)} ${r.range(1, 28)} ${r.range(1990, 2030)}`],
    program: 'Concat(ToCase(AllCaps, SubStr(0, 3)), " ", GetToken(Number, 0))',
  },
  {
    id: 'dates.european',
    family: 'dates',
    row: (r) => [isoDate(r)],
    program: 'Concat(GetToken(Number, 2), ".", GetToken(Number, 1), ".", GetToken(Number, 0))',
  },
  // ---- times
  {
    id: 'times.drop-seconds',
    family: 'times',
    row: (r) => [`${pad2(r.range(0, 23))}:${pad2(r.range(0, 59))}:${pad2(r.range(0, 59))}`],
    program: 'Concat(SubStr(0, 5))',
  },
  {
    id: 'times.upper-ampm',
    family: 'times',
    row: (r) => [`${r.range(1, 12)}:${pad2(r.range(0, 59))} ${r.pick(['am', 'pm'])}`],
    program: 'Concat(ToCase(AllCaps))',
  },
  {
    id: 'times.hour',
    family: 'times',
    row: (r) => [`${r.range(1, 12)}:${pad2(r.range(0, 59))} ${r.pick(['AM', 'PM'])}`],
    program: 'Concat(GetToken(Number, 0))',
  },
  {
    id: 'times.duration',
    family: 'times',
    row: (r) => [`${r.range(1, 9)}h ${pad2(r.range(0, 59))}m`],
    program: 'Concat(GetToken(Number, 0), ":", GetToken(Number, 1))',
  },
  {
    id: 'times.meeting-slot',
    family: 'times',
    row: (r) => [
      `Meeting ${r.pick(MONTHS).slice(0, 3)} ${r.range(1, 28)} at ${r.range(1, 12)}:${pad2(r.range(0, 59))}`,
    ],
    program: 'Concat(GetFrom(" "))',
  },
  // ---- addresses
  {
    id: 'addresses.city',
    family: 'addresses',
    row: (r) => [address(r, r.pick(CITIES))],
    program: 'Concat(GetToken(PropCase, -1))',
  },
  {
    id: 'addresses.city-any',
    family: 'addresses',
    row: (r) => [address(r, r.bool() ? r.pick(CITIES) : r.pick(TWO_WORD_CITIES))],
    program: 'Concat(Trim(GetSpan(",", 0, End, ",", 1, Start)))',
  },
  {
    id: 'addresses.state',
    family: 'addresses',
    row: (r) => [address(r, r.pick(CITIES))],
    program: 'Concat(GetToken(Word, -1))',
  },
  {
    id: 'addresses.zip',
    family: 'addresses',
    row: (r) => [address(r, r.pick(CITIES))],
    program: 'Concat(GetToken(Number, -1))',
  },
  {
    id: 'addresses.street',
    family: 'addresses',
    row: (r) => [address(r, r.pick(CITIES))],
    program: 'Concat(GetSpan(Char, 0, Start, ",", 0, Start))',
  },
  {
    id: 'addresses.city-state',
    family: 'addresses',
    row: (r) => [address(r, r.pick(CITIES))],
    program: 'Concat(GetToken(PropCase, -1), ", ", GetToken(Word, -1))',
  },
  // ---- file paths
  { id: 'paths.filename', family: 'paths', row: (r) => [filePath(r)], program: 'Concat(GetFrom("/"))' },
  { id: 'paths.extension', family: 'paths', row: (r) => [filePath(r)], program: 'Concat(GetFrom("."))' },
  { id: 'paths.stem', family: 'paths', row: (r) => [filePath(r)], program: 'Concat(GetToken(Word, -2))' },
  {
    id: 'paths.directory',
    family: 'paths',
    row: (r) => [filePath(r)],
    program: 'Concat(GetSpan(Char, 0, Start, "/", -1, Start))',
  },
  {
    id: 'paths.dotted',
    family: 'paths',
    row: (r) => [filePath(r).slice(1)],
    program: 'Concat(Replace("/", "."))',
  },
  // ---- product codes
  { id: 'products.number', family: 'products', row: (r) => [sku(r)], program: 'Concat(GetToken(Number, 0))' },
  {
    id: 'products.color',
    family: 'products',
    row: (r) => [sku(r)],
    program: 'Concat(ToCase(Lower, GetToken(Word, -1)))',
  },
  {
    id: 'products.compact',
    family: 'products',
    row: (r) => [`${r.pick(SIZES)}-${digits(r, 4)}-${r.pick(COLORS)}`],
    program: 'Concat(GetToken(Word, 0), GetToken(Number, 0), GetToken(Word, 1))',
  },
  {
    id: 'products.delete-dashes',
    family: 'products',
    row: (r) => [sku(r)],
    program: 'Concat(Replace("-", ""))',
  },
  {
    id: 'products.price',
    family: 'products',
    row: (r) => [
      `${r.pick(PRODUCTS)} ${r.pick(PRODUCT_SUFFIXES)} - $${r.range(5, 499)}.${pad2(r.range(0, 99))}`,
    ],
    program: 'Concat(GetFrom("$"))',
  },
  {
    id: 'products.name-upper',
    family: 'products',
    row: (r) => [messyCase(r, `${r.pick(PRODUCTS)} ${r.pick(PRODUCT_SUFFIXES)}`) + ` - $${r.range(5, 499)}`],
    program: 'Concat(ToCase(Proper, GetSpan(Char, 0, Start, " ", 1, Start)))',
  },
  // ---- several input columns (extended mode)
  {
    id: 'columns.full-name',
    family: 'names',
    row: (r) => [r.pick(FIRST_NAMES), r.pick(LAST_NAMES)],
    program: 'Concat(In(0), " ", In(1))',
  },
  {
    id: 'columns.email',
    family: 'emails',
    row: (r) => [r.pick(FIRST_NAMES), r.pick(LAST_NAMES), r.pick(DOMAINS)],
    program: 'Concat(ToCase(Lower, SubStr(0, 1)), ToCase(Lower, In(1)), "@", In(2))',
  },
  {
    id: 'columns.city-state',
    family: 'addresses',
    row: (r) => [r.pick(CITIES), r.pick(STATES).toLowerCase()],
    program: 'Concat(In(0), ", ", ToCase(AllCaps, In(1)))',
  },
  {
    id: 'columns.date',
    family: 'dates',
    row: (r) => [String(r.range(1990, 2030)), String(r.range(1, 12)), String(r.range(1, 28))],
    program: 'Concat(In(1), "/", In(2), "/", In(0))',
  },
];
