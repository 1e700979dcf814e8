#!/usr/bin/env node
/**
 * Carries a long run (e.g. `replsynth experiment lasynth-c`) from one machine to the next through the
 * repository, for development machines that keep only what is committed. A development tool, not
 * part of the package.
 *
 *   node scripts/carry-run.mjs pack runs/lasynth-c checkpoints/lasynth-c experiments/lasynth-c
 *   node scripts/carry-run.mjs unpack runs/lasynth-c
 *
 * pack copies each folder to <dest>/files/<folder>, keeping what resuming needs and leaving out what is
 * made again:
 * - a checkpoint folder (one with training-state.json, not under snapshots/) keeps config, logs,
 *   records, model.onnx and training-state.*, finished or not (a retraining round may start from a
 *   finished one); its inference graphs (*.onnx but model.onnx) are written again at its next save.
 *   Git stores a file that did not change since the last pack only once.
 * - unfinished work folders (*.partial, *.training) are left out: the run starts them again.
 * The pack is written beside dest and renamed over it when whole, so an interrupted pack leaves the
 * previous one. unpack copies the files back to the same paths, each through a temporary name, never
 * over a file that exists (it says how many it left), so it cannot overwrite newer work.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative, resolve } from 'node:path';

const MANIFEST = 'carry.json';

function fail(msg) {
  process.stderr.write(`carry-run: ${msg}\n`);
  process.exit(2);
}

/** The files of a folder (not its subfolders) with their modification times, as one string. */
const filesStamp = (dir) =>
  readdirSync(dir)
    .filter((n) => statSync(join(dir, n)).isFile())
    .map((n) => `${n}:${statSync(join(dir, n)).mtimeMs}`)
    .join('|');

/**
 * Packs a folder. A checkpoint folder a running training saved into while it was copied (its files'
 * times changed) is copied again, so the weights and optimizer state packed are of one step.
 */
function packFolder(src, dest, underSnapshots, stats) {
  for (let attempt = 1; ; attempt++) {
    const stamp = filesStamp(src);
    const before = { ...stats, skipped: [...stats.skipped] };
    rmSync(dest, { recursive: true, force: true });
    packFiles(src, dest, underSnapshots, stats);
    if (filesStamp(src) === stamp) return;
    if (attempt === 5) fail(`pack: ${src} kept changing while it was copied; stop what writes there first`);
    Object.assign(stats, before);
  }
}

function packFiles(src, dest, underSnapshots, stats) {
  mkdirSync(dest, { recursive: true });
  const names = readdirSync(src);
  const checkpoint = !underSnapshots && names.includes('training-state.json');
  for (const n of names) {
    const from = join(src, n);
    if (statSync(from).isDirectory()) {
      if (n.endsWith('.partial') || n.endsWith('.training')) {
        stats.skipped.push(relative(process.cwd(), from));
        continue;
      }
      packFolder(from, join(dest, n), underSnapshots || n === 'snapshots', stats);
      continue;
    }
    if (checkpoint && n.endsWith('.onnx') && n !== 'model.onnx') {
      stats.dropped += statSync(from).size;
      continue;
    }
    cpSync(from, join(dest, n));
    stats.bytes += statSync(from).size;
    stats.files++;
  }
}

function pack(dest, folders) {
  if (!folders.length) fail('pack: give the folders to carry');
  for (const f of folders) {
    if (!existsSync(f) || !statSync(f).isDirectory()) fail(`pack: ${f}: no such folder`);
    if (resolve(f).startsWith(resolve(dest))) fail(`pack: ${f} is inside ${dest}`);
  }
  const tmp = `${dest}.packing`;
  rmSync(tmp, { recursive: true, force: true });
  const stats = { files: 0, bytes: 0, dropped: 0, skipped: [] };
  for (const f of folders)
    packFolder(f, join(tmp, 'files', relative(process.cwd(), resolve(f))), false, stats);
  const manifest = {
    packed: new Date().toISOString(),
    folders: folders.map((f) => relative(process.cwd(), resolve(f))),
    files: stats.files,
    bytes: stats.bytes,
    left: { bytes: stats.dropped, unfinished: stats.skipped },
  };
  writeFileSync(join(tmp, MANIFEST), JSON.stringify(manifest, null, 1) + '\n');
  rmSync(dest, { recursive: true, force: true });
  renameSync(tmp, dest);
  process.stdout.write(
    `packed ${stats.files} files, ${(stats.bytes / 1e6).toFixed(1)} MB, into ${dest} (left out ${(stats.dropped / 1e6).toFixed(1)} MB made again, ${stats.skipped.length} unfinished folders)\n`,
  );
}

function unpackFolder(src, dest, stats) {
  for (const n of readdirSync(src)) {
    const from = join(src, n);
    const to = join(dest, n);
    if (statSync(from).isDirectory()) {
      unpackFolder(from, to, stats);
      continue;
    }
    if (existsSync(to)) {
      stats.kept++;
      continue;
    }
    mkdirSync(dest, { recursive: true });
    cpSync(from, `${to}.unpacking`);
    renameSync(`${to}.unpacking`, to);
    stats.files++;
  }
}

function unpack(dest) {
  if (!existsSync(join(dest, MANIFEST)))
    fail(`unpack: ${join(dest, MANIFEST)}: no such file (not a packed run)`);
  const stats = { files: 0, kept: 0 };
  unpackFolder(join(dest, 'files'), process.cwd(), stats);
  process.stdout.write(
    `unpacked ${stats.files} files from ${dest}${stats.kept ? `; ${stats.kept} were there already and were left as they are` : ''}\n`,
  );
}

const [cmd, dest, ...rest] = process.argv.slice(2);
if (!dest) fail('usage: carry-run.mjs pack DEST FOLDER... | unpack DEST');
if (cmd === 'pack') pack(dest, rest);
else if (cmd === 'unpack') unpack(dest);
else fail(`unknown command '${cmd}' (pack or unpack)`);
