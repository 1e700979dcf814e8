/**
 * The built-in experiments. Adding one = one file exporting an `Experiment` (experiment.ts) and one
 * line in `builtins`.
 */
import { findExperiment, registerExperiment, type Experiment } from './experiment.js';
import { lasynthC } from './lasynth-c.js';
import { paperCsg2d } from './paper-csg2d.js';
import { paperCsg3d } from './paper-csg3d.js';
import { paperStrings } from './paper-strings.js';

const builtins: readonly Experiment[] = [paperCsg2d, paperCsg3d, paperStrings, lasynthC];

/** Registers every built-in experiment once (safe to call repeatedly). */
export function registerBuiltinExperiments(): void {
  for (const e of builtins) if (!findExperiment(e.id)) registerExperiment(e);
}

export * from './experiment.js';
export * from './compare.js';
export * from './report.js';
