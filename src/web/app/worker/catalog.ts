/**
 * The page's view of the registries: every problem with its inputs, options, exports and methods,
 * and which models have trained weights in the page. Built once in the worker, sent to the page.
 */
import { models, problems, refiners, type AnyProblem, type ModelDefinition } from '../../../core/index.js';
import { baseMethods, methodParams } from '../../../methods/index.js';
import type { Catalog, CatalogProblem } from '../protocol.js';
import type { Manifest } from './fetch-files.js';

/** Formats the browser can show in an <img> and draw on a canvas. */
const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.gif', '.webp', '.bmp']);

/** The model's shipped folder holds every file it needs. */
export function isTrained(def: ModelDefinition, manifest: Manifest): boolean {
  const files = def.shipped ? manifest[def.shipped] : undefined;
  return !!files && def.files.every((f) => files.includes(f));
}

function problemEntry(p: AnyProblem, manifest: Manifest, examples: readonly string[]): CatalogProblem {
  const extensions = p.io.inputs.flatMap((f) => f.extensions);
  return {
    id: p.id,
    description: p.description,
    title: p.report.title,
    noun: p.report.noun,
    scoreName: p.report.scoreName ?? 'score',
    inline: p.io.inline ? { usage: p.io.inline.usage } : null,
    inputs: p.io.inputs.map((f) => ({
      id: f.id,
      description: f.description,
      kind: f.kind,
      extensions: f.extensions,
      image: f.extensions.some((e) => IMAGE_EXTENSIONS.has(e)),
    })),
    options: p.io.withOptions ? (p.io.options ?? []) : [],
    exporters: p.io.exporters.map((e) => ({ extension: e.extension, description: e.description })),
    shownExports: Object.values(p.report.exports ?? {}),
    render: !!p.io.render,
    methods: baseMethods(p.id).map((m) => {
      const def = m.model ? models.find(m.model) : undefined;
      return {
        id: m.id,
        description: m.description,
        model: m.model ?? null,
        trained: def ? isTrained(def, manifest) : false,
        requiresModel: !!m.requiresModel,
      };
    }),
    refiners: refiners
      .list()
      .map((r) => r.def)
      .filter((r) => r.problem === p.id)
      .map((r) => ({ id: r.id, description: r.description })),
    params: methodParams(p.id),
    defaultMethod: p.cli?.synth.method ?? baseMethods(p.id)[0]?.id ?? '',
    defaultTimeS: p.cli?.synth.timeoutS ?? 10,
    // The problem's own demo first, then the other bundled files its formats read.
    examples: examples
      .filter((e) => extensions.some((x) => e.toLowerCase().endsWith(x)))
      .sort((a, b) => Number(b === p.cli?.demo) - Number(a === p.cli?.demo) || a.localeCompare(b)),
  };
}

export function buildCatalog(manifest: Manifest, examples: readonly string[], threads: number): Catalog {
  return {
    problems: problems.list().map((p) => problemEntry(p, manifest, examples)),
    models: models.list().map((m) => ({ id: m.id, problem: m.problem, trained: isTrained(m, manifest) })),
    threads,
  };
}
