/** What a conformance check returns: failure messages per named check, empty when the check passed. */
export interface CheckReport<Name extends string> {
  readonly failures: Record<Name, string[]>;
}

/** A report with no failures yet, one empty list per check. */
export function emptyFailures<Name extends string>(names: readonly Name[]): Record<Name, string[]> {
  return Object.fromEntries(names.map((n) => [n, [] as string[]])) as Record<Name, string[]>;
}

/** Every failure as one line, `check: message`, in check order; empty when everything passed. */
export function failureLines<Name extends string>(report: CheckReport<Name>): string[] {
  return Object.entries<string[]>(report.failures).flatMap(([check, msgs]) =>
    msgs.map((m) => `${check}: ${m}`),
  );
}

/** True when no check failed. */
export function passed<Name extends string>(report: CheckReport<Name>): boolean {
  return failureLines(report).length === 0;
}
