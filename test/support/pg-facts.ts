/**
 * The facts of a schema as PostgreSQL itself holds them (pg_catalog), and the
 * same facts taken from shardwise's Catalog, in one comparable shape.
 */
import type pg from 'pg';
import type { Catalog } from '../../src/catalog/model.js';

export interface TableFacts {
  columns: string[]; // "name type [not null] [identity a|d] [generated]"
  primaryKey: string; // "a,b" or ""
  uniques: string[]; // sorted "a,b" sets (expression elements as "expr"), PK excluded
  foreignKeys: string[]; // "a,b -> schema.t(c,d) on update X on delete Y"
  triggers: string[]; // "name timing events level"
  partitionOf: string; // parent key or ""
  inherits: string[];
  ownedSequences: string[]; // "schema.seq" owned by a column of this table (serial or identity)
}

export type SchemaFacts = Record<string, TableFacts>;

const ACTIONS: Record<string, string> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };

/**
 * An FK that references a partitioned table gets, on the same referencing
 * table, one internal clone per partition of the referenced table (conparentid
 * set to the FK, same conrelid): PostgreSQL's bookkeeping, not a constraint
 * the schema declares. An FK declared on a partition of the referenced table
 * (`REFERENCES some_partition(id)`) is a real one, and so are the clones on the
 * referencing table's partitions (conrelid differs from the parent's).
 */
const REFERENCED_SIDE_CLONE = `EXISTS (SELECT 1 FROM pg_constraint parent WHERE parent.oid = c.conparentid AND parent.conrelid = c.conrelid)`;

export async function factsFromPostgres(client: pg.Client): Promise<SchemaFacts> {
  const facts: SchemaFacts = {};
  const tables = await client.query(`
    SELECT c.oid, n.nspname, c.relname
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r','p','f') AND n.nspname NOT IN ('pg_catalog','information_schema','pg_toast')
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')`);
  const byOid = new Map<number, string>();
  for (const r of tables.rows) {
    const key = `${r.nspname}.${r.relname}`;
    byOid.set(r.oid, key);
    facts[key] = { columns: [], primaryKey: '', uniques: [], foreignKeys: [], triggers: [], partitionOf: '', inherits: [], ownedSequences: [] };
  }
  const cols = await client.query(`
    SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull, a.attidentity, a.attgenerated
    FROM pg_attribute a WHERE a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attrelid, a.attnum`);
  for (const r of cols.rows) {
    const t = facts[byOid.get(r.attrelid) ?? ''];
    if (!t) continue;
    t.columns.push(columnFact(r.attname, r.type, r.attnotnull, r.attidentity || '', r.attgenerated || ''));
  }
  const cons = await client.query(`
    SELECT c.conrelid, c.contype, c.confrelid, c.confupdtype, c.confdeltype,
      ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) AS cols,
      ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) AS refcols
    FROM pg_constraint c WHERE c.contype IN ('p','f') AND NOT ${REFERENCED_SIDE_CLONE}`);
  for (const r of cons.rows) {
    const t = facts[byOid.get(r.conrelid) ?? ''];
    if (!t) continue;
    if (r.contype === 'p') t.primaryKey = r.cols.join(',');
    else t.foreignKeys.push(fkFact(r.cols, byOid.get(r.confrelid) ?? '?', r.refcols, ACTIONS[r.confupdtype], ACTIONS[r.confdeltype]));
  }
  const idx = await client.query(`
    SELECT i.indrelid,
      ARRAY(SELECT CASE WHEN k.n = 0 THEN 'expr' ELSE (SELECT attname::text FROM pg_attribute WHERE attrelid = i.indrelid AND attnum = k.n) END
            FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, o) WHERE k.o <= i.indnkeyatts ORDER BY k.o) AS cols
    FROM pg_index i WHERE i.indisunique AND NOT i.indisprimary`);
  for (const r of idx.rows) {
    const t = facts[byOid.get(r.indrelid) ?? ''];
    if (t) t.uniques.push(r.cols.join(','));
  }
  const trg = await client.query(`SELECT tgrelid, tgname, tgtype FROM pg_trigger WHERE NOT tgisinternal`);
  for (const r of trg.rows) {
    const t = facts[byOid.get(r.tgrelid) ?? ''];
    if (!t) continue;
    const type: number = r.tgtype;
    const timing = type & 2 ? 'before' : type & 64 ? 'instead of' : 'after';
    const events = [type & 4 && 'insert', type & 8 && 'delete', type & 16 && 'update', type & 32 && 'truncate'].filter(Boolean).join('|');
    t.triggers.push(`${r.tgname} ${timing} ${events} ${type & 1 ? 'row' : 'statement'}`);
  }
  const inh = await client.query(`SELECT i.inhrelid, i.inhparent, c.relispartition FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid ORDER BY i.inhrelid, i.inhseqno`);
  for (const r of inh.rows) {
    const t = facts[byOid.get(r.inhrelid) ?? ''];
    const parent = byOid.get(r.inhparent);
    if (!t || !parent) continue; // index inheritance
    if (r.relispartition) t.partitionOf = parent;
    else t.inherits.push(parent);
  }
  const owned = await client.query(`
    SELECT d.refobjid, n.nspname, s.relname
    FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' JOIN pg_namespace n ON n.oid = s.relnamespace
    WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a','i') AND d.refobjsubid > 0`);
  for (const r of owned.rows) {
    const t = facts[byOid.get(r.refobjid) ?? ''];
    if (t) t.ownedSequences.push(`${r.nspname}.${r.relname}`);
  }
  return normalize(facts);
}

export function factsFromCatalog(catalog: Catalog): SchemaFacts {
  const facts: SchemaFacts = {};
  for (const t of Object.values(catalog.tables)) {
    facts[t.key] = {
      columns: t.columns.map((c) =>
        columnFact(c.name, c.type.display, c.notNull, c.identity ? (c.identity.kind === 'always' ? 'a' : 'd') : '', c.generated ? 's' : ''),
      ),
      primaryKey: t.primaryKey ? t.primaryKey.columns.join(',') : '',
      uniques: t.uniques.map((u) => u.columns.map((c) => c ?? 'expr').join(',')),
      foreignKeys: t.foreignKeys.map((f) => fkFact(f.columns, f.refTable, f.refColumns, f.onUpdate, f.onDelete)),
      triggers: t.triggers.map((g) => `${g.name} ${g.timing} ${g.events.join('|')} ${g.level}`),
      partitionOf: t.partitionOf?.parent ?? '',
      inherits: [...t.inherits],
      ownedSequences: [],
    };
  }
  for (const s of Object.values(catalog.sequences)) {
    if (s.ownedBy && facts[s.ownedBy.table]) facts[s.ownedBy.table].ownedSequences.push(s.key);
  }
  return normalize(facts);
}

function columnFact(name: string, type: string, notNull: boolean, identity: string, generated: string): string {
  return [name, type, notNull ? 'not null' : '', identity ? `identity ${identity}` : '', generated ? 'generated' : ''].filter(Boolean).join(' ');
}

function fkFact(cols: string[], ref: string, refCols: string[], onUpdate: string, onDelete: string): string {
  return `${cols.join(',')} -> ${ref}(${refCols.join(',')}) on update ${onUpdate} on delete ${onDelete}`;
}

function normalize(facts: SchemaFacts): SchemaFacts {
  const out: SchemaFacts = {};
  for (const key of Object.keys(facts).sort()) {
    const t = facts[key];
    out[key] = {
      ...t,
      uniques: [...t.uniques].sort(),
      foreignKeys: [...t.foreignKeys].sort(),
      triggers: [...t.triggers].sort(),
      ownedSequences: [...t.ownedSequences].sort(),
    };
  }
  return out;
}

/** Human-readable differences, one line each; empty when the two agree. */
export function diffFacts(expected: SchemaFacts, actual: SchemaFacts): string[] {
  const out: string[] = [];
  for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    const e = expected[key];
    const a = actual[key];
    if (!e) {
      out.push(`${key}: read by shardwise, absent from PostgreSQL`);
      continue;
    }
    if (!a) {
      out.push(`${key}: in PostgreSQL, missing from shardwise's catalog`);
      continue;
    }
    for (const field of Object.keys(e) as Array<keyof TableFacts>) {
      const ev = JSON.stringify(e[field]);
      const av = JSON.stringify(a[field]);
      if (ev !== av) out.push(`${key}.${field}:\n    postgres:  ${ev}\n    shardwise: ${av}`);
    }
  }
  return out;
}

/**
 * The schema's other objects, beside the tables: sequences (type, owner),
 * views, indexes (which table), types (enum labels in order, domain base),
 * constraint names per table, functions. Compared the same way as the table
 * facts, with diffObjectFacts.
 */
export interface ObjectFacts {
  /** relation key -> "sequence bigint owned by schema.t.col" | "view" | "materialized view" | "index on schema.t" */
  relations: Record<string, string>;
  /** type key -> "enum a,b,c" | "domain integer" | "composite" | "range" */
  types: Record<string, string>;
  /** table key -> sorted "name kind" (kind p, u, f, c, x) */
  constraints: Record<string, string[]>;
  /** function keys (`schema.name`, overloads once) */
  functions: string[];
}

const USER_NS = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'`;
const notMember = (catalog: string, oid: string) => `NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '${catalog}'::regclass AND e.objid = ${oid} AND e.deptype = 'e')`;

export async function objectFactsFromPostgres(client: pg.Client): Promise<ObjectFacts> {
  const facts: ObjectFacts = { relations: {}, types: {}, constraints: {}, functions: [] };
  const rels = await client.query(`
    SELECT n.nspname, c.relname, c.relkind, format_type(s.seqtypid, NULL) AS seqtype,
      CASE WHEN c.relkind = 'S' THEN (SELECT tn.nspname || '.' || t.relname || '.' || a.attname
         FROM pg_depend d JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = t.relnamespace
         JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass
          AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0) END AS owner,
      (SELECT tn.nspname || '.' || t.relname FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
         JOIN pg_namespace tn ON tn.oid = t.relnamespace
        WHERE i.indexrelid = c.oid AND ${notMember('pg_class', 't.oid')}) AS indtable
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_sequence s ON s.seqrelid = c.oid
    WHERE c.relkind IN ('S', 'v', 'm', 'i', 'I') AND ${USER_NS} AND ${notMember('pg_class', 'c.oid')}`);
  for (const r of rels.rows) {
    const key = `${r.nspname}.${r.relname}`;
    if (r.relkind === 'S') facts.relations[key] = `sequence ${r.seqtype}${r.owner ? ` owned by ${r.owner}` : ''}`;
    else if (r.relkind === 'v') facts.relations[key] = 'view';
    else if (r.relkind === 'm') facts.relations[key] = 'materialized view';
    else if (r.indtable) facts.relations[key] = `index on ${r.indtable}`;
  }
  const types = await client.query(`
    SELECT n.nspname, t.typname, t.typtype, format_type(t.typbasetype, t.typtypmod) AS base,
      ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE ${USER_NS} AND ${notMember('pg_type', 't.oid')}
      AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))`);
  for (const r of types.rows) {
    const key = `${r.nspname}.${r.typname}`;
    facts.types[key] = r.typtype === 'e' ? `enum ${r.labels.join(',')}` : r.typtype === 'd' ? `domain ${r.base}` : r.typtype === 'r' ? 'range' : 'composite';
  }
  const cons = await client.query(`
    SELECT n.nspname, r.relname, c.conname, c.contype
    FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace
    WHERE c.contype IN ('p', 'u', 'f', 'c', 'x') AND ${USER_NS} AND ${notMember('pg_class', 'r.oid')}
      AND NOT ${REFERENCED_SIDE_CLONE}`);
  for (const r of cons.rows) (facts.constraints[`${r.nspname}.${r.relname}`] ??= []).push(`${r.conname} ${r.contype}`);
  const fns = await client.query(`
    SELECT DISTINCT n.nspname || '.' || p.proname AS key FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE p.prokind IN ('f', 'p') AND ${USER_NS} AND ${notMember('pg_proc', 'p.oid')}`);
  facts.functions = fns.rows.map((r) => r.key);
  return normalizeObjects(facts);
}

export function objectFactsFromCatalog(catalog: Catalog): ObjectFacts {
  const facts: ObjectFacts = { relations: {}, types: {}, constraints: {}, functions: Object.keys(catalog.functions) };
  for (const s of Object.values(catalog.sequences)) {
    facts.relations[s.key] = `sequence ${s.dataType}${s.ownedBy ? ` owned by ${s.ownedBy.table}.${s.ownedBy.column}` : ''}`;
  }
  for (const v of Object.values(catalog.views)) facts.relations[v.key] = v.materialized ? 'materialized view' : 'view';
  for (const t of Object.values(catalog.tables)) {
    for (const i of t.indexes) facts.relations[`${t.schema}.${i.name}`] = `index on ${t.key}`;
    const names = [
      ...(t.primaryKey ? [`${t.primaryKey.name} p`] : []),
      ...t.uniques.filter((u) => u.source === 'constraint').map((u) => `${u.name} u`),
      ...t.foreignKeys.map((f) => `${f.name} f`),
      ...t.checks.map((c) => `${c.name} c`),
      ...t.exclusions.map((x) => `${x.name} x`),
    ];
    if (names.length) facts.constraints[t.key] = names;
  }
  for (const d of Object.values(catalog.types)) {
    facts.types[d.key] = d.kind === 'enum' ? `enum ${(d.labels ?? []).join(',')}` : d.kind === 'domain' ? `domain ${d.baseType?.display ?? '?'}` : d.kind;
  }
  return normalizeObjects(facts);
}

function normalizeObjects(facts: ObjectFacts): ObjectFacts {
  const sortKeys = <T>(r: Record<string, T>): Record<string, T> => Object.fromEntries(Object.keys(r).sort().map((k) => [k, r[k]]));
  const constraints: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(facts.constraints)) constraints[k] = [...v].sort();
  return { relations: sortKeys(facts.relations), types: sortKeys(facts.types), constraints: sortKeys(constraints), functions: [...new Set(facts.functions)].sort() };
}

/** Human-readable differences between two ObjectFacts, one line each; empty when they agree. */
export function diffObjectFacts(expected: ObjectFacts, actual: ObjectFacts): string[] {
  const out: string[] = [];
  for (const field of ['relations', 'types', 'constraints'] as const) {
    const e = expected[field] as Record<string, unknown>;
    const a = actual[field] as Record<string, unknown>;
    for (const key of [...new Set([...Object.keys(e), ...Object.keys(a)])].sort()) {
      const ev = JSON.stringify(e[key]);
      const av = JSON.stringify(a[key]);
      if (ev !== av) out.push(`${field} ${key}:\n    postgres:  ${ev ?? 'absent'}\n    shardwise: ${av ?? 'absent'}`);
    }
  }
  const ef = JSON.stringify(expected.functions);
  const af = JSON.stringify(actual.functions);
  if (ef !== af) out.push(`functions:\n    postgres:  ${ef}\n    shardwise: ${af}`);
  return out;
}
