import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ParseError,
  SpecError,
  replay,
  resolveParams,
  type Domain,
  type ParamSpec,
  type ParamValue,
} from './domain.js';

const specs: ParamSpec[] = [
  { name: 'depth', type: 'int', default: 4, description: 'max depth', min: 1, max: 10 },
  { name: 'temp', type: 'float', default: 0.5, description: 'temperature', min: 0 },
  { name: 'fast', type: 'bool', default: false, description: 'fast mode' },
  { name: 'mode', type: 'enum', default: 'paper', description: 'mode', choices: ['paper', 'extended'] },
  { name: 'label', type: 'string', default: 'x', description: 'a label' },
];

describe('resolveParams', () => {
  it('fills every default when nothing is given', () => {
    expect(resolveParams(specs)).toEqual({ depth: 4, temp: 0.5, fast: false, mode: 'paper', label: 'x' });
    expect(resolveParams([])).toEqual({});
  });

  it('keeps given values and converts strings (as they come from the command line)', () => {
    expect(
      resolveParams(specs, { depth: '7', temp: '0.25', fast: 'true', mode: 'extended', label: 3 }),
    ).toEqual({ depth: 7, temp: 0.25, fast: true, mode: 'extended', label: '3' });
    expect(resolveParams(specs, { fast: 'false' }).fast).toBe(false);
    expect(resolveParams(specs, { fast: true }).fast).toBe(true);
  });

  it('does not modify its arguments', () => {
    const given = { depth: '7' };
    resolveParams(specs, given);
    expect(given).toEqual({ depth: '7' });
  });

  it('rejects an unknown parameter, naming it and the known ones', () => {
    expect(() => resolveParams(specs, { dpeth: 3 })).toThrow(
      "unknown parameter 'dpeth' (known: depth, temp, fast, mode, label)",
    );
    expect(() => resolveParams([], { a: 1 })).toThrow("unknown parameter 'a' (known: none)");
  });

  it('rejects a non-integer int and a non-number, quoting the value', () => {
    expect(() => resolveParams(specs, { depth: '3.5' })).toThrow(
      "parameter 'depth': expected int, got '3.5'",
    );
    expect(() => resolveParams(specs, { depth: 2.5 })).toThrow("parameter 'depth': expected int, got '2.5'");
    expect(() => resolveParams(specs, { depth: 'abc' })).toThrow(
      "parameter 'depth': expected int, got 'abc'",
    );
    expect(() => resolveParams(specs, { temp: 'NaN' })).toThrow(
      "parameter 'temp': expected float, got 'NaN'",
    );
    expect(() => resolveParams(specs, { temp: 'Infinity' })).toThrow(/expected float/);
  });

  it('enforces min and max, inclusive', () => {
    expect(() => resolveParams(specs, { depth: 0 })).toThrow("parameter 'depth': must be ≥ 1, got 0");
    expect(() => resolveParams(specs, { depth: '11' })).toThrow("parameter 'depth': must be ≤ 10, got 11");
    expect(() => resolveParams(specs, { temp: -0.1 })).toThrow("parameter 'temp': must be ≥ 0, got -0.1");
    expect(resolveParams(specs, { depth: 1 }).depth).toBe(1);
    expect(resolveParams(specs, { depth: 10 }).depth).toBe(10);
  });

  it('accepts exactly the integers in [min, max], given as numbers or strings', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100, max: 100 }), fc.boolean(), (n, asString) => {
        const given = { depth: asString ? String(n) : n };
        if (n >= 1 && n <= 10) expect(resolveParams(specs, given).depth).toBe(n);
        else expect(() => resolveParams(specs, given)).toThrow(/^parameter 'depth': must be [≥≤]/);
      }),
    );
  });

  it('rejects an enum value outside its choices, listing them', () => {
    expect(() => resolveParams(specs, { mode: 'Paper' })).toThrow(
      "parameter 'mode': expected one of paper|extended, got 'Paper'",
    );
    expect(() => resolveParams(specs, { mode: 1 })).toThrow(/expected one of paper\|extended/);
  });

  it('accepts only true/false for a bool', () => {
    for (const bad of ['yes', '1', 'TRUE', 0, 1])
      expect(() => resolveParams(specs, { fast: bad })).toThrow(
        `parameter 'fast': expected true or false, got '${bad}'`,
      );
  });

  it('validates the defaults too', () => {
    const broken: ParamSpec[] = [{ name: 'n', type: 'int', default: 0, description: '', min: 1 }];
    expect(() => resolveParams(broken)).toThrow("parameter 'n': must be ≥ 1, got 0");
  });

  it('errors are one line', () => {
    const msgs: string[] = [];
    const cases: Record<string, ParamValue>[] = [
      { nope: 1 },
      { depth: 'x' },
      { depth: 99 },
      { mode: 'z' },
      { fast: 'y' },
    ];
    for (const given of cases) {
      try {
        resolveParams(specs, given);
      } catch (e) {
        msgs.push((e as Error).message);
      }
    }
    expect(msgs).toHaveLength(5);
    for (const m of msgs) expect(m).not.toContain('\n');
  });
});

// A counter domain: state n, action k adds k; actions above 3 fail.
const counter = {
  initialState: (start: number) => start,
  step: (n: number, k: number) =>
    k > 3 ? { ok: false, reason: `${k} is too big` } : { ok: true, state: n + k },
} as unknown as Domain<number, number, number>;

describe('replay', () => {
  it('returns the final state and every state on the way', () => {
    const r = replay(counter, 10, [1, 2, 3]);
    expect(r).toEqual({ ok: true, state: 16, states: [10, 11, 13, 16] });
  });

  it('reports the index and reason of the first failing action, with the states before it', () => {
    expect(replay(counter, 0, [1, 5, 1])).toEqual({
      ok: false,
      at: 1,
      reason: '5 is too big',
      states: [0, 1],
    });
  });

  it('with no actions is the initial state', () => {
    expect(replay(counter, 4, [])).toEqual({ ok: true, state: 4, states: [4] });
  });
});

describe('domain errors', () => {
  it('ParseError carries the position and its name', () => {
    const e = new ParseError("unexpected token 'x'", 7);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('ParseError');
    expect(e.position).toBe(7);
    expect(e.message).toBe("unexpected token 'x'");
  });

  it('SpecError is a named Error', () => {
    const e = new SpecError('too many examples');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('SpecError');
  });
});
