/**
 * Exports both CSG problems share: OpenSCAD source as nested union() / difference() blocks over the
 * problem's primitives, and reading back the JSON form by re-parsing its source.
 */
import type { CsgProgram } from './program.js';

/** OpenSCAD source: the header comment lines, then the tree with two-space indents. */
export function csgOpenScad<P>(
  header: readonly string[],
  isPrimitive: (p: CsgProgram<P>) => p is P,
  scadPrimitive: (p: P) => string,
  p: CsgProgram<P>,
): string {
  const lines: string[] = [...header];
  const walk = (q: CsgProgram<P>, indent: string): void => {
    if (isPrimitive(q)) {
      lines.push(indent + scadPrimitive(q));
      return;
    }
    lines.push(`${indent}${q.op === 'union' ? 'union' : 'difference'}() {`);
    walk(q.a, indent + '  ');
    walk(q.b, indent + '  ');
    lines.push(`${indent}}`);
  };
  walk(p, '');
  return lines.join('\n') + '\n';
}

/** Reads a `toJson` value of problem `id` back (re-parsing the source, so the tree is validated). */
export function csgFromJson<Program>(id: string, parse: (text: string) => Program, value: unknown): Program {
  const o = value as { format?: unknown; source?: unknown } | null;
  if (!o || o.format !== `replsynth-${id}` || typeof o.source !== 'string')
    throw new Error(`not a replsynth ${id} program (expected format 'replsynth-${id}' and a 'source')`);
  return parse(o.source);
}
