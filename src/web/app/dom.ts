/** A few lines of DOM building, so the views read as markup. */

type Child = Node | string | null | undefined | false;
type Attrs = Readonly<Record<string, string | number | boolean | EventListener | null | undefined>>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: readonly (Child | readonly Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (k === 'testid') el.dataset.testid = String(v);
    else if (k === 'value' && 'value' in el) (el as HTMLInputElement).value = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el: Element, children: readonly (Child | readonly Child[])[]): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

export function replace(el: Element, ...children: readonly (Child | readonly Child[])[]): void {
  el.replaceChildren();
  append(el, children);
}

/** A URL for bytes shown or downloaded by the page (revoked by the caller when replaced). */
export function blobUrl(bytes: Uint8Array | string, type: string): string {
  return URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
}

export const MIME: Readonly<Record<string, string>> = {
  '.js': 'text/javascript',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.scad': 'text/plain',
  '.png': 'image/png',
  '.stl': 'model/stl',
};
