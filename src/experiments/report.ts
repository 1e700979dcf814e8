/**
 * The Markdown report of an experiment: what ran (command, settings, machine load), each method's
 * summary numbers per evaluation, the paper's claims with a verdict and the numbers behind it, the
 * plots, and the notes a reader needs to read the curves.
 */
import type { ClaimCheck, Experiment, ExperimentPlot, StepResults } from './experiment.js';

export interface ReportContext {
  readonly command: string;
  /** When the run finished (ISO), and the 1/5/15-minute load averages then. */
  readonly finished: string;
  readonly load: readonly number[];
  readonly cpus: number;
}

const verdict = (h: boolean | null): string => (h === null ? 'cannot tell' : h ? 'holds' : 'does not hold');

function cell(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(3);
  if (v === null || v === undefined) return '-';
  if (Array.isArray(v)) return v.map(cell).join(', ');
  if (typeof v === 'object')
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}: ${cell(x)}`)
      .join(', ');
  return String(v);
}

/** One table per evaluation: a row per method, a column per summary field. */
function summaryTable(r: StepResults): string[] {
  const methods = r.step.methods.filter((m) => r.doc.summary[m]);
  const fields = [...new Set(methods.flatMap((m) => Object.keys(r.doc.summary[m])))];
  return [
    `| method | ${fields.join(' | ')} |`,
    `|---|${fields.map(() => '---').join('|')}|`,
    ...methods.map((m) => `| ${m} | ${fields.map((f) => cell(r.doc.summary[m][f])).join(' | ')} |`),
  ];
}

export function experimentReport(
  e: Experiment,
  results: readonly StepResults[],
  claims: readonly ClaimCheck[],
  plots: readonly ExperimentPlot[],
  ctx: ReportContext,
): string {
  const held = claims.filter((c) => c.holds === true).length;
  const lines = [
    `# ${e.id}: ${e.description}`,
    '',
    `Reproduces ${e.reproduces}. Command: \`${ctx.command}\`; finished ${ctx.finished}; load average ${ctx.load.map((x) => x.toFixed(2)).join(' / ')} (1/5/15 min) on ${ctx.cpus} cores.`,
    '',
    `**${held} of ${claims.length} claims hold here.**`,
    '',
    '## Claims',
    '',
    '| claim | verdict | evidence | paper |',
    '|---|---|---|---|',
    ...claims.map((c) => `| ${c.claim} | ${verdict(c.holds)} | ${c.evidence} | ${c.source} |`),
    '',
  ];
  for (const r of results) {
    lines.push(
      `## Evaluation \`${r.step.name}\``,
      '',
      `\`eval ${r.step.problem} --methods ${r.step.methods.join(',')} ${r.step.args.join(' ')}\``,
      '',
    );
    lines.push(
      `Settings: ${Object.entries(r.doc.settings)
        .map(([k, v]) => `${k} ${cell(v)}`)
        .join('; ')}.`,
      '',
    );
    lines.push(
      ...summaryTable(r),
      '',
      `Results: \`${r.step.name}.json\`; plot of the evaluation: \`${r.step.name}.svg\`.`,
      '',
    );
  }
  if (plots.length) {
    lines.push('## Plots', '');
    for (const p of plots) lines.push(`![${p.title}](${p.file})`, '');
  }
  if (e.notes?.length) lines.push('## Notes', '', ...e.notes.map((n) => `- ${n}`), '');
  return lines.join('\n');
}
