import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problems } from '../../src/core/index.js';
import { registerBuiltins } from '../../src/builtins.js';
import {
  cliJson,
  ensureBuilt,
  launch,
  noBrowser,
  repo,
  results,
  serve,
  state,
  type CliResult,
  type Served,
} from './browser.js';

// The playground in a real browser (Debian's chromium through playwright-core), served by
// `replsynth serve`. Screenshots of each state go to docs/playground-*.png; the timings of a cold
// load are printed (README, "Playground").

const VIEWPORT = { width: 1280, height: 900 };
const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(repo, 'docs', `playground-${name}.png`), fullPage: true });

interface Task {
  name: string;
  examples: { inputs?: string[]; input?: string; output: string }[];
  tests?: { inputs?: string[]; input?: string; output?: string }[];
}
const inputsOf = (e: { inputs?: string[]; input?: string }): string[] => e.inputs ?? [e.input!];

describe.skipIf(noBrowser !== null)(
  `the playground in chromium${noBrowser ? ` (skipped: ${noBrowser})` : ''}`,
  () => {
    let server: Served;
    let browser: Browser;
    const contexts: BrowserContext[] = [];
    const open = async (hash = ''): Promise<Page> => {
      const ctx = await browser.newContext({ viewport: VIEWPORT });
      contexts.push(ctx);
      const page = await ctx.newPage();
      page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
      await page.goto(`${server.url}${hash}`);
      return page;
    };

    beforeAll(async () => {
      ensureBuilt();
      [server, browser] = await Promise.all([serve(), launch()]);
    }, 120_000);

    afterAll(async () => {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser?.close();
      await server?.stop();
    });

    it('offers every registered problem, with no page code of its own', async () => {
      registerBuiltins();
      const page = await open();
      await page.getByTestId('run').waitFor();
      for (const p of problems.list()) await expect(page.getByTestId(`tab-${p.id}`).count()).resolves.toBe(1);
    });

    it('strings: the typed names example gives the right filled rows (cold load timed)', async () => {
      const task = JSON.parse(
        readFileSync(join(repo, 'examples/strings/names.jsonl'), 'utf8').split('\n')[0],
      ) as Task;
      const lines = task.examples.map((e) => `${inputsOf(e).join(' | ')} => ${e.output}`);
      const rows = (task.tests ?? []).map(inputsOf);
      // The held-out rows' outputs are in the file; the one without is the same pattern (last, first).
      const want = (task.tests ?? []).map((t) => {
        const [first, last] = inputsOf(t)[0].split(' ');
        return `${inputsOf(t).join(' | ')} => ${t.output ?? `${last}, ${first}`}`;
      });
      const bytes = new Map<string, number>();
      const ctx = await browser.newContext({ viewport: VIEWPORT });
      contexts.push(ctx);
      ctx.on('requestfinished', (r) => {
        void r.sizes().then((s) => bytes.set(r.url(), s.responseBodySize + s.responseHeadersSize));
      });
      const page = await ctx.newPage();
      await page.goto(server.url);
      await page.getByTestId('examples').fill(lines.join('\n'));
      await page.getByTestId('option-apply').fill(rows.map((r) => r.join(' | ')).join('\n'));
      await page.getByTestId('run').click();
      await results(page, 1);
      await expect(page.getByTestId('program').textContent()).resolves.toMatch(/GetToken/);
      await expect(page.getByTestId('filled').textContent()).resolves.toBe(want.join('\n'));
      await expect(page.getByTestId('status').textContent()).resolves.toMatch(/^solved/);
      await expect(page.getByTestId('export-js').textContent()).resolves.toMatch(/function transform/);
      const s = await state(page);
      await page.waitForTimeout(200);
      const total = [...bytes.values()].reduce((a, b) => a + b, 0);
      console.log(
        `playground cold load: page ready (catalog) ${Math.round(s.client.readyAt)} ms, ` +
          `first strings result ${Math.round(s.timings.firstResultMs ?? -1)} ms after navigation start; ` +
          `${bytes.size} requests, ${(total / 1e6).toFixed(1)} MB`,
      );
      expect(s.timings.firstResultMs).toBeLessThan(20_000);
      await shot(page, 'strings');
    });

    it('strings: a table pasted from a spreadsheet, rows without output filled', async () => {
      const page = await open('#strings');
      await page.getByTestId('source-table:tasks').click();
      const tsv = [
        '(555) 123-4567\t555-123-4567',
        '(212) 555-0199\t212-555-0199',
        '(415) 867-5309\t415-867-5309',
        '(617) 253-1000\t',
      ].join('\n');
      await page
        .getByTestId('table')
        .locator('input')
        .first()
        .evaluate((el, text) => {
          // Runs in the page (DOM types are not in this project's node type-check).
          const dom = globalThis as unknown as {
            DataTransfer: new () => { setData(type: string, value: string): void };
            ClipboardEvent: new (type: string, init: object) => Event;
          };
          const data = new dom.DataTransfer();
          data.setData('text/plain', text);
          el.dispatchEvent(
            new dom.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
          );
        }, tsv);
      await expect(page.getByTestId('table').locator('input').nth(6).inputValue()).resolves.toBe(
        '(617) 253-1000',
      );
      await page.getByTestId('run').click();
      await results(page, 1);
      await expect(page.getByTestId('status').textContent()).resolves.toMatch(/^solved/);
      await expect(page.getByTestId('filled').textContent()).resolves.toBe('(617) 253-1000 => 617-253-1000');
    });

    it('2D CAD: an uploaded bundled PNG gives IoU ≥ 0.9, with the picture, listing and downloads', async () => {
      const page = await open('#csg2d');
      await page.getByTestId('file-images').setInputFiles(join(repo, 'examples/cad/scene-6.png'));
      await page.getByTestId('timeout').fill('10');
      await page.getByTestId('run').click();
      await page.getByTestId('status').filter({ hasText: 'best iou so far' }).waitFor({ timeout: 20_000 });
      await page.waitForTimeout(2500);
      await shot(page, 'cad-live');
      await results(page, 1, 40_000);
      const iou = Number(await page.getByTestId('metric-iou').textContent());
      expect(iou).toBeGreaterThanOrEqual(0.9);
      await expect(page.getByTestId('render').isVisible()).resolves.toBe(true);
      await expect(page.getByTestId('program').textContent()).resolves.toMatch(/^a = /);
      for (const ext of ['scad', 'svg', 'json'])
        await expect(page.getByTestId(`download-${ext}`).count()).resolves.toBe(1);
      await shot(page, 'cad');
    });

    it('2D CAD: Stop ends the search and keeps the best program so far', async () => {
      const page = await open('#csg2d');
      await page.getByTestId('example-examples/cad/scene-12.png').click();
      await page.getByTestId('then-refine').uncheck();
      await page.getByTestId('timeout').fill('60');
      await page.getByTestId('run').click();
      await page.getByTestId('status').filter({ hasText: 'best iou so far' }).waitFor({ timeout: 20_000 });
      await page.getByTestId('stop').click();
      await page.getByTestId('status').filter({ hasText: 'stopped' }).waitFor({ timeout: 5000 });
      await expect(page.getByTestId('program').textContent()).resolves.toMatch(/^a = /);
      await expect(page.getByTestId('run').isEnabled()).resolves.toBe(true);
    });

    it('2D CAD: a drawing is read like a file (default method: SMC with the network, then refinement)', async () => {
      const page = await open('#csg2d');
      const board = await page.getByTestId('board').boundingBox();
      const drag = async (x0: number, y0: number, x1: number, y1: number) => {
        await page.mouse.move(board!.x + x0, board!.y + y0);
        await page.mouse.down();
        await page.mouse.move(board!.x + x1, board!.y + y1, { steps: 5 });
        await page.mouse.up();
      };
      // On the 256-pixel board a cell of the 64×64 target is 4 pixels: these shapes lie on even cells.
      await drag(32, 32, 160, 128);
      await page.getByTestId('tool-circle').click();
      await drag(176, 176, 216, 176);
      await page.getByTestId('timeout').fill('6');
      await page.getByTestId('run').click();
      await results(page, 1, 30_000);
      expect(Number(await page.getByTestId('metric-iou').textContent())).toBeGreaterThanOrEqual(0.9);
      await shot(page, 'draw');
    });

    it('beam with a node budget finds the same programs as the CLI for the bundled strings examples', async () => {
      const files = ['examples/strings/names.jsonl', 'examples/strings/phones.csv'];
      const page = await open('#strings');
      await page.getByTestId('source-file:tasks').click();
      await page.getByTestId('method').selectOption('beam');
      await page.getByTestId('nodes').fill('1000');
      await page.getByTestId('timeout').fill('300');
      // The CLI runs (child processes) go on while the page searches.
      const clis = files.map((f) =>
        cliJson(['strings', '--examples', f, '--method', 'beam', '--nodes', '1000', '--timeout', '300']),
      );
      // Awaited in order below; a failure of the second must not count as unhandled meanwhile.
      for (const c of clis) c.catch(() => undefined);
      let seen = 0;
      for (const [i, f] of files.entries()) {
        await page.getByTestId(`example-${f}`).click();
        // The example is fetched before it is loaded: run only once the page says it has it.
        await page.getByTestId('file-status-tasks').filter({ hasText: f }).waitFor();
        await page.getByTestId('run').click();
        const cli = await clis[i];
        await results(page, seen + cli.length);
        const web = (await state(page)).timings.results.slice(seen);
        seen += cli.length;
        const pick = (r: CliResult) => ({
          name: r.name,
          solved: r.solved,
          program: r.program,
          nodes: r.nodes,
        });
        expect(web.map(pick)).toEqual(cli.map(pick));
        if (f.endsWith('names.jsonl')) await shot(page, 'files');
      }
    });
  },
);
