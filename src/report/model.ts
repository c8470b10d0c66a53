/**
 * The value every findings reporter (text, JSON, SARIF, GitHub commands,
 * Markdown) renders: one lint or analyze run, findings sorted once, here.
 */
import { compareFindings, SEVERITY_ORDER, type Finding, type Severity } from '../rules/finding.js';

import { ruleDocUrl } from '../project.js';

/** The stable documentation URL of a rule (text output, SARIF helpUri, Markdown links). */
export { ruleDocUrl };

export interface ToolInfo {
  readonly name: string;
  readonly version: string;
  /** The tool's home page (SARIF tool.driver.informationUri). */
  readonly informationUri?: string;
}

/** What a reporter needs to know of a rule. */
export interface RuleMeta {
  readonly id: string;
  /** Dotted name, e.g. `foreign-key.reference-to-distributed`. */
  readonly name: string;
  /** Default severity. */
  readonly severity: Severity;
  /** One imperative line. */
  readonly summary: string;
  readonly helpUri: string;
  readonly group?: string;
  /** The remedy, when the rule has one. */
  readonly help?: string;
}

export interface FileFindings {
  /** Relative POSIX path. */
  readonly file: string;
  /** Sorted with `compareFindings`. */
  readonly findings: readonly Finding[];
}

export interface SeverityCounts {
  readonly error: number;
  readonly warning: number;
  readonly info: number;
}

export interface ReportSummary extends SeverityCounts {
  /** Files checked (with or without findings). */
  readonly files: number;
  /** Files with at least one finding. */
  readonly filesWithFindings: number;
  readonly findings: number;
}

export interface Report {
  readonly tool: ToolInfo;
  /** Every file checked, sorted by path; files without findings have an empty list. */
  readonly files: readonly FileFindings[];
  /** All findings, sorted with `compareFindings`. */
  readonly findings: readonly Finding[];
  readonly summary: ReportSummary;
  /** Every rule a finding refers to, plus every rule that ran; sorted by id. */
  readonly rules: readonly RuleMeta[];
}

/**
 * Rules that are not rules/<ID>.yml documents: problems of the input or of a
 * suppression comment. Used when the caller's rule list lacks them.
 */
export const BUILTIN_RULES: readonly RuleMeta[] = [
  {
    id: 'internal-error',
    name: 'shardwise.internal-error',
    severity: 'error',
    summary: 'A rule failed on this input; the other rules still ran',
    helpUri: ruleDocUrl('internal-error'),
    group: 'shardwise',
  },
  {
    id: 'input-error',
    name: 'shardwise.input-error',
    severity: 'warning',
    summary: 'Fix the input that could not be read in full (truncated export, damaged log line, unknown annotation)',
    helpUri: ruleDocUrl('input-error'),
    group: 'shardwise',
  },
  {
    id: 'identifier-truncated',
    name: 'shardwise.identifier-truncated',
    severity: 'info',
    summary: 'Name objects in at most 63 bytes: PostgreSQL truncates longer names',
    helpUri: ruleDocUrl('identifier-truncated'),
    group: 'shardwise',
  },
  {
    id: 'not-modelled',
    name: 'shardwise.not-modelled',
    severity: 'info',
    summary: 'Check by hand what shardwise cannot model: the statement was not run on the Citus model',
    helpUri: ruleDocUrl('not-modelled'),
    group: 'shardwise',
    help: 'shardwise does not know what this statement does (dynamic SQL in a DO block, a statement kind it does not read, an edit of Citus metadata), so it cannot say whether Citus accepts it or what it changes; the statements after it are checked as if it changed nothing. Try it on a staging Citus cluster, or write the change as plain DDL.',
  },
  {
    id: 'syntax-error',
    name: 'shardwise.syntax-error',
    severity: 'error',
    summary: 'Fix the SQL that PostgreSQL cannot parse',
    helpUri: ruleDocUrl('syntax-error'),
    group: 'shardwise',
  },
  {
    id: 'unknown-ignore',
    name: 'shardwise.unknown-ignore',
    severity: 'warning',
    summary: 'Name an existing rule in a shardwise-ignore comment',
    helpUri: ruleDocUrl('unknown-ignore'),
    group: 'shardwise',
    help: 'Use a rule id (FK01) or dotted name that `shardwise rules` lists, or remove the comment.',
  },
  {
    id: 'unused-ignore',
    name: 'shardwise.unused-ignore',
    severity: 'warning',
    summary: 'Remove a shardwise-ignore comment that suppresses nothing',
    helpUri: ruleDocUrl('unused-ignore'),
    group: 'shardwise',
    help: 'Delete the comment, or move it directly above the statement the finding is on.',
  },
];

export interface BuildReportInput {
  readonly tool: ToolInfo;
  /** Every file checked (relative POSIX paths); files named only by findings are added. */
  readonly files: readonly string[];
  readonly findings: readonly Finding[];
  /** Metadata of the rules that ran; rules that findings name but this lacks are filled in. */
  readonly rules: readonly RuleMeta[];
}

/** Sort, group and count: the one place a `Report` is made. */
export function buildReport(input: BuildReportInput): Report {
  const findings = [...input.findings].sort(compareFindings);
  const byFile = new Map<string, Finding[]>();
  for (const f of [...input.files].sort(cmp)) byFile.set(f, []);
  for (const f of findings) {
    let list = byFile.get(f.location.file);
    if (!list) byFile.set(f.location.file, (list = []));
    list.push(f);
  }
  const files = [...byFile.keys()].sort(cmp).map((file) => ({ file, findings: byFile.get(file)! }));

  const rules = new Map<string, RuleMeta>();
  for (const r of input.rules) rules.set(r.id, r);
  const builtins = new Map(BUILTIN_RULES.map((r) => [r.id, r]));
  for (const f of findings) {
    if (rules.has(f.ruleId)) continue;
    rules.set(
      f.ruleId,
      builtins.get(f.ruleId) ?? {
        id: f.ruleId,
        name: f.ruleName ?? f.ruleId,
        severity: f.severity,
        summary: f.ruleName ?? f.ruleId,
        helpUri: f.url ?? ruleDocUrl(f.ruleId),
      },
    );
  }

  const counts = countSeverities(findings);
  return {
    tool: input.tool,
    files,
    findings,
    summary: {
      files: files.length,
      filesWithFindings: files.filter((f) => f.findings.length > 0).length,
      findings: findings.length,
      ...counts,
    },
    rules: [...rules.values()].sort((a, b) => cmp(a.id, b.id)),
  };
}

export function countSeverities(findings: readonly Finding[]): SeverityCounts {
  let error = 0;
  let warning = 0;
  let info = 0;
  for (const f of findings) {
    if (f.severity === 'error') error++;
    else if (f.severity === 'warning') warning++;
    else info++;
  }
  return { error, warning, info };
}

/** The rule metadata of a finding's rule, if the report has it. */
export function ruleOf(report: Report, ruleId: string): RuleMeta | undefined {
  return report.rules.find((r) => r.id === ruleId);
}

/** The documentation URL for a finding: its own, else its rule's, else the default. */
export function findingUrl(report: Report, f: Finding): string {
  return f.url ?? ruleOf(report, f.ruleId)?.helpUri ?? ruleDocUrl(f.ruleId);
}

/** True when some finding is at or above `level` (`none` never fails). */
export function failsAt(report: Report, level: Severity | 'none'): boolean {
  if (level === 'none') return false;
  return report.findings.some((f) => SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER[level]);
}

/** "1 error", "2 warnings": counted nouns for summaries. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A rule document (rules/<ID>.yml) as reporters need it; `helpUri` defaults to the rule's docs URL. */
export function toRuleMeta(
  doc: { readonly id: string; readonly name: string; readonly group?: string; readonly severity: Severity; readonly summary: string; readonly help?: string },
  helpUri: string = ruleDocUrl(doc.id),
): RuleMeta {
  return {
    id: doc.id,
    name: doc.name,
    severity: doc.severity,
    summary: doc.summary,
    helpUri,
    ...(doc.group !== undefined ? { group: doc.group } : {}),
    ...(doc.help !== undefined ? { help: doc.help } : {}),
  };
}
