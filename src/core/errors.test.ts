import { describe, expect, it } from 'vitest';
import { InputError, UserError } from './errors.js';

describe('UserError', () => {
  it('is a named Error with exit code 1 unless told otherwise', () => {
    const e = new UserError('no such file: tasks.jsonl');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('UserError');
    expect(e.message).toBe('no such file: tasks.jsonl');
    expect(e.exitCode).toBe(1);
    expect(new UserError('usage', 2).exitCode).toBe(2);
  });
});

describe('InputError', () => {
  it("reads file:line: field 'f': problem", () => {
    const e = new InputError('tasks.jsonl', 3, 'examples', 'expected an array');
    expect(e.message).toBe("tasks.jsonl:3: field 'examples': expected an array");
    expect(e).toBeInstanceOf(UserError);
    expect(e.name).toBe('InputError');
    expect(e.exitCode).toBe(1);
    expect([e.file, e.line, e.field, e.problem]).toEqual(['tasks.jsonl', 3, 'examples', 'expected an array']);
  });

  it('leaves the field out when there is none', () => {
    expect(new InputError('a.csv', 12, null, 'not valid JSON').message).toBe('a.csv:12: not valid JSON');
    expect(new InputError('a.csv', 1, '', 'empty line').message).toBe('a.csv:1: empty line');
  });

  it('stays on one line when a field or value read from the file holds control characters', () => {
    const e = new InputError('f.jsonl', 1, '\name', "unknown field 'a\u2028b\u0007'");
    expect(e.message).toBe("f.jsonl:1: field '\\name': unknown field 'a\\u2028b\\u0007'");
    expect(e.message).not.toMatch(/[\n\r\u2028\u2029]/);
    expect(e.field).toBe('\name');
  });
});
