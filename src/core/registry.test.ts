import { describe, expect, it } from 'vitest';
import { UserError } from './errors.js';
import { Registry } from './registry.js';

describe('Registry', () => {
  const make = () => {
    const r = new Registry<{ id: string; aliases?: string[]; n: number }>('widget');
    r.register({ id: 'a', aliases: ['alpha'], n: 1 });
    r.register({ id: 'b', n: 2 });
    return r;
  };
  it('finds by id and by alias, lists in registration order', () => {
    const r = make();
    expect(r.get('a').n).toBe(1);
    expect(r.get('alpha').n).toBe(1);
    expect(r.has('alpha')).toBe(true);
    expect(r.find('nope')).toBeUndefined();
    expect(r.list().map((x) => x.id)).toEqual(['a', 'b']);
  });
  it('throws on a duplicate id or alias, in either direction', () => {
    const r = make();
    expect(() => r.register({ id: 'a', n: 3 })).toThrow(/widget 'a' is already registered/);
    expect(() => r.register({ id: 'alpha', n: 3 })).toThrow(/already registered/);
    expect(() => r.register({ id: 'c', aliases: ['b'], n: 3 })).toThrow(/widget 'b'/);
    expect(r.list()).toHaveLength(2);
  });
  it('an unknown id is a one-line usage error (exit 2) listing the known ids', () => {
    const e = (() => {
      try {
        make().get('zzz');
      } catch (x) {
        return x as UserError;
      }
      return null;
    })();
    expect(e).toBeInstanceOf(UserError);
    expect(e!.exitCode).toBe(2);
    expect(e!.message).toBe("unknown widget 'zzz' (known: a, b)");
  });
  it('unregister forgets the id and its aliases', () => {
    const r = make();
    r.unregister('a');
    expect(r.has('a')).toBe(false);
    expect(r.has('alpha')).toBe(false);
    r.register({ id: 'alpha', n: 4 });
    expect(r.get('alpha').n).toBe(4);
  });
});
