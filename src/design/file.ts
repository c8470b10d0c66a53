/**
 * shardwise.plan.yaml <-> Design. Reading validates against
 * schemas/design.schema.json with ajv and, given the catalog, checks that
 * every table and column named exists; each problem carries the YAML
 * line:column and a hint. Writing is deterministic (sorted, no timestamps).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject } from 'ajv';
import { newAjv } from '../ingest/libs.js';
import { shown } from '../ingest/inert.js';
import { fsError } from '../ingest/write.js';
import { locateNode, readYaml } from '../ingest/yaml.js';
import type { Catalog } from '../catalog/model.js';
import { displayName, qualifiedKey, splitKey } from '../ingest/pg/names.js';
import { DEFAULT_CITUS_VERSION, DEFAULT_SHARD_COUNT, type Backfill, type Design, type TableDesign } from './model.js';
import { schemaUrl } from '../project.js';
import { cacheKey, codeFingerprint, readCached, writeCached, type CacheDir, type EntryKind } from '../ingest/cache-store.js';

export const DESIGN_SCHEMA_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas', 'design.schema.json');

export interface DesignProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly hint?: string;
}

export class DesignFileError extends Error {
  readonly problems: DesignProblem[];
  constructor(problems: DesignProblem[]) {
    super(problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`).join('\n'));
    this.name = 'DesignFileError';
    this.problems = problems;
  }
}

interface RawTable {
  kind: TableDesign['kind'];
  column?: string;
  colocate_with?: string;
  shard_count?: number;
  backfill?: { from: string; join: string[]; path?: Array<{ table: string; columns: string[]; ref_table: string; ref_columns: string[] }> };
}

interface RawDesign {
  citus?: string;
  shard_count?: number;
  tables: Record<string, RawTable>;
}

/** A design-file table name to a catalog key: `orders` -> `public.orders`, `billing.orders` as is. */
export function tableKeyOf(name: string, catalog?: Catalog): string {
  const dot = name.indexOf('.');
  if (dot === -1) {
    const pub = qualifiedKey('public', name);
    if (!catalog || catalog.tables[pub]) return pub;
    const other = Object.values(catalog.tables).find((t) => t.name === name);
    return other ? other.key : pub;
  }
  if (catalog?.tables[qualifiedKey('public', name)]) return qualifiedKey('public', name);
  // `schema.table`, the schema double-quoted when it holds a dot (as the design is written)
  const parts = splitKey(name);
  return qualifiedKey(parts.schema, parts.name);
}

type PositionOf = (path: ReadonlyArray<string | number>, prefer?: 'key' | 'value') => { line: number; column: number };

/** Plan files read before: the validated document by its bytes (YAML and the schema check are most of a small run). */
const DESIGN_ENTRY: EntryKind = { kind: 'design', format: 1, keep: 16 };

/**
 * The design a plan file's text gives. With a cache, a text read before
 * skips the YAML parser and the schema check; the YAML is read again only
 * to place a problem the catalog shows.
 */
export function parseDesign(text: string, file: string, catalog?: Catalog, cache?: CacheDir): Design {
  if (!cache) {
    const read = readRaw(text, file);
    return fromRaw(read.value, file, catalog, read.positionOf);
  }
  const key = cacheKey([DESIGN_ENTRY.kind, cache.version, codeFingerprint([DESIGN_SCHEMA_PATH, fileURLToPath(import.meta.url)]), text]);
  const hit = readCached<RawDesign>(cache, DESIGN_ENTRY, key);
  if (hit) {
    let full: ReturnType<typeof readRaw> | undefined;
    return fromRaw(hit, file, catalog, (path, prefer) => (full ??= readRaw(text, file)).positionOf(path, prefer));
  }
  const read = readRaw(text, file);
  writeCached(cache, DESIGN_ENTRY, key, read.value);
  return fromRaw(read.value, file, catalog, read.positionOf);
}

/** The document, valid by schemas/design.schema.json, and where its nodes are; or DesignFileError. */
function readRaw(text: string, file: string): { value: RawDesign; positionOf: PositionOf } {
  const read = readYaml(text, 'design file');
  if (!read.ok) throw new DesignFileError(read.problems.map((p) => ({ file, ...p })));
  const { doc, at } = read;
  const value = read.value as RawDesign;
  const positionOf = (path: ReadonlyArray<string | number>, prefer: 'key' | 'value' = 'value') => {
    const { key, value: node } = locateNode(doc, path);
    const target = prefer === 'key' ? (key ?? node) : (node ?? key);
    return target?.range ? at(target.range[0]) : { line: 1, column: 1 };
  };
  const validate = newAjv({ allErrors: true, strict: false, verbose: true, validateSchema: false }).compile(JSON.parse(readFileSync(DESIGN_SCHEMA_PATH, 'utf8')));
  if (!validate(value)) throw new DesignFileError(schemaProblems(validate.errors ?? [], value, file, positionOf));
  return { value, positionOf };
}

/** The design a valid document gives, each table and column checked against the catalog when there is one. */
function fromRaw(value: RawDesign, file: string, catalog: Catalog | undefined, positionOf: PositionOf): Design {
  const tables: Record<string, TableDesign> = {};
  const problems: DesignProblem[] = [];
  const keyOf = (name: string) => tableKeyOf(name, catalog);
  for (const [name, raw] of Object.entries(value.tables ?? {})) {
    const key = keyOf(name);
    const t = catalog?.tables[key];
    if (catalog && !t) {
      problems.push({ file, ...positionOf(['tables', name], 'key'), message: `table ${shown(name)} is not in the schema`, hint: 'remove it, or check the name (schema.table outside public)' });
      continue;
    }
    if (raw.column && t && !raw.backfill && !t.columns.some((c) => c.name === raw.column)) {
      problems.push({
        file,
        ...positionOf(['tables', name, 'column']),
        message: `table ${shown(name)} has no column ${shown(raw.column)}`,
        hint: `add a backfill: {from, join} to create it, or use one of: ${shown(t.columns.map((c) => c.name).join(', '), 300)}`,
      });
    }
    const backfill: Backfill | undefined = raw.backfill
      ? {
          from: keyOf(raw.backfill.from),
          join: raw.backfill.join,
          ...(raw.backfill.path ? { path: raw.backfill.path.map((h) => ({ table: keyOf(h.table), columns: h.columns, refTable: keyOf(h.ref_table), refColumns: h.ref_columns })) } : {}),
        }
      : undefined;
    if (backfill && catalog && !catalog.tables[backfill.from]) {
      problems.push({ file, ...positionOf(['tables', name, 'backfill', 'from']), message: `backfill source ${shown(raw.backfill!.from)} is not in the schema`, hint: 'name a table of the schema (schema.table outside public)' });
    }
    tables[key] = {
      kind: raw.kind,
      ...(raw.column ? { column: raw.column } : {}),
      ...(raw.colocate_with ? { colocateWith: keyOf(raw.colocate_with) } : {}),
      ...(raw.shard_count ? { shardCount: raw.shard_count } : {}),
      ...(backfill ? { backfill } : {}),
    };
  }
  for (const [name, raw] of Object.entries(value.tables ?? {})) {
    if (!raw.colocate_with) continue;
    const target = tables[keyOf(raw.colocate_with)];
    if (!target || target.kind !== 'distributed') {
      problems.push({
        file,
        ...positionOf(['tables', name, 'colocate_with']),
        message: `${shown(name)} colocates with ${shown(raw.colocate_with)}, which the design does not distribute`,
        hint: `distribute ${shown(raw.colocate_with)} too, or remove colocate_with`,
      });
    }
  }
  if (problems.length) throw new DesignFileError(problems.sort((a, b) => a.line - b.line || a.column - b.column));
  return {
    citus: value.citus ?? DEFAULT_CITUS_VERSION,
    shardCount: value.shard_count ?? DEFAULT_SHARD_COUNT,
    tables: Object.fromEntries(Object.entries(tables).sort(([a], [b]) => (a < b ? -1 : 1))),
  };
}

export function readDesignFile(path: string, file: string, catalog?: Catalog, cache?: CacheDir): Design {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    // a directory, a file that cannot be read: one line with the path and what to do, not a crash
    throw fsError(e, file, 'read the plan file');
  }
  return parseDesign(text, file, catalog, cache);
}

/** The design as shardwise.plan.yaml text: one line per table, sorted, with a header. */
export function writeDesign(design: Design, notes: Record<string, string> = {}): string {
  const lines = [
    `# yaml-language-server: $schema=${schemaUrl('design.schema.json')}`,
    '# The distribution design: review and edit, then run `shardwise migrate` and `shardwise simulate`.',
    `citus: "${design.citus}"`,
    `shard_count: ${design.shardCount}`,
    'tables:',
  ];
  const entries = Object.entries(design.tables).sort(([a], [b]) => (displayName(a) < displayName(b) ? -1 : 1));
  for (const [key, t] of entries) {
    const parts = [`kind: ${t.kind}`];
    if (t.column) parts.push(`column: ${scalar(t.column)}`);
    if (t.colocateWith) parts.push(`colocate_with: ${scalar(displayName(t.colocateWith))}`);
    if (t.shardCount) parts.push(`shard_count: ${t.shardCount}`);
    if (t.backfill) {
      const via = (t.backfill.path ?? []).map((h) => `${displayName(h.table)}(${h.columns.join(', ')}) -> ${displayName(h.refTable)}(${h.refColumns.join(', ')})`).join(', ');
      parts.push(`backfill: { from: ${scalar(displayName(t.backfill.from))}, join: [${t.backfill.join.map(scalar).join(', ')}] }`);
      if (via) notes[key] = [notes[key], `key comes via ${via}`].filter(Boolean).join('; ');
    }
    const note = notes[key] ? `  # ${notes[key]}` : '';
    lines.push(`  ${scalar(displayName(key))}: { ${parts.join(', ')} }${note}`);
  }
  return lines.join('\n') + '\n';
}

/** A YAML plain scalar when safe, else double-quoted. */
function scalar(s: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(s) && !/^(true|false|null|yes|no|on|off|y|n|~)$/i.test(s) ? s : JSON.stringify(s);
}

function schemaProblems(errors: ErrorObject[], root: unknown, file: string, positionOf: PositionOf): DesignProblem[] {
  const out: DesignProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'if') continue;
    const path = e.instancePath ? e.instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')) : [];
    const label = path.join('.') || '(top level)';
    let value: unknown = root;
    for (const p of path) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[p] : undefined;
    let pos = positionOf(path);
    let message: string;
    let hint: string | undefined = (e.parentSchema as { description?: string } | undefined)?.description;
    if (e.keyword === 'additionalProperties') {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty);
      pos = positionOf([...path, extra], 'key');
      message = `unknown key ${JSON.stringify(extra)}${path.length ? ` in ${label}` : ''}`;
      hint = `allowed keys: ${Object.keys(((e.parentSchema as { properties?: object }) ?? {}).properties ?? {}).join(', ')}`;
    } else if (e.keyword === 'required') {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      message = `${label}: missing ${JSON.stringify(missing)}`;
      if (missing === 'column') hint = 'a distributed table needs its distribution column';
    } else if (e.keyword === 'enum') {
      message = `${label}: ${shown(JSON.stringify(value) ?? String(value))} is not allowed`;
      hint = `use one of: ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).join(', ')}`;
    } else if (e.keyword === 'type') {
      message = `${label}: expected ${(e.params as { type: string }).type}, got ${shown(JSON.stringify(value) ?? String(value))}`;
    } else {
      message = `${label}: ${e.message ?? 'is not valid'}${value !== undefined && typeof value !== 'object' ? ` (${shown(JSON.stringify(value) ?? String(value))})` : ''}`;
    }
    const k = `${pos.line}:${pos.column}:${message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ file, ...pos, message: shown(message, 300), hint: hint ?? 'see schemas/design.schema.json for what a design file holds; shardwise analyze --write-plan writes one' });
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}
