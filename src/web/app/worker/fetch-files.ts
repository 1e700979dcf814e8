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

/** The folder `location` (e.g. 'models/strings') under the page at `base`, read-only. */
export function fetchFolder(base: string, location: string, manifest: Manifest): ModelFiles {
  const listed = manifest[location.replace(/^models\//, '')];
  const url = (name: string): URL => new URL(`${location}/${name}`, base);
  return {
    location,
    async has(name) {
      if (listed) return listed.includes(name);
      const res = await fetch(url(name), { method: 'HEAD' });
      return res.ok;
    },
    read: (name) => fetchBytes(url(name)),
  };
}
