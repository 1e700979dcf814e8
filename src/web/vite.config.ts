/**
 * The playground build: `npm run build:web` → dist/web, a static site (relative URLs, so any static
 * host serves it; `replsynth serve` does locally). See src/web/build/plugins.ts for the two plugins.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { nodeOnlyStubs, shippedAssets } from './build/plugins.js';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const root = here('../../');

export default defineConfig({
  root: here('.'),
  base: './',
  publicDir: false,
  logLevel: 'warn',
  resolve: {
    alias: [
      // Node-free versions of what problems use: PNG decoding/encoding, CSV parsing.
      { find: /^pngjs$/, replacement: here('shims/pngjs.ts') },
      { find: /^csv-parse\/sync$/, replacement: 'csv-parse/browser/esm/sync' },
    ],
  },
  plugins: [nodeOnlyStubs(), shippedAssets(root)],
  worker: { format: 'es', plugins: () => [nodeOnlyStubs()] },
  build: {
    outDir: here('../../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2048,
    reportCompressedSize: false,
  },
  server: {
    headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
  },
});
