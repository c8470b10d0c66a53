/**
 * The Catalog read from a live database's system catalogs, in the same shape
 * and with the same values as `readSchema` gives for a `pg_dump --schema-only`
 * of that database (see docs/live.md for which fields compare exactly and how
 * expression texts are normalised).
 *
 * Every query runs inside the caller's read-only transaction with
 * `search_path = pg_catalog`, so `pg_get_expr`, `format_type` and regclass
 * print qualified names exactly as pg_dump does.
 *
 * Locations: a live object has no file; its location is
 * `{ file: 'db:<schema.name>', line: 0, column: 0 }`, naming the relation,
 * type or function it belongs to.
 *
 * This module runs the reads in order and puts the Catalog together; the
 * queries are in catalog-queries.ts and catalog-table-queries.ts, a table's
 * assembly in catalog-table.ts and catalog-keys.ts, the other objects in
 * catalog-objects.ts.
 */
import type { Catalog, Table } from '../../catalog/model.js';
import { loadParser, qualifiedKey } from '../pg/index.js';
import { extensionsOf, functionsOf, sequencesOf, sortedRecord, typesOf, viewsOf } from './catalog-objects.js';
import {
  AttributeNames,
  readColumns,
  readExtensions,
  readFunctions,
  readRelations,
  readSchemas,
  readSequenceOwners,
  readSequences,
  readServerVersionNum,
  readTypeInfo,
  readUserTypes,
  readViews,
  type Oid,
  type Queryable,
} from './catalog-queries.js';
import { readConstraints, readIndexes, readInheritance, readPartitioning, readPolicies, readRules, readTriggers } from './catalog-table-queries.js';
import { assembleTable, type TableContext } from './catalog-table.js';
import { TypeResolver } from './type-resolver.js';

export interface LiveCatalogOptions {
  /** server_version_num; queries use columns that exist on this version. Read from the server when omitted. */
  readonly serverVersionNum?: number;
}

/** Rows by the relation they belong to. */
function byRelation<R extends { rel: Oid }>(rows: R[]): Map<Oid, R[]> {
  const m = new Map<Oid, R[]>();
  for (const r of rows) {
    const list = m.get(r.rel);
    if (list) list.push(r);
    else m.set(r.rel, [r]);
  }
  return m;
}

/** Read the user's schema from the system catalogs. */
export async function readLiveCatalog(db: Queryable, options: LiveCatalogOptions = {}): Promise<Catalog> {
  await loadParser();
  const version = options.serverVersionNum ?? (await readServerVersionNum(db));
  const schemas = await readSchemas(db);

  const relations = await readRelations(db);
  const relOids = relations.map((r) => r.oid);
  const keyOf = new Map<Oid, string>(relations.map((r) => [r.oid, qualifiedKey(r.schema, r.name)]));
  const columnRows = await readColumns(db, relOids);
  const attNames = new AttributeNames(db, columnRows);
  const userTypeRows = await readUserTypes(db);
  const resolver = new TypeResolver(await readTypeInfo(db, columnRows, userTypeRows));
  const { sequences, identitySeq } = await sequencesOf(await readSequences(db), await readSequenceOwners(db), keyOf, attNames);

  const constraints = byRelation(await readConstraints(db, relOids));
  const indexRows = await readIndexes(db, relOids, version);
  const triggers = byRelation(await readTriggers(db, relOids));
  const policies = byRelation(await readPolicies(db, relOids));
  const rules = byRelation(await readRules(db, relOids));
  const partitioning = new Map((await readPartitioning(db, relOids)).map((p) => [p.rel, p]));
  const inherits = byRelation(await readInheritance(db, relOids));

  const columns = byRelation(columnRows);
  const indexes = byRelation(indexRows);
  const ctx: TableContext = { db, keyOf, attNames, indexById: new Map(indexRows.map((i) => [i.oid, i])), resolver, sequences, identitySeq };
  const tables = new Map<string, Table>();
  for (const r of relations) {
    const table = await assembleTable(ctx, r, {
      columns: columns.get(r.oid) ?? [],
      constraints: constraints.get(r.oid) ?? [],
      indexes: indexes.get(r.oid) ?? [],
      triggers: triggers.get(r.oid) ?? [],
      policies: policies.get(r.oid) ?? [],
      rules: rules.get(r.oid) ?? [],
      partitioning: partitioning.get(r.oid),
      inherits: inherits.get(r.oid) ?? [],
    });
    tables.set(table.key, table);
  }

  const views = viewsOf(await readViews(db));
  const types = typesOf(userTypeRows, resolver);
  const functions = functionsOf(await readFunctions(db));
  const extensions = extensionsOf(await readExtensions(db));

  return {
    schemas,
    tables: sortedRecord(tables),
    views: sortedRecord(views),
    sequences: sortedRecord(sequences),
    types: sortedRecord(types),
    functions: sortedRecord(functions),
    extensions,
    skipped: [],
    diagnostics: [],
    data: [],
    files: [],
  };
}
