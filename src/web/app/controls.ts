/**
 * Method and budget: the problem's methods (each optionally followed by a refiner, or a refiner
 * alone), a time limit, an optional node budget, the seed, and the methods' declared parameters.
 */
import type { ParamSpec, ParamValue } from '../../core/index.js';
import { h } from './dom.js';
import type { CatalogProblem } from './protocol.js';

export interface Settings {
  readonly method: string;
  readonly timeMs: number;
  readonly nodes: number | null;
  readonly seed: number;
  readonly params: Readonly<Record<string, ParamValue>>;
}

export function paramInput(s: ParamSpec, testid?: string): { element: HTMLElement; value: () => ParamValue } {
  if (s.type === 'bool') {
    const box = h('input', { type: 'checkbox', checked: s.default === true, testid });
    return { element: h('label', { title: s.description }, box, ` ${s.name}`), value: () => box.checked };
  }
  if (s.type === 'enum') {
    const sel = h(
      'select',
      { testid },
      (s.choices ?? []).map((c) => h('option', { value: c, selected: c === s.default }, c)),
    );
    return { element: h('label', { title: s.description }, `${s.name} `, sel), value: () => sel.value };
  }
  const numeric = s.type === 'int' || s.type === 'float';
  const input = h('input', {
    type: numeric ? 'number' : 'text',
    value: String(s.default),
    step: s.type === 'float' ? 'any' : '1',
    min: s.min,
    max: s.max,
    testid,
  });
  return {
    element: h('label', { title: s.description }, `${s.name} `, input),
    value: () => (numeric ? Number(input.value) : input.value),
  };
}

export class Controls {
  readonly element: HTMLElement;
  private readonly method: HTMLSelectElement;
  private readonly refine: { id: string; box: HTMLInputElement }[];
  private readonly time: HTMLInputElement;
  private readonly nodes: HTMLInputElement;
  private readonly seed: HTMLInputElement;
  private readonly params: { name: string; value: () => ParamValue }[];
  onMethodChange: (method: string) => void = () => undefined;

  constructor(p: CatalogProblem) {
    const [base, ...after] = p.defaultMethod.split('+');
    const options = [
      ...p.methods.map((m) =>
        h(
          'option',
          { value: m.id, title: m.description, selected: m.id === base },
          `${m.id}${m.model ? (m.trained ? '' : ' (uniform policy)') : ''}`,
        ),
      ),
      ...p.refiners.map((r) =>
        h('option', { value: r.id, title: r.description, selected: r.id === base }, `${r.id} alone`),
      ),
    ];
    this.method = h('select', { testid: 'method' }, options);
    this.refine = p.refiners.map((r) => ({
      id: r.id,
      box: h('input', { type: 'checkbox', checked: after.includes(r.id), testid: `then-${r.id}` }),
    }));
    this.time = h('input', {
      type: 'number',
      min: 0.1,
      step: 'any',
      value: p.defaultTimeS,
      testid: 'timeout',
    });
    this.nodes = h('input', { type: 'number', min: 1, step: 1, placeholder: 'none', testid: 'nodes' });
    this.seed = h('input', { type: 'number', step: 1, value: 1, testid: 'seed' });
    const params = p.params.map((s) => ({ name: s.name, ...paramInput(s) }));
    this.params = params;
    const refineIds = new Set(p.refiners.map((r) => r.id));
    const sync = (): void => {
      for (const r of this.refine) r.box.disabled = refineIds.has(this.method.value);
      this.onMethodChange(this.settings().method);
    };
    this.method.addEventListener('change', sync);
    for (const r of this.refine) r.box.addEventListener('change', sync);
    sync();
    this.element = h(
      'div',
      { class: 'controls' },
      h('label', {}, 'method ', this.method),
      this.refine.map((r) =>
        h('label', { title: p.refiners.find((x) => x.id === r.id)?.description }, r.box, ` then ${r.id}`),
      ),
      h('label', {}, 'time (s) ', this.time),
      h(
        'label',
        { title: 'a budget of expanded nodes: with the same seed, the same programs on any machine' },
        'nodes ',
        this.nodes,
      ),
      h('label', {}, 'seed ', this.seed),
      params.length
        ? h(
            'details',
            {},
            h('summary', {}, 'method parameters'),
            params.map((x) => x.element),
          )
        : null,
    );
  }

  settings(): Settings {
    const alone = !this.refine.every((r) => r.id !== this.method.value);
    const then = alone ? [] : this.refine.filter((r) => r.box.checked).map((r) => r.id);
    const nodes = this.nodes.value.trim() === '' ? null : Math.max(1, Math.round(Number(this.nodes.value)));
    return {
      method: [this.method.value, ...then].join('+'),
      timeMs: Math.max(100, 1000 * (Number(this.time.value) || 1)),
      nodes,
      seed: Math.round(Number(this.seed.value) || 0),
      params: Object.fromEntries(this.params.map((x) => [x.name, x.value()])),
    };
  }
}
