/**
 * Findings for a terminal: per finding a `file:line:column  severity  RULE  message`
 * header, a code frame, the remedy and the rule's documentation, then one summary line.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { Finding, Severity } from '../../rules/finding.js';
import { RULE_ID } from '../../project.js';
import { findingUrl, plural, type Report } from '../model.js';
import { codeFrame, type SourceLines } from './codeframe.js';

export interface TextOptions {
  /** ANSI colours; the CLI passes false when NO_COLOR is set or the stream is not a TTY. */
  readonly color: boolean;
  /** Source texts by file, for code frames; a file without one gets no frame. */
  readonly sources?: ReadonlyMap<string, SourceLines>;
  /** Lines of context around each finding's line (default 1). */
  readonly context?: number;
}

export function formatText(report: Report, options: TextOptions): string {
  const c: ChalkInstance = new Chalk({ level: options.color ? 1 : 0 });
  const paint: Record<Severity, (s: string) => string> = {
    error: (s) => c.red.bold(s),
    warning: (s) => c.yellow.bold(s),
    info: (s) => c.blue.bold(s),
  };
  const blocks: string[] = [];
  for (const f of report.findings) blocks.push(formatFinding(report, f, c, paint, options));

  const s = report.summary;
  let summary: string;
  if (s.findings === 0) {
    summary = c.green(`✔ no problems in ${plural(s.files, 'file')}`);
  } else {
    const parts = `${plural(s.error, 'error')}, ${plural(s.warning, 'warning')}, ${s.info} info`;
    const line = `✖ ${plural(s.findings, 'problem')} (${parts}) in ${plural(s.filesWithFindings, 'file')}`;
    summary = s.error > 0 ? c.red.bold(line) : s.warning > 0 ? c.yellow.bold(line) : c.blue.bold(line);
  }
  blocks.push(summary);
  return blocks.join('\n\n') + '\n';
}

function formatFinding(
  report: Report,
  f: Finding,
  c: ChalkInstance,
  paint: Record<Severity, (s: string) => string>,
  options: TextOptions,
): string {
  const { file, line, column } = f.location;
  const lines = [`${c.bold(`${file}:${line}:${column}`)}  ${paint[f.severity](f.severity)}  ${c.bold(f.ruleId)}  ${f.message}`];
  const source = options.sources?.get(file);
  if (source) {
    const frame = codeFrame(source, line, column, {
      context: options.context ?? 1,
      style: { gutter: (s) => c.dim(s), marker: (s) => paint[f.severity](s) },
    });
    if (frame) lines.push(frame);
  }
  if (f.help) lines.push(`  ${c.cyan('help:')} ${indentRest(f.help, '        ')}`);
  if (f.fix) {
    // The fix often restates the rule's help: say it once.
    if (f.fix.description.trim() !== f.help?.trim()) lines.push(`  ${c.cyan('fix:')}  ${indentRest(f.fix.description, '        ')}`);
    else if (f.fix.sql) lines.push(`  ${c.cyan('fix:')}`);
    if (f.fix.sql) lines.push(...f.fix.sql.split('\n').map((l) => `        ${c.green(l)}`));
  }
  // a rule's page is also in the package: `shardwise rules <ID>` reads it offline
  const offline = RULE_ID.test(f.ruleId) ? ` ${c.dim(`(offline: shardwise rules ${f.ruleId})`)}` : '';
  lines.push(`  ${c.cyan('docs:')} ${c.underline(findingUrl(report, f))}${offline}`);
  return lines.join('\n');
}

function indentRest(text: string, indent: string): string {
  return text.split('\n').join('\n' + indent);
}
