/**
 * Findings as JSON, validated by schemas/report.schema.json. Keys are written
 * in a fixed order and absent optional fields are omitted, so the output is
 * byte-stable for a given report.
 */
import type { Finding } from '../../rules/finding.js';
import type { Report, RuleMeta } from '../model.js';
import { schemaUrl } from '../../project.js';

/** The published schema's id; also written as the report's `$schema`. */
export const REPORT_SCHEMA_ID = schemaUrl('report.schema.json');
/** Bumped on any incompatible change to the JSON report's shape. */
export const REPORT_FORMAT_VERSION = 1;

export interface JsonOptions {
  /** Indentation (default 2); 0 writes one line. */
  readonly indent?: number;
}

export function formatJson(report: Report, options: JsonOptions = {}): string {
  return JSON.stringify(toJsonReport(report), null, options.indent ?? 2) + '\n';
}

/** The JSON report as a plain value (what `formatJson` serialises). */
export function toJsonReport(report: Report): Record<string, unknown> {
  const s = report.summary;
  return {
    $schema: REPORT_SCHEMA_ID,
    version: REPORT_FORMAT_VERSION,
    tool: omitUndefined({ name: report.tool.name, version: report.tool.version, informationUri: report.tool.informationUri }),
    summary: {
      files: s.files,
      filesWithFindings: s.filesWithFindings,
      findings: s.findings,
      error: s.error,
      warning: s.warning,
      info: s.info,
    },
    rules: report.rules.map(jsonRule),
    files: report.files.map((f) => ({ file: f.file, findings: f.findings.map(jsonFinding) })),
  };
}

function jsonRule(r: RuleMeta): Record<string, unknown> {
  return omitUndefined({
    id: r.id,
    name: r.name,
    group: r.group,
    severity: r.severity,
    summary: r.summary,
    help: r.help,
    helpUri: r.helpUri,
  });
}

function jsonFinding(f: Finding): Record<string, unknown> {
  return omitUndefined({
    ruleId: f.ruleId,
    ruleName: f.ruleName,
    severity: f.severity,
    message: f.message,
    location: { file: f.location.file, line: f.location.line, column: f.location.column },
    table: f.table,
    column: f.column,
    help: f.help,
    fix: f.fix ? omitUndefined({ description: f.fix.description, sql: f.fix.sql }) : undefined,
    url: f.url,
  });
}

function omitUndefined(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}
