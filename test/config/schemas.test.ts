/**
 * The JSON Schemas shardwise validates with: those in schemas/ and every
 * rule's options schema. Runs compile them without checking them against
 * the JSON Schema meta-schema (that check cost most of a run's time), so it
 * is made here, once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { loadRuleDocs } from '../../src/rules/docs.js';
import { repoRoot } from '../support/corpus.js';

const dir = join(repoRoot, 'schemas');

describe('JSON Schemas', () => {
  const ajv = new Ajv({ strict: false, validateSchema: true });
  const ajv2020 = new Ajv2020({ strict: false, validateSchema: true });
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    it(`schemas/${f} is a valid JSON Schema`, () => {
      const schema = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      const meta = String(schema.$schema ?? '').includes('2020-12') ? ajv2020 : ajv;
      expect(meta.validateSchema(schema), JSON.stringify(meta.errors)).toBe(true);
    });
  }
  it('every rule options schema is a valid JSON Schema', () => {
    for (const doc of loadRuleDocs()) expect(ajv.validateSchema(doc.options), `${doc.id}: ${JSON.stringify(ajv.errors)}`).toBe(true);
  });
});
