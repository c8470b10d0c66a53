/**
 * Findings as the body of a pull-request comment. The first line is a fixed
 * HTML comment, so a CI job can find its earlier comment and edit it instead
 * of adding another. A body over GitHub's limit (65,536 characters) is
 * replaced by a per-rule summary.
 */
import type { Finding, Severity } from '../../rules/finding.js';
import { SEVERITY_ORDER } from '../../rules/finding.js';
import { cmp, findingUrl, plural, type Report } from '../model.js';

export const MARKDOWN_MARKER = '<!-- shardwise-report -->';
/** GitHub rejects issue and pull-request comment bodies longer than this. */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface MarkdownOptions {
  /** Longest body allowed (default GitHub's 65,536). */
  readonly maxLength?: number;
  /** Heading text (default "shardwise"). */
  readonly title?: string;
}

const ICON: Record<Severity, string> = { error: '🔴 error', warning: '🟡 warning', info: '🔵 info' };

export function formatMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const max = options.maxLength ?? GITHUB_COMMENT_LIMIT;
  const head = header(report, options.title ?? 'shardwise');
  if (report.findings.length === 0) return head + '\nNo problems found.\n';

  const full = head + '\n' + findingsTable(report) + '\n';
  if (full.length <= max) return full;

  const note =
    `\n> The full list of ${plural(report.findings.length, 'finding')} is too long for a comment; ` +
    'it is summarised per rule. Run shardwise locally or see the code scanning results for every finding.\n';
  const rows = ruleSummaryRows(report);
  const tableHead = '| Rule | Severity | Findings | Files |\n|---|---|---:|---|\n';
  let body = head + note + '\n' + tableHead;
  const more = (n: number): string => (n > 0 ? `\n…and ${plural(n, 'more rule')}.\n` : '');
  for (let i = 0; i < rows.length; i++) {
    // Stop before a row when it and the note about the rows after it would not fit.
    if ((body + rows[i] + more(rows.length - i - 1)).length > max) return body + more(rows.length - i);
    body += rows[i];
  }
  return body;
}

function header(report: Report, title: string): string {
  const s = report.summary;
  const status =
    s.findings === 0
      ? `✅ No problems in ${plural(s.files, 'file')}.`
      : `${s.error > 0 ? '❌' : '⚠️'} ${plural(s.findings, 'problem')} ` +
        `(${plural(s.error, 'error')}, ${plural(s.warning, 'warning')}, ${s.info} info) ` +
        `in ${plural(s.filesWithFindings, 'file')} of ${s.files}.`;
  return `${MARKDOWN_MARKER}\n## ${title}\n\n${status}\n`;
}

function findingsTable(report: Report): string {
  const lines = ['| Severity | Rule | Location | Message |', '|---|---|---|---|'];
  for (const f of report.findings) lines.push(findingRow(report, f));
  return lines.join('\n') + '\n';
}

function findingRow(report: Report, f: Finding): string {
  const rule = `[${cell(f.ruleId)}](${findingUrl(report, f)})`;
  const where = '`' + code(`${f.location.file}:${f.location.line}:${f.location.column}`) + '`';
  const message = cell(f.message) + (f.help ? `<br>*${cell(f.help)}*` : '');
  return `| ${ICON[f.severity]} | ${rule} | ${where} | ${message} |`;
}

function ruleSummaryRows(report: Report): string[] {
  const byRule = new Map<string, { severity: Severity; count: number; files: Set<string>; url: string }>();
  for (const f of report.findings) {
    let e = byRule.get(f.ruleId);
    if (!e) byRule.set(f.ruleId, (e = { severity: f.severity, count: 0, files: new Set(), url: findingUrl(report, f) }));
    e.count++;
    e.files.add(f.location.file);
    if (SEVERITY_ORDER[f.severity] > SEVERITY_ORDER[e.severity]) e.severity = f.severity;
  }
  return [...byRule.entries()]
    .sort((a, b) => SEVERITY_ORDER[b[1].severity] - SEVERITY_ORDER[a[1].severity] || b[1].count - a[1].count || cmp(a[0], b[0]))
    .map(([id, e]) => {
      const files = [...e.files].sort(cmp);
      const shown = files.slice(0, 3).map((f) => '`' + code(f) + '`').join(', ') + (files.length > 3 ? `, +${files.length - 3}` : '');
      return `| [${cell(id)}](${e.url}) | ${ICON[e.severity]} | ${e.count} | ${shown} |\n`;
    });
}

/** Text for a table cell: pipes escaped, newlines as <br>, HTML-significant `<` neutralised. */
function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\r?\n/g, '<br>');
}

/** Text inside a code span in a table cell. */
function code(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/`/g, "'");
}
