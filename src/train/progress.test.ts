import { describe, expect, it, vi } from 'vitest';
import { estimateEta, formatSeconds, interruptFlag } from './progress.js';

describe('estimateEta', () => {
  it('uses only the work done in this run when resuming', () => {
    // Resumed at step 14,000 of 100,000; 100 steps in 10 s → 10 steps/s → 8,590 s left.
    expect(estimateEta(10, 14_100, 14_000, 100_000)).toBeCloseTo(8_590, 6);
  });
  it('is capped by the time limit of the run', () => {
    expect(estimateEta(10, 14_100, 14_000, 100_000, 60)).toBe(50);
    expect(estimateEta(70, 14_100, 14_000, 100_000, 60)).toBe(0);
  });
  it('is unknown before any work in this run, unless a limit bounds it', () => {
    expect(Number.isNaN(estimateEta(1, 500, 500, 1_000))).toBe(true);
    expect(estimateEta(1, 500, 500, 1_000, 30)).toBe(29);
    expect(formatSeconds(NaN)).toBe('?');
  });
});

describe('interruptFlag', () => {
  it('one Ctrl-C delivered twice (relayed by a wrapper) asks to stop but does not quit', () => {
    let t = 1000;
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const flag = interruptFlag(1500, () => t);
    try {
      expect(flag.requested).toBe(false);
      process.emit('SIGINT', 'SIGINT');
      t += 5;
      process.emit('SIGINT', 'SIGINT');
      expect(flag.requested).toBe(true);
      expect(exit).not.toHaveBeenCalled();
      t += 5000;
      process.emit('SIGINT', 'SIGINT');
      expect(exit).toHaveBeenCalledWith(130);
    } finally {
      flag.dispose();
      exit.mockRestore();
      err.mockRestore();
    }
  });

  it('SIGTERM asks to stop after the step too, and a later one quits', () => {
    let t = 1000;
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const flag = interruptFlag(1500, () => t);
    try {
      process.emit('SIGTERM', 'SIGTERM');
      expect(flag.requested).toBe(true);
      expect(String(err.mock.calls[0][0])).toContain('saving a checkpoint');
      expect(exit).not.toHaveBeenCalled();
      t += 5000;
      process.emit('SIGTERM', 'SIGTERM');
      expect(exit).toHaveBeenCalledWith(130);
    } finally {
      flag.dispose();
      exit.mockRestore();
      err.mockRestore();
    }
    expect(process.listenerCount('SIGTERM')).toBe(0);
  });
});
