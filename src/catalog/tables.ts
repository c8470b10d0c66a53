/**
 * CREATE TABLE and CREATE FOREIGN TABLE: the table with its columns (its
 * own, inherited ones first, LIKE copies), its constraints once every column
 * exists, its partition key, and for a partition what it takes from the
 * parent.
 */
import type { CreateStmt, TableLikeClause } from '../ingest/pg/ast.js';
import { nodeAs, qualifiedKey } from '../ingest/pg/index.js';
import { addColumn, type Later } from './columns.js';
import { addConstraint } from './constraints.js';
import type { BuildContext } from './context.js';
import { boundText, inheritFromPartitionParent, partitionKey } from './partitions.js';
import type { UniqueKey } from './model.js';
import type { MColumn, MTable } from './state.js';

export function createTable(ctx: BuildContext, body: CreateStmt, relkind: 'table' | 'foreign'): boolean {
  const rv = body.relation!;
  const schema = ctx.creationSchema(rv.schemaname);
  const name = rv.relname!;
  const key = qualifiedKey(schema, name);
  if (ctx.tables.has(key) && body.if_not_exists) return true;
  ctx.schemas.add(schema);
  const persistence = rv.relpersistence === 'u' ? 'unlogged' : rv.relpersistence === 't' ? 'temporary' : 'permanent';
  const t: MTable = {
    key,
    schema,
    name,
    relkind: body.partspec ? 'partitioned' : relkind,
    persistence,
    columns: [],
    uniques: [],
    checks: [],
    exclusions: [],
    foreignKeys: [],
    indexes: [],
    triggers: [],
    policies: [],
    rules: [],
    inherits: [],
    rowSecurity: false,
    location: ctx.here(rv.location),
  };
  if (body.accessMethod) t.accessMethod = body.accessMethod;
  ctx.tables.set(key, t);

  const parents: MTable[] = [];
  for (const n of body.inhRelations ?? []) {
    const p = ctx.lookupTable(nodeAs(n, 'RangeVar'));
    if (p) parents.push(p);
  }
  if (body.partbound && parents[0]) {
    t.partitionOf = { parent: parents[0].key, bound: boundText(body.partbound) };
  } else {
    t.inherits = parents.map((p) => p.key);
  }
  // Inherited columns come first, in parent order (partitions take the parent's columns).
  for (const p of parents) {
    for (const c of p.columns) {
      if (!t.columns.some((x) => x.name === c.name)) {
        const copy: MColumn = { ...c, location: t.location };
        delete copy.identity; // identity is not inherited
        t.columns.push(copy);
      }
    }
    for (const ch of p.checks) if (!ch.noInherit) t.checks.push({ ...ch });
  }
  if (body.ofTypename) {
    ctx.diagnostics.push({ code: 'unsupported-statement', severity: 'info', message: `typed table ${key}: columns of the type are not expanded`, location: t.location });
  }
  const later: Later = [];
  for (const elt of body.tableElts ?? []) {
    const column = nodeAs(elt, 'ColumnDef');
    const constraint = nodeAs(elt, 'Constraint');
    const like = nodeAs(elt, 'TableLikeClause');
    if (column) addColumn(ctx, t, column, later, !!body.partbound);
    else if (constraint) later.push(() => addConstraint(ctx, t, constraint));
    else if (like) likeClause(ctx, t, like);
  }
  for (const f of later) f();
  dropRedundantKeys(ctx, t);
  if (body.partspec) t.partitionBy = partitionKey(body.partspec);
  if (t.partitionOf) inheritFromPartitionParent(ctx, t, ctx.tables.get(t.partitionOf.parent)!);
  return true;
}

/**
 * PostgreSQL builds one index for keys a CREATE TABLE repeats
 * (transformIndexConstraints): a UNIQUE over the primary key's columns, in
 * the same order, or over an earlier UNIQUE's, is no constraint of its own.
 */
function dropRedundantKeys(ctx: BuildContext, t: MTable): void {
  const kept: UniqueKey[] = [];
  const same = (u: UniqueKey, k: { columns: ReadonlyArray<string | null>; include: readonly string[]; deferrable: boolean; nullsNotDistinct?: boolean }) =>
    u.expressions.length === 0 &&
    u.where === undefined &&
    u.columns.join(',') === k.columns.join(',') &&
    u.include.join(',') === k.include.join(',') &&
    u.deferrable === k.deferrable &&
    u.nullsNotDistinct === (k.nullsNotDistinct ?? false);
  const pk = t.primaryKey;
  for (const u of t.uniques) {
    if (u.source === 'constraint' && ((pk && same(u, pk)) || kept.some((k) => k.source === 'constraint' && same(u, k)))) {
      t.indexes = t.indexes.filter((i) => i.constraint !== u.name);
      ctx.indexOwner.delete(qualifiedKey(t.schema, u.name));
      continue;
    }
    kept.push(u);
  }
  t.uniques = kept;
}

/** LIKE source [INCLUDING ...]: the source's columns, with defaults and identity only when included. */
function likeClause(ctx: BuildContext, t: MTable, like: TableLikeClause): void {
  const src = ctx.lookupTable(like.relation);
  if (!src) return;
  const opts = like.options ?? 0;
  const ALL = 0x7fffffff;
  const INCLUDING_DEFAULTS = 1 << 3;
  const INCLUDING_IDENTITY = 1 << 6;
  for (const c of src.columns) {
    const copy: MColumn = { ...c, location: ctx.here(), serial: false };
    if (!(opts & INCLUDING_DEFAULTS) && opts !== ALL) {
      delete copy.default;
      delete copy.defaultSequence;
    }
    if (!(opts & INCLUDING_IDENTITY) && opts !== ALL) delete copy.identity;
    t.columns.push(copy);
  }
}
