/**
 * Runs a CLI command in-process and checks what a user must always get on bad input: the right exit
 * code, every stderr line a one-line `replsynth: …` message (no stack trace, no "internal error"), the
 * expected messages, and no user file lost or changed (the folders given are snapshotted).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, vi } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { captureIo } from '../fixtures/capture-io.js';

/** Every file under the folders (or the files themselves), with a hash of its bytes. */
export function snapshot(paths: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (p: string): void => {
    if (!existsSync(p)) return;
    if (statSync(p).isDirectory()) for (const n of readdirSync(p)) walk(join(p, n));
    else out.set(p, createHash('sha1').update(readFileSync(p)).digest('hex'));
  };
  for (const p of paths) walk(p);
  return out;
}

export interface Outcome {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  readonly lines: readonly string[];
}

export async function run(args: readonly string[]): Promise<Outcome> {
  const io = captureIo();
  try {
    const code = await runCli(args);
    const err = io.err();
    return { code, out: io.out(), err, lines: err.split('\n').filter((l) => l.trim() !== '') };
  } finally {
    vi.restoreAllMocks();
  }
}

/**
 * Runs `args` and expects a clear error: exit `code` (2 by default), each expected pattern on a line
 * of its own that starts with `replsynth: `, nothing else on stderr, and no file under `watch` added,
 * removed or changed.
 */
export async function expectClearError(
  args: readonly string[],
  patterns: readonly RegExp[],
  o: { code?: number; watch?: readonly string[]; exact?: boolean } = {},
): Promise<Outcome> {
  const before = snapshot(o.watch ?? []);
  const r = await run(args);
  const where = `replsynth ${args.join(' ')}\n${r.err}`;
  expect(r.code, where).toBe(o.code ?? 2);
  expect(r.err, where).not.toMatch(/internal error|\n\s+at |TypeError|SyntaxError|ENOENT: no such/);
  for (const l of r.lines) expect(l, where).toMatch(/^replsynth: \S/);
  for (const p of patterns)
    expect(
      r.lines.some((l) => p.test(l)),
      `${where}\nwanted ${p}`,
    ).toBe(true);
  if (o.exact ?? true) expect(r.lines, where).toHaveLength(patterns.length);
  expect(snapshot(o.watch ?? []), `files changed by: ${where}`).toEqual(before);
  return r;
}
