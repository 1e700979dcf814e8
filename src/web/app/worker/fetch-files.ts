/**
 * Model folders in the browser: core's ModelFiles over fetch of the page's own copy of models/. The
 * build writes `models/index.json` (folder → file names), so `has` needs no request and works on any
 * static host.
 */
import { UserError, type ModelFiles } from '../../../core/index.js';

export type Manifest = Readonly<Record<string, readonly string[]>>;

export async function fetchBytes(url: URL): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new UserError(`cannot fetch ${url.pathname} (HTTP ${res.status})`);
  return new Uint8Array(await res.arrayBuffer());
}

export async function fetchJson<T>(url: URL, fallback: T): Promise<T> {
  const res = await fetch(url);
  return res.ok ? ((await res.json()) as T) : fallback;
}

/** Files fetched ahead, by path under the page ('models/strings/model.onnx'). */
export type Prefetched = ReadonlyMap<string, Promise<Uint8Array>>;

/**
 * The manifest, and the files of its first folder fetched at once. The build lists folders in the
 * order models are registered, so that is the first problem's model: on a slow network its download
 * then overlaps loading the page's code and registries.
 */
export function prefetchFirstModel(base: string): {
  manifest: Promise<Manifest>;
  files: Promise<Prefetched>;
} {
  const manifest = fetchJson<Manifest>(new URL('models/index.json', base), {});
  const files = manifest.then((m) => {
    const [folder, names] = Object.entries(m)[0] ?? ['', []];
    const out = new Map<string, Promise<Uint8Array>>();
    for (const n of names) {
      const p = fetchBytes(new URL(`models/${folder}/${n}`, base));
      p.catch(() => undefined); // a failed prefetch is fetched again (and reported) when read
      out.set(`models/${folder}/${n}`, p);
    }
    return out;
  });
  return { manifest, files };
}

/** The folder `location` (e.g. 'models/strings') under the page at `base`, read-only. */
export function fetchFolder(
  base: string,
  location: string,
  manifest: Manifest,
  prefetched: Prefetched = new Map(),
): ModelFiles {
  const listed = manifest[location.replace(/^models\//, '')];
  const url = (name: string): URL => new URL(`${location}/${name}`, base);
  return {
    location,
    async has(name) {
      if (listed) return listed.includes(name);
      const res = await fetch(url(name), { method: 'HEAD' });
      return res.ok;
    },
    read: (name) => {
      const early = prefetched.get(`${location}/${name}`);
      return early ? early.catch(() => fetchBytes(url(name))) : fetchBytes(url(name));
    },
  };
}
