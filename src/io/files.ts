/**
 * The node edge: files and folders for the CLI and the library API. Everything inside (problems,
 * methods, models) sees bytes and core's ModelFiles, never paths, so it runs in a browser too.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  InputError,
  UserError,
  type InputFormat,
  type ModelDefinition,
  type ModelFiles,
  type NamedSpec,
} from '../core/index.js';
import { writeFileAtomic } from '../nn/atomic.js';
// The node edge runs networks with onnxruntime-node (a browser sets onnxruntime-web instead).
import '../nn/runtime-node.js';

/** The installed package's root folder (holds models/ and examples/). */
export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

export { writeFileAtomic };

/** A folder as ModelFiles; writes create the folder and are atomic. */
export function openFolder(dir: string): ModelFiles {
  return {
    location: dir,
    has: async (name) => existsSync(join(dir, name)),
    read: async (name) => new Uint8Array(readFileSync(join(dir, name))),
    write: async (name, data) => {
      mkdirSync(dir, { recursive: true });
      writeFileAtomic(join(dir, name), data);
    },
  };
}

/** Where a model's shipped weights are in this installation. */
export const shippedLocation = (def: ModelDefinition): string | null =>
  def.shipped ? join(packageRoot, 'models', def.shipped) : null;

function readBytes(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new InputError(
      path,
      0,
      null,
      `cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
    );
  }
}

/** The files of a folder with one of the extensions, sorted by name; none is a user error. */
export function folderFiles(flag: string, dir: string, extensions: readonly string[]): string[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new UserError(`${flag} ${dir}: not a folder`, 2);
    names = readdirSync(dir);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(
      `${flag} ${dir}: cannot read the folder (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
      2,
    );
  }
  const files = names.filter((n) => extensions.includes(extname(n).toLowerCase())).sort();
  if (files.length === 0) throw new UserError(`${flag} ${dir}: no ${extensions.join('/')} files`, 2);
  return files.map((n) => join(dir, n));
}

/** Specs from a user's file (or, for folder formats, every matching file of a folder). */
export function readSpecs<Spec>(
  format: InputFormat<Spec>,
  path: string,
  asFolder: boolean,
  warn: (message: string) => void,
): NamedSpec<Spec>[] {
  const files = asFolder ? folderFiles(`--${format.id}`, path, format.extensions) : [path];
  const out: NamedSpec<Spec>[] = [];
  for (const f of files) {
    const parsed = format.parse(readBytes(f), f);
    for (const w of parsed.warnings ?? []) warn(w);
    out.push(...parsed.specs);
  }
  return out;
}

/**
 * Checks an output path before the work starts: its folder must exist, it must not be a folder, and
 * an existing file is overwritten only with --force.
 */
export function checkOutput(flag: string, path: string | undefined, force: boolean | undefined): void {
  if (!path) return;
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UserError(`${flag} ${path}: the folder ${dir} does not exist`, 2);
  if (existsSync(path) && statSync(path).isDirectory())
    throw new UserError(`${flag} ${path}: is a folder`, 2);
  if (existsSync(path) && !force) throw new UserError(`${flag} ${path} exists; pass --force to overwrite`);
}
