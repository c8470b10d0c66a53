/**
 * CREATE [UNIQUE] INDEX: the index, named as PostgreSQL names it; a unique
 * one is also a unique key of its table. On a partitioned table (without
 * ONLY) PostgreSQL creates one on each partition too.
 */
import type { IndexStmt, RangeVar } from '../ingest/pg/ast.js';
import { deparseNode, indexElementTexts, nodeAs, qualifiedKey } from '../ingest/pg/index.js';
import type { BuildContext } from './context.js';
import type { Index, UniqueKey } from './model.js';
import { chooseName, columnsPart } from './naming.js';
import { partitions } from './relocate.js';
import type { MTable } from './state.js';

export function createIndex(ctx: BuildContext, body: IndexStmt): boolean {
  const t = ctx.tableOrSkip('IndexStmt', body.relation, 'indexes');
  if (!t) {
    const view = body.relation ? ctx.views.get(ctx.keyOf(body.relation)) : undefined;
    const sql = ctx.statementText();
    if (view?.indexes && sql) view.indexes.push(sql);
    return false;
  }
  const columns: Array<string | null> = [];
  const expressions: string[] = [];
  for (const p of body.indexParams ?? []) {
    const ie = nodeAs(p, 'IndexElem') ?? {};
    if (ie.name) columns.push(ie.name);
    else {
      columns.push(null);
      expressions.push(ie.expr ? deparseNode(ie.expr) : '');
    }
  }
  const include: string[] = [];
  for (const p of body.indexIncludingParams ?? []) {
    const n = nodeAs(p, 'IndexElem')?.name;
    if (n) include.push(n);
  }
  const where = body.whereClause ? deparseNode(body.whereClause) : undefined;
  // ChooseIndexName: a CREATE [UNIQUE] INDEX is "idx"; "key" and "pkey" are for constraints' indexes
  const label = body.primary ? 'pkey' : body.isconstraint ? 'key' : 'idx';
  const colPart = columnsPart(columns.map((c, i) => c ?? (expressions[i] ? 'expr' : null)));
  const name = body.idxname ?? chooseName(t.name, body.primary ? undefined : colPart, label, (n) => ctx.relationNameTaken(t.schema, n));
  // IF NOT EXISTS: any relation of that name in the schema (they share pg_class's namespace) makes it a no-op
  if (body.if_not_exists && body.idxname && ctx.relationNameTaken(t.schema, name)) return true;
  const location = ctx.here(body.relation?.location);
  const unique = !!body.unique;
  // the elements as written (ordering, collation, operator class), when they say more than the columns
  const elements = indexElementTexts(body.indexParams);
  const add = (on: MTable, indexName: string, attachedTo?: string) => {
    const index: Index = {
      name: indexName,
      unique,
      method: body.accessMethod ?? 'btree',
      columns,
      expressions,
      include,
      where,
      ...(elements ? { elements } : {}),
      ...(attachedTo ? { attachedTo } : {}),
      location,
    };
    on.indexes.push(index);
    ctx.indexOwner.set(qualifiedKey(on.schema, indexName), on.key);
    if (!unique) return;
    const key: UniqueKey = { name: indexName, source: 'index', columns, expressions, ...(elements ? { elements } : {}), include, where, nullsNotDistinct: !!body.nulls_not_distinct, deferrable: false, location };
    on.uniques.push(key);
  };
  add(t, name);
  // CREATE INDEX on a partitioned table (without ONLY) creates one on each partition.
  if (t.relkind === 'partitioned' && body.relation?.inh === true) {
    for (const p of partitions(ctx, t)) add(p, chooseName(p.name, colPart, label === 'pkey' ? 'key' : label, (n) => ctx.relationNameTaken(p.schema, n)), name);
  }
  return true;
}

/**
 * ALTER INDEX parent ATTACH PARTITION child: the partition's index is the
 * partitioned table's from then on (recorded by name: two indexes of one
 * table that differ only in order look alike to PostgreSQL's own matching).
 */
export function attachIndex(ctx: BuildContext, parent: RangeVar | undefined, child: RangeVar | undefined): boolean {
  if (!parent?.relname || !child?.relname) return false;
  const parentKey = ctx.resolveIndex(parent.schemaname, parent.relname);
  const childKey = ctx.resolveIndex(child.schemaname, child.relname);
  const onChild = childKey ? ctx.tables.get(ctx.indexOwner.get(childKey)!) : undefined;
  if (!parentKey || !onChild) return false;
  onChild.indexes = onChild.indexes.map((i) => (i.name === child.relname ? { ...i, attachedTo: parent.relname! } : i));
  return true;
}
