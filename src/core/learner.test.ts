import { describe, expect, it } from 'vitest';
import { valueTargetOf } from './learner.js';

describe('valueTargetOf', () => {
  it('is the soft target when given, else success as 0 or 1', () => {
    expect(valueTargetOf({ state: null, success: true })).toBe(1);
    expect(valueTargetOf({ state: null, success: false })).toBe(0);
    expect(valueTargetOf({ state: null, success: false, target: 0.4 })).toBe(0.4);
    expect(valueTargetOf({ state: null, success: true, target: 0 })).toBe(0);
  });
});
