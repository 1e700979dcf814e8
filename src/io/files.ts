/**
 * The node edge: files and folders for the CLI and the library API. Everything inside (problems,
 * methods, models) sees bytes and core's ModelFiles, never paths, so it runs in a browser too.
 * Outputs are checked before the work starts (their folder exists, they are not folders, nothing is
 * overwritten without --force, no two outputs are the same file) and written atomically; a folder of
 * outputs (a model) is written to a temporary folder and renamed into place.
 */
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  InputError,
  SpecError,
  UserError,
  type InputFormat,
  type ModelDefinition,
  type ModelFiles,
  type NamedSpec,
  type OptionValues,
  type ParsedInput,
} from '../core/index.js';
import { writeFileAtomic } from '../nn/atomic.js';
// The node edge runs networks with onnxruntime-node (a browser sets onnxruntime-web instead).
import '../nn/runtime-node.js';

/** The installed package's root folder (holds models/ and examples/). */
export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

export { writeFileAtomic };

/** Several input errors found at once: the CLI prints one line each (exit code 2). */
export class InputProblems extends UserError {
  constructor(readonly lines: readonly string[]) {
    super(lines.join('\n'), 2);
    this.name = 'InputProblems';
  }
}

/** Throws the collected errors (none: nothing), at most `max` of them spelled out. */
export function throwProblems(lines: readonly string[], max = 20): void {
  if (lines.length === 0) return;
  if (lines.length === 1) throw new UserError(lines[0], 2);
  const shown = lines.slice(0, max);
  if (lines.length > max) shown.push(`… and ${lines.length - max} more errors`);
  throw new InputProblems(shown);
}

const code = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? String(e);

/** A folder as ModelFiles; a file that cannot be read is a user error naming it; writes are atomic. */
export function openFolder(dir: string): ModelFiles {
  return {
    location: dir,
    has: async (name) => existsSync(join(dir, name)),
    read: async (name) => {
      try {
        return new Uint8Array(readFileSync(join(dir, name)));
      } catch (e) {
        throw new UserError(`${join(dir, name)}: cannot read the file (${code(e)})`, 2);
      }
    },
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
    if (statSync(path).isDirectory()) throw new InputError(path, 0, null, 'is a folder, not a file');
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(path, 0, null, `cannot read the file (${code(e)})`);
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
    throw new UserError(`${flag} ${dir}: cannot read the folder (${code(e)})`, 2);
  }
  const files = names.filter((n) => extensions.includes(extname(n).toLowerCase())).sort();
  if (files.length === 0) throw new UserError(`${flag} ${dir}: no ${extensions.join('/')} files`, 2);
  return files.map((n) => join(dir, n));
}

/** A reader that also takes the values of its problem's options (CSV header, length limits …). */
type Reader<Spec> = (bytes: Uint8Array, name: string, values?: OptionValues) => ParsedInput<Spec>;

/** The one-line messages of an error a reader threw (several for an AggregateError of them). */
export function inputMessages(e: unknown): string[] | null {
  if (e instanceof AggregateError && e.errors.every((x) => x instanceof UserError || x instanceof SpecError))
    return e.errors.map((x: Error) => (x instanceof InputError ? lineless(x) : x.message));
  if (e instanceof InputProblems) return [...e.lines];
  if (e instanceof InputError) return [lineless(e)];
  if (e instanceof UserError || e instanceof SpecError) return [e.message];
  return null;
}

/** An InputError's message; files without lines (an image) are named without a ':0'. */
const lineless = (e: InputError): string =>
  e.line > 0 ? e.message : `${e.file}${e.field ? `: field '${e.field}'` : ''}: ${e.problem}`;

/**
 * Specs from a user's file (or, for folder formats, every matching file of a folder). Every file is
 * read and checked before any work: all errors are reported together (exit code 2), not the first.
 */
export function readSpecs<Spec>(
  format: InputFormat<Spec>,
  path: string,
  asFolder: boolean,
  warn: (message: string) => void,
  values?: OptionValues,
): NamedSpec<Spec>[] {
  const files = asFolder ? folderFiles(`--${format.id}`, path, format.extensions) : [path];
  const out: NamedSpec<Spec>[] = [];
  const errors: string[] = [];
  const warnings: string[] = [];
  const parse = format.parse.bind(format) as Reader<Spec>;
  for (const f of files) {
    try {
      const parsed = parse(readBytes(f), f, values);
      warnings.push(...(parsed.warnings ?? []));
      out.push(...parsed.specs);
    } catch (e) {
      const lines = inputMessages(e);
      if (!lines) throw e;
      errors.push(...lines);
    }
  }
  // Warnings (an image was resized …) only once the whole input is good, so errors stand out.
  throwProblems(errors);
  for (const w of warnings) warn(w);
  return out;
}

/**
 * Checks an output path before the work starts: its folder must exist, it must not be a folder, and
 * an existing file is overwritten only with --force. All are usage errors (exit code 2).
 */
export function checkOutput(flag: string, path: string | undefined, force: boolean | undefined): void {
  if (!path) return;
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UserError(`${flag} ${path}: the folder ${dir} does not exist`, 2);
  if (existsSync(path) && statSync(path).isDirectory())
    throw new UserError(`${flag} ${path}: is a folder`, 2);
  if (existsSync(path) && !force) throw new UserError(`${flag} ${path} exists; pass --force to overwrite`, 2);
}

/** No two outputs may be the same file (e.g. --compare = --out would overwrite the program). */
export function checkDistinct(outputs: readonly (readonly [string, string | undefined])[]): void {
  const seen = new Map<string, string>();
  for (const [flag, path] of outputs) {
    if (!path) continue;
    const key = resolve(path);
    const other = seen.get(key);
    if (other)
      throw new UserError(`${flag} ${path} is the same file as ${other}; give them different names`, 2);
    seen.set(key, flag);
  }
}

/** An output folder (e.g. --renders) must exist already: it is not created behind the user's back. */
export function checkFolder(flag: string, dir: string | undefined): void {
  if (!dir) return;
  if (!existsSync(dir)) throw new UserError(`${flag} ${dir}: the folder does not exist (create it first)`, 2);
  if (!statSync(dir).isDirectory()) throw new UserError(`${flag} ${dir}: is a file, not a folder`, 2);
}

/** A folder the command creates or reuses (a checkpoint): it may be absent, but not a file. */
export function checkWorkFolder(flag: string, dir: string): void {
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new UserError(`${flag} ${dir}: is a file, not a folder`, 2);
  const parent = dirname(resolve(dir));
  if (existsSync(parent) && !statSync(parent).isDirectory())
    throw new UserError(`${flag} ${dir}: ${parent} is a file, not a folder`, 2);
}

/**
 * A folder written as a whole (a model folder): its parent must exist, it must not be a file, and an
 * existing non-empty one is replaced only with --force.
 */
export function checkFolderOutput(flag: string, dir: string | undefined, force: boolean | undefined): void {
  if (!dir) return;
  const parent = dirname(resolve(dir));
  if (!existsSync(parent) || !statSync(parent).isDirectory())
    throw new UserError(`${flag} ${dir}: the folder ${parent} does not exist`, 2);
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new UserError(`${flag} ${dir}: is a file, not a folder`, 2);
  if (readdirSync(dir).length > 0 && !force)
    throw new UserError(`${flag} ${dir} exists and is not empty; pass --force to replace it`, 2);
}

/**
 * Writes a folder as a whole: every file goes into a temporary folder beside it, which is renamed into
 * place, so `dest` holds either the old files or the new ones, never a mix. An existing `dest` is
 * moved aside first and removed once the new folder is in place.
 */
export function writeFolderAtomic(dest: string, files: ReadonlyMap<string, string | Uint8Array>): void {
  const abs = resolve(dest);
  const tmp = join(dirname(abs), `.${basename(abs)}.${process.pid}.tmp`);
  const old = join(dirname(abs), `.${basename(abs)}.${process.pid}.old`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  try {
    for (const [name, data] of files) writeFileSync(join(tmp, name), data);
    if (existsSync(abs)) {
      renameSync(abs, old);
      try {
        renameSync(tmp, abs);
      } catch (e) {
        renameSync(old, abs);
        throw e;
      }
      rmSync(old, { recursive: true, force: true });
    } else renameSync(tmp, abs);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
