/**
 * Findings as GitHub Actions workflow commands, which the runner turns into
 * annotations on the pull request's diff:
 *   ::error file=F,line=L,col=C,title=T::MESSAGE
 * Escaping follows GitHub's documentation and @actions/core (command.ts):
 * in the message `%`, CR and LF are percent-encoded; in a property value
 * also `:` and `,`.
 */
import type { Finding, Severity } from '../../rules/finding.js';
import { findingUrl, type Report } from '../model.js';

/** GitHub's annotation levels: there is no `info`, `notice` is its equivalent. */
export function githubCommand(s: Severity): 'error' | 'warning' | 'notice' {
  return s === 'info' ? 'notice' : s;
}

/** Escape a workflow command's message (the part after `::`). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escape a workflow command property value (`file=`, `title=`, ...). */
export function escapeProperty(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithub(report: Report): string {
  return report.findings.map((f) => githubLine(report, f) + '\n').join('');
}

function githubLine(report: Report, f: Finding): string {
  const title = f.ruleName ? `${f.ruleId} ${f.ruleName}` : f.ruleId;
  const props = [
    `file=${escapeProperty(f.location.file)}`,
    `line=${f.location.line}`,
    `col=${f.location.column}`,
    `title=${escapeProperty(title)}`,
  ].join(',');
  const message = [f.message, f.help, findingUrl(report, f)].filter((s): s is string => !!s).join('\n');
  return `::${githubCommand(f.severity)} ${props}::${escapeData(message)}`;
}
