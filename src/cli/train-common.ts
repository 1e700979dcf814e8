import { appendFileSync, copyFileSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainLogEntry } from '../train/index.js';

/** Appends each log entry to DIR/train-log.jsonl and echoes it on stderr. */
export function trainLogger(dir: string): (e: TrainLogEntry) => void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'train-log.jsonl');
  return (e) => {
    appendFileSync(path, JSON.stringify(e) + '\n');
    process.stderr.write(
      `${Object.entries(e)
        .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(4)}`)
        .join(' ')}\n`,
    );
  };
}

/** Copies a checkpoint's model files (each atomically) and its training log into a shipping folder. */
export function shipModel(checkpoint: string, dest: string, files: readonly string[]): void {
  mkdirSync(dest, { recursive: true });
  for (const f of files) {
    copyFileSync(join(checkpoint, f), join(dest, `${f}.tmp`));
    renameSync(join(dest, `${f}.tmp`), join(dest, f));
  }
  if (existsSync(join(checkpoint, 'train-log.jsonl'))) copyFileSync(join(checkpoint, 'train-log.jsonl'), join(dest, 'train-log.jsonl'));
  writeFileSync(join(dest, '.shipped-from'), `${checkpoint}\n`);
}
