/**
 * The rule documents as one JSON file written at build time
 * (dist/rules.catalogue.json, by scripts/build-catalogue.mjs after tsc), so
 * that `shardwise rules` starts without the YAML parser and the schema
 * validator: parsing and validating rules/*.yml takes a few hundred
 * milliseconds, reading this file one. It is used only while it matches the
 * rule files byte for byte (a digest of their names and contents); otherwise
 * the caller reads the YAML as before. No YAML or ajv import here.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuleDoc } from './model.js';

interface Catalogue {
  readonly digest: string;
  readonly docs: RuleDoc[];
}

/** The package's own folder (src/rules and dist/rules both sit two levels below it). */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RULES_DIR = join(ROOT, 'rules');
export const CATALOGUE_PATH = join(ROOT, 'dist', 'rules.catalogue.json');

/** A digest of every rules/*.yml: its name and its bytes. */
export function rulesDigest(dir: string = RULES_DIR): string {
  const hash = createHash('sha256');
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.yml')).sort()) {
    hash.update(`${f}\0`);
    hash.update(readFileSync(join(dir, f)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** The rule documents from the catalogue, or undefined when there is none or the rule files changed since it was written. */
export function readRuleCatalogue(path: string = CATALOGUE_PATH, dir: string = RULES_DIR): RuleDoc[] | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const c = JSON.parse(readFileSync(path, 'utf8')) as Catalogue;
    return c.digest === rulesDigest(dir) && Array.isArray(c.docs) ? c.docs : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Write the catalogue of documents read (and validated) from the rule files
 * of `dir`, each with its options' defaults (`defaults(doc)`: the options
 * when none are given), so a run need not compile the options' schemas.
 */
export function writeRuleCatalogue(docs: readonly RuleDoc[], defaults: (doc: RuleDoc) => Record<string, unknown>, path: string = CATALOGUE_PATH, dir: string = RULES_DIR): void {
  const c: Catalogue = { digest: rulesDigest(dir), docs: docs.map((d) => ({ ...d, defaults: defaults(d) })) };
  writeFileSync(path, JSON.stringify(c) + '\n');
}
