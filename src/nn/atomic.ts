/**
 * The project's one atomic write (node only): `content` goes to a temporary file in the same folder,
 * then a rename, so readers never see half a file. nn's checkpoints and src/io (CLI, scripts) use it.
 */
import { renameSync, writeFileSync } from 'node:fs';

export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}
