/**
 * SARIF output against the official SARIF 2.1.0 JSON Schema (vendored in
 * test/fixtures/sarif/, see SOURCE.md there), plus what GitHub code scanning
 * requires beyond the schema.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, it, expect } from 'vitest';
import { artifactUri, FINGERPRINT_KEY, toSarif } from '../../src/report/findings/sarif.js';
import { buildReport } from '../../src/report/model.js';
import { FINDINGS, RULES, sampleReport } from './sample.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const here = dirname(fileURLToPath(import.meta.url));
const schema = JSON.parse(readFileSync(join(here, '../fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8'));

function sarifValidator() {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

interface SarifLog {
  runs: Array<{
    tool: { driver: { rules: Array<{ id: string; helpUri: string; defaultConfiguration: { level: string } }> } };
    results: Array<{
      ruleId: string;
      ruleIndex: number;
      level: string;
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }>;
      partialFingerprints: Record<string, string>;
    }>;
  }>;
}

describe('SARIF reporter', () => {
  it('is valid against the official SARIF 2.1.0 schema', () => {
    const validate = sarifValidator();
    const log = toSarif(sampleReport());
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema oracle does reject a broken log (it is not vacuous)', () => {
    const validate = sarifValidator();
    const log = toSarif(sampleReport()) as unknown as SarifLog;
    (log.runs[0].results[0] as unknown as Record<string, unknown>).level = 'info';
    expect(validate(log)).toBe(false);
    const log2 = toSarif(sampleReport()) as unknown as SarifLog;
    log2.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    expect(validate(log2)).toBe(false);
  });

  it('points every result at its rule by id and index, with the right level', () => {
    const log = toSarif(sampleReport()) as unknown as SarifLog;
    const run = log.runs[0];
    expect(run.results).toHaveLength(FINDINGS.length);
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    expect(run.results.map((r) => r.level)).toEqual(['note', 'error', 'note', 'warning', 'warning']);
    expect(run.tool.driver.rules.map((r) => [r.id, r.defaultConfiguration.level])).toEqual([
      ['FK01', 'error'],
      ['ID01', 'note'],
      ['UQ01', 'warning'],
      ['unused-ignore', 'warning'],
    ]);
    expect(run.tool.driver.rules[0].helpUri).toBe('https://github.com/shardwise/shardwise/blob/main/docs/rules/FK01.md');
  });

  it('writes relative POSIX URIs, percent-encoded, that resolve back to the file', () => {
    const log = toSarif(sampleReport()) as unknown as SarifLog;
    const uris = log.runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri);
    expect(uris).toContain('migrations/002%20add%2C%20index.sql');
    for (const u of uris) {
      expect(u).not.toMatch(/^\/|^[a-z]+:|\\/);
      const resolved = new URL(u, 'file:///repo/');
      expect(decodeURIComponent(resolved.pathname).startsWith('/repo/migrations/')).toBe(true);
    }
    expect(artifactUri('./db\\mig #1?.sql')).toBe('db/mig%20%231%3F.sql');
  });

  it('gives fingerprints that ignore line moves but tell identical findings apart', () => {
    const base = sampleReport();
    const moved = buildReport({
      tool: base.tool,
      files: [],
      findings: FINDINGS.map((f) => ({ ...f, location: { ...f.location, line: f.location.line + 10 } })),
      rules: RULES,
    });
    const prints = (r: typeof base) =>
      (toSarif(r) as unknown as SarifLog).runs[0].results.map((x) => x.partialFingerprints[FINGERPRINT_KEY]);
    expect(prints(moved)).toEqual(prints(base));
    expect(new Set(prints(base)).size).toBe(FINDINGS.length);

    const twin = { ...FINDINGS[0], location: { ...FINDINGS[0].location, line: 9 } };
    const twins = prints(buildReport({ tool: base.tool, files: [], findings: [FINDINGS[0], twin], rules: RULES }));
    expect(twins[0]).not.toBe(twins[1]);
  });
});
