/** The JSON report against its published schema (schemas/report.schema.json). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, it, expect } from 'vitest';
import { formatJson, REPORT_SCHEMA_ID } from '../../src/report/findings/json.js';
import { buildReport } from '../../src/report/model.js';
import { sampleReport } from './sample.js';

const here = dirname(fileURLToPath(import.meta.url));
const schema = JSON.parse(readFileSync(join(here, '../../schemas/report.schema.json'), 'utf8'));

describe('JSON reporter', () => {
  const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

  it('is valid against schemas/report.schema.json', () => {
    const value = JSON.parse(formatJson(sampleReport()));
    expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
    expect(schema.$id).toBe(REPORT_SCHEMA_ID);
  });

  it('an empty run is valid too', () => {
    const empty = buildReport({ tool: { name: 'shardwise', version: '0.1.0' }, files: [], findings: [], rules: [] });
    expect(validate(JSON.parse(formatJson(empty))), JSON.stringify(validate.errors)).toBe(true);
  });

  it('the schema rejects what it should', () => {
    const value = JSON.parse(formatJson(sampleReport()));
    value.files[0].findings[0].severity = 'fatal';
    expect(validate(value)).toBe(false);
    const v2 = JSON.parse(formatJson(sampleReport()));
    v2.files[0].findings[0].location.line = 0;
    expect(validate(v2)).toBe(false);
    const v3 = JSON.parse(formatJson(sampleReport()));
    v3.extra = true;
    expect(validate(v3)).toBe(false);
  });

  it('holds every finding exactly once, under its file', () => {
    const value = JSON.parse(formatJson(sampleReport()));
    const all = value.files.flatMap((f: { file: string; findings: Array<{ location: { file: string } }> }) => {
      for (const x of f.findings) expect(x.location.file).toBe(f.file);
      return f.findings;
    });
    expect(all).toHaveLength(value.summary.findings);
  });
});
