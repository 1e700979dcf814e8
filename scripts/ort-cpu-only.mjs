#!/usr/bin/env node
// replsynth's `preinstall`: keeps onnxruntime-node's install step CPU-only and inside the npm registry.
//
// onnxruntime-node (1.18 and later) ships its CPU binaries in the npm package, but its `postinstall`
// (script/install.js) then downloads the CUDA/TensorRT provider libraries for linux/x64 from NuGet
// whenever (a) no ONNXRUNTIME_NODE_INSTALL / ONNXRUNTIME_NODE_INSTALL_CUDA switch is set (as env vars
// or npm config) and (b) any of the files listed in its script/install-metadata.js is missing from
// bin/napi-v6/<platform>/<arch>/. Without a route to NuGet that download fails and so does
// `npm install replsynth`. replsynth runs its networks on the CPU and never loads those libraries.
//
// npm runs every package's `preinstall` before any package's `postinstall` in one install, so this
// script creates each missing file as an empty placeholder: onnxruntime-node's script then finds
// nothing to download and exits. It never overwrites a file, and does nothing when the user has set
// one of the switches above (for example ONNXRUNTIME_NODE_INSTALL=cuda12 to fetch the real files,
// which replaces the placeholders). A failure here never fails the install.
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { createRequire } from 'node:module';

const NOTE = 'REPLSYNTH-CPU-ONLY.txt';

function main() {
  const switches = [
    'ONNXRUNTIME_NODE_INSTALL',
    'ONNXRUNTIME_NODE_INSTALL_CUDA',
    'npm_config_onnxruntime_node_install',
    'npm_config_onnxruntime_node_install_cuda',
  ];
  if (switches.some((name) => process.env[name])) return;

  // npm runs this in the folder of the package being installed (replsynth's own).
  const load = createRequire(path.join(process.cwd(), 'package.json'));
  let ortDir;
  try {
    ortDir = path.dirname(load.resolve('onnxruntime-node/package.json'));
  } catch {
    return; // not installed next to this package: nothing to do
  }
  let metadata;
  try {
    metadata = load(path.join(ortDir, 'script', 'install-metadata.js'));
  } catch {
    return; // a version without the download step
  }

  const platform = `${os.platform()}/${os.arch()}`;
  const names = (metadata.requirements && metadata.requirements[platform]) || [];
  const binDir = path.join(ortDir, 'bin', 'napi-v6', platform);
  const created = [];
  for (const name of names) {
    const manifest = (metadata.manifests && metadata.manifests[`${platform}:${name}`]) || {};
    for (const file of Object.keys(manifest)) {
      const target = path.normalize(path.join(binDir, file));
      if (fs.existsSync(target)) continue;
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, '', { flag: 'wx' });
      created.push(path.basename(target));
    }
  }
  if (created.length === 0) return;
  fs.writeFileSync(
    path.join(binDir, NOTE),
    'replsynth runs onnxruntime-node on the CPU. Its preinstall created these empty placeholders so that\n' +
      "onnxruntime-node's postinstall does not download the CUDA/TensorRT providers from NuGet:\n" +
      created.map((f) => `  ${f}\n`).join('') +
      'To use the CUDA execution provider, reinstall with the real files:\n' +
      '  ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node\n',
  );
}

try {
  main();
} catch (err) {
  // Leave the decision to onnxruntime-node's own script.
  console.warn(`replsynth preinstall: ${err && err.message ? err.message : err}`);
}
