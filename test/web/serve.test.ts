import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/index.js';
import { startServer } from '../../src/cli/serve.js';
import { repo } from './browser.js';

/** A request with the path sent as it is (no client-side normalisation of '..'). */
function get(
  url: string,
  method = 'GET',
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const m = /^http:\/\/([^:/]+):(\d+)(\/.*)$/.exec(url)!;
  return new Promise((resolve, reject) => {
    const req = request({ hostname: m[1], port: Number(m[2]), path: m[3], method }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('replsynth serve', () => {
  const dir = mkdtempSync(join(tmpdir(), 'serve-'));
  const root = join(dir, 'web');
  let close: () => void;
  let url: string;

  beforeAll(async () => {
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><p>page</p>');
    writeFileSync(join(root, 'assets', 'a.wasm'), 'wasm');
    writeFileSync(join(dir, 'secret.txt'), 'outside');
    const s = await startServer(root, 0);
    url = s.url;
    close = () => s.server.close();
  });
  afterAll(() => {
    close?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the page on 127.0.0.1, cross-origin isolated (so ONNX Runtime may use threads)', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const r = await get(url);
    expect(r.status).toBe(200);
    expect(r.body).toContain('page');
    expect(r.headers['content-type']).toMatch(/text\/html/);
    expect(r.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(r.headers['cross-origin-embedder-policy']).toBe('require-corp');
    const w = await get(`${url}assets/a.wasm`, 'HEAD');
    expect([w.status, w.headers['content-type'], w.body]).toEqual([200, 'application/wasm', '']);
  });

  it('serves nothing outside its folder, and only GET/HEAD', async () => {
    expect((await get(`${url}../secret.txt`)).status).toBe(404);
    expect((await get(`${url}%2e%2e/secret.txt`)).status).toBe(404);
    expect((await get(`${url}missing.js`)).status).toBe(404);
    expect((await get(url, 'POST')).status).toBe(405);
  });

  it('is a usage error when the page is not built, or the port is not a port', async () => {
    await expect(startServer(join(dir, 'nothing'), 0)).rejects.toThrow(UserError);
    await expect(startServer(join(dir, 'nothing'), 0)).rejects.toThrow(/not built.*npm run build:web/);
    const r = spawnSync(process.execPath, ['dist/cli/main.js', 'serve', '--port', 'http'], {
      cwd: repo,
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--port http: expected a port number/);
  });
});
