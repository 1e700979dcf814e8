/** Word pools for the realistic task families (small, varied, ASCII so paper mode can use them). */
import type { Rng } from '../../core/index.js';

export const FIRST_NAMES = [
  'Anna',
  'Ben',
  'Carla',
  'David',
  'Elena',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jamal',
  'Kate',
  'Liam',
  'Maria',
  'Noah',
  'Olga',
  'Pedro',
  'Quinn',
  'Rosa',
  'Sam',
  'Tara',
  'Umar',
  'Vera',
  'Wen',
  'Xavier',
  'Yara',
  'Zoe',
  'Alice',
  'Bruno',
  'Chloe',
  'Dmitri',
  'Emma',
  'Felix',
  'Hannah',
  'Ivan',
  'Julia',
  'Kofi',
  'Lena',
  'Marco',
];
export const LAST_NAMES = [
  'Smith',
  'Garcia',
  'Chen',
  'Novak',
  'Okafor',
  'Rossi',
  'Kim',
  'Silva',
  'Müller',
  'Brown',
  'Tanaka',
  'Lopez',
  'Nguyen',
  'Wilson',
  'Khan',
  'Moreau',
  'Jensen',
  'Costa',
  'Ivanova',
  'Patel',
  'Fischer',
  'Adams',
  'Berg',
  'Diaz',
  'Evans',
  'Ford',
  'Gray',
  'Hill',
  'Lund',
  'Ortiz',
  'Park',
  'Reyes',
  'Stone',
  'Vogel',
  'Walsh',
].filter((n) => /^[A-Za-z]+$/.test(n));
export const TITLES = ['Dr.', 'Mr.', 'Ms.', 'Mrs.', 'Prof.'];
export const CITIES = [
  'Springfield',
  'Portland',
  'Austin',
  'Denver',
  'Boston',
  'Madison',
  'Tucson',
  'Omaha',
  'Reno',
  'Dayton',
  'Salem',
  'Fresno',
  'Tampa',
  'Raleigh',
  'Boise',
  'Eugene',
  'Mesa',
  'Akron',
  'Provo',
  'Duluth',
];
export const TWO_WORD_CITIES = [
  'San Jose',
  'El Paso',
  'New Haven',
  'Fort Worth',
  'Palo Alto',
  'Ann Arbor',
  'Las Vegas',
  'Santa Fe',
];
export const STATES = [
  'IL',
  'OR',
  'TX',
  'CO',
  'MA',
  'WI',
  'AZ',
  'NE',
  'NV',
  'OH',
  'CA',
  'FL',
  'NC',
  'ID',
  'MN',
  'NM',
];
export const STREETS = [
  'Main',
  'Oak',
  'Pine',
  'Maple',
  'Cedar',
  'Elm',
  'Lake',
  'Hill',
  'Park',
  'Mill',
  'River',
  'Church',
];
export const STREET_TYPES = ['St', 'Ave', 'Rd', 'Blvd', 'Ln', 'Dr', 'Way', 'Ct'];
export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
export const DOMAINS = ['example.com', 'acme.org', 'mail.net', 'corp.io', 'school.edu', 'shop.co'];
export const COMPANIES = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark', 'wayne', 'wonka'];
export const MOVIES = [
  'Inception',
  'Alien',
  'Heat',
  'Vertigo',
  'Casablanca',
  'Jaws',
  'Amelie',
  'Rocky',
  'Psycho',
  'Fargo',
  'Up',
  'Ran',
];
export const REVIEW_OPENERS = [
  'Loved it',
  'Great value',
  'Not bad',
  'Terrible',
  'Would buy again',
  'Too small',
  'Works fine',
  'Amazing',
];
export const REVIEW_TAILS = [
  'Great battery life.',
  'Shipping was slow.',
  'Fits well.',
  'Broke in a week.',
  'Five stars.',
  'Nice colors.',
];
export const DIRS = [
  'home',
  'usr',
  'var',
  'data',
  'docs',
  'src',
  'lib',
  'tmp',
  'photos',
  'music',
  'projects',
  'backup',
];
export const USERS = ['anna', 'ben', 'carla', 'dev', 'root', 'maria', 'sam', 'zoe'];
export const FILE_STEMS = [
  'report',
  'notes',
  'summary',
  'invoice',
  'photo',
  'draft',
  'budget',
  'index',
  'readme',
  'thesis',
];
export const EXTENSIONS = ['pdf', 'txt', 'docx', 'csv', 'jpg', 'png', 'md', 'json', 'xlsx', 'py'];
export const PRODUCTS = [
  'Widget',
  'Gadget',
  'Lamp',
  'Chair',
  'Kettle',
  'Blender',
  'Router',
  'Drone',
  'Camera',
  'Speaker',
];
export const PRODUCT_SUFFIXES = ['Pro', 'Mini', 'Max', 'Plus', 'Lite', 'Air'];
export const COLORS = ['RED', 'BLU', 'GRN', 'BLK', 'WHT', 'YLW', 'GRY'];
export const SIZES = ['XS', 'SM', 'MD', 'LG', 'XL'];

export const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
export const digits = (rng: Rng, n: number): string => {
  let s = String(rng.range(1, 9));
  for (let i = 1; i < n; i++) s += String(rng.int(10));
  return s;
};
/** Random casing so ToCase always has something to change. */
export const messyCase = (rng: Rng, s: string): string => {
  const k = rng.int(3);
  return k === 0
    ? s.toLowerCase()
    : k === 1
      ? s.toUpperCase()
      : s
          .split('')
          .map((c) => (rng.bool() ? c.toUpperCase() : c.toLowerCase()))
          .join('');
};

// Row pieces shared by several templates (each draws from the rng in one fixed order).
export const fullName = (r: Rng): string => `${r.pick(FIRST_NAMES)} ${r.pick(LAST_NAMES)}`;
export const isoDate = (r: Rng): string =>
  `${r.range(1990, 2030)}-${pad2(r.range(1, 12))}-${pad2(r.range(1, 28))}`;
export const filePath = (r: Rng): string =>
  `/${r.pick(DIRS)}/${r.pick(USERS)}/${r.pick(DIRS)}/${r.pick(FILE_STEMS)}.${r.pick(EXTENSIONS)}`;
export const sku = (r: Rng): string =>
  `${r.pick(['SKU', 'PRD', 'ITM', 'REF'])}-${digits(r, 4)}-${r.pick(COLORS)}`;
