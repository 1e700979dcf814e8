/**
 * The playground: one tab per registered problem (from the worker's catalog), the problem in the URL
 * hash (#csg2d). The worker loads the first problem's default method at once, so the first run does
 * not wait for its model.
 */
import { SearchClient } from './client.js';
import { h, replace } from './dom.js';
import { ProblemPage, timings } from './problem-page.js';
import type { Catalog } from './protocol.js';

async function fetchExample(path: string): Promise<Uint8Array> {
  const res = await fetch(new URL(path, document.baseURI));
  if (!res.ok) throw new Error(`cannot fetch ${path} (HTTP ${res.status})`);
  return new Uint8Array(await res.arrayBuffer());
}

function render(root: HTMLElement, client: SearchClient, catalog: Catalog): void {
  const pages = new Map<string, ProblemPage>();
  const body = h('main', {});
  const tabs = catalog.problems.map((p) => {
    const b = h(
      'button',
      { type: 'button', class: 'tab', testid: `tab-${p.id}`, title: p.description },
      p.title,
    );
    b.addEventListener('click', () => (location.hash = p.id));
    return b;
  });
  const show = (): void => {
    const want = decodeURIComponent(location.hash.slice(1));
    const p = catalog.problems.find((x) => x.id === want) ?? catalog.problems[0];
    if (!p) return;
    let page = pages.get(p.id);
    if (!page) {
      page = new ProblemPage(p, client, fetchExample);
      pages.set(p.id, page);
      page.warm();
    }
    tabs.forEach((t, i) => t.classList.toggle('on', catalog.problems[i] === p));
    replace(body, page.element);
  };
  client.onRunMessage = (m) => {
    if (m.type !== 'ready' && m.type !== 'fatal' && m.type !== 'parsed' && m.type !== 'warmed')
      for (const page of pages.values()) page.receive(m);
  };
  window.addEventListener('hashchange', show);
  const models = catalog.models
    .map((m) => `${m.id}: ${m.trained ? 'trained weights' : 'no weights (uniform policy)'}`)
    .join(' · ');
  replace(
    root,
    h(
      'header',
      {},
      h('h1', {}, 'replsynth ', h('span', {}, 'playground')),
      h('nav', {}, tabs),
      h(
        'p',
        { class: 'about' },
        'Programs by search with a REPL, run in your browser: ',
        models,
        ` · ONNX Runtime (wasm, ${catalog.threads} thread${catalog.threads === 1 ? '' : 's'})`,
      ),
    ),
    body,
  );
  show();
}

const root = document.getElementById('app')!;
const threads = Number(new URLSearchParams(location.search).get('threads')) || null;
const client = new SearchClient(document.baseURI, threads);
client.onFatal = (message) =>
  replace(root, h('p', { class: 'status error', testid: 'fatal' }, `The search worker failed: ${message}`));
(window as unknown as { replsynth: unknown }).replsynth = { timings, client };
void client.catalog.then((c) => render(root, client, c));
