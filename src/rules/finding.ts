/** A finding: something in the schema, design or migration that breaks or degrades under Citus. */
import type { Location } from '../ingest/pg/source.js';

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_ORDER: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

export interface Finding {
  /** Rule id (`FK01`), or `syntax-error` / `internal-error` / `unused-ignore` / `unknown-ignore`. */
  readonly ruleId: string;
  /** Dotted rule name, e.g. `foreign-key.reference-to-distributed`. */
  readonly ruleName?: string;
  readonly severity: Severity;
  /** The Citus consequence, placeholders filled. */
  readonly message: string;
  readonly location: Location;
  /** Table (catalog key) and column the finding is about, when it is about one. */
  readonly table?: string;
  readonly column?: string;
  /** The remedy. */
  readonly help?: string;
  /** A concrete change: what to run. */
  readonly fix?: { readonly description: string; readonly sql?: string };
  /** The rule's documentation. */
  readonly url?: string;
}

/** Sorted by file, line, column, rule id, message: the one order every reporter uses. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    cmp(a.location.file, b.location.file) ||
    a.location.line - b.location.line ||
    a.location.column - b.location.column ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.message, b.message)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
