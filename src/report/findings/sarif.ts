/**
 * Findings as SARIF 2.1.0, the format GitHub code scanning ingests
 * (github/codeql-action/upload-sarif). One run; tool.driver carries every
 * rule's metadata; each result points at its rule by id and index, at a
 * relative POSIX artifact URI under %SRCROOT%, and has a partial fingerprint
 * that survives lines moving, so code scanning keeps one alert per problem.
 */
import { createHash } from 'node:crypto';
import type { Finding, Severity } from '../../rules/finding.js';
import { findingUrl, ruleOf, type Report, type RuleMeta } from '../model.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** The key of our fingerprint in `partialFingerprints`; bump the version if its inputs change. */
export const FINGERPRINT_KEY = 'shardwiseFinding/v1';

export type SarifLevel = 'error' | 'warning' | 'note';

export function sarifLevel(s: Severity): SarifLevel {
  return s === 'info' ? 'note' : s;
}

export interface SarifOptions {
  /** Indentation (default 2). */
  readonly indent?: number;
}

export function formatSarif(report: Report, options: SarifOptions = {}): string {
  return JSON.stringify(toSarif(report), null, options.indent ?? 2) + '\n';
}

export function toSarif(report: Report): Record<string, unknown> {
  const ruleIndex = new Map(report.rules.map((r, i) => [r.id, i]));
  const seen = new Map<string, number>();
  const results = report.findings.map((f) => {
    const base = fingerprintBase(f);
    const ordinal = seen.get(base) ?? 0;
    seen.set(base, ordinal + 1);
    return sarifResult(report, f, ruleIndex.get(f.ruleId), fingerprint(base, ordinal));
  });
  const driver: Record<string, unknown> = {
    name: report.tool.name,
    version: report.tool.version,
    semanticVersion: report.tool.version,
  };
  if (report.tool.informationUri) driver.informationUri = report.tool.informationUri;
  driver.rules = report.rules.map(sarifRule);
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver },
        // Our columns count code points, as editors do.
        columnKind: 'unicodeCodePoints',
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The directory shardwise ran in.' } } },
        results,
      },
    ],
  };
}

function sarifRule(r: RuleMeta): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: r.id,
    name: r.name,
    shortDescription: { text: r.summary },
    fullDescription: { text: r.help ? `${r.summary}. ${r.help}` : r.summary },
    helpUri: r.helpUri,
    help: {
      text: `${r.help ?? r.summary}\n\nDocumentation: ${r.helpUri}`,
      markdown: `${r.help ?? r.summary}\n\n[${r.id} documentation](${r.helpUri})`,
    },
    defaultConfiguration: { level: sarifLevel(r.severity) },
  };
  if (r.group) out.properties = { tags: [r.group] };
  return out;
}

function sarifResult(report: Report, f: Finding, index: number | undefined, print: string): Record<string, unknown> {
  const text = [f.message, f.help, f.fix ? `Fix: ${f.fix.description}${f.fix.sql ? `\n${f.fix.sql}` : ''}` : undefined]
    .filter((s): s is string => !!s)
    .join('\n');
  const out: Record<string, unknown> = { ruleId: f.ruleId };
  if (index !== undefined) out.ruleIndex = index;
  out.level = sarifLevel(f.severity);
  out.message = { text };
  out.locations = [
    {
      physicalLocation: {
        artifactLocation: { uri: artifactUri(f.location.file), uriBaseId: '%SRCROOT%' },
        region: { startLine: f.location.line, startColumn: f.location.column },
      },
    },
  ];
  out.partialFingerprints = { [FINGERPRINT_KEY]: print };
  const properties: Record<string, unknown> = {};
  if (f.table) properties.table = f.table;
  if (f.column) properties.column = f.column;
  const url = findingUrl(report, f);
  if (url !== ruleOf(report, f.ruleId)?.helpUri) properties.helpUri = url;
  if (Object.keys(properties).length) out.properties = properties;
  return out;
}

/**
 * A relative POSIX path as a URI reference: each segment percent-encoded (so
 * spaces, `#`, `?` and `%` survive), `/` kept, backslashes turned into `/`.
 */
export function artifactUri(file: string): string {
  return file
    .replace(/\\/g, '/')
    .replace(/^\.\//, '')
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

/**
 * What identifies a finding across commits: rule, file, what it is about and
 * its message, but not its line, which moves whenever lines are added above.
 */
function fingerprintBase(f: Finding): string {
  return [f.ruleId, f.location.file, f.table ?? '', f.column ?? '', f.message].join('\u0000');
}

/** Identical findings in one file are told apart by their order. */
function fingerprint(base: string, ordinal: number): string {
  return createHash('sha256').update(`${base}\u0000${ordinal}`).digest('hex').slice(0, 32) + ':' + (ordinal + 1);
}
