/**
 * Views and materialized views, tracked by the relations they read (names a
 * WITH clause binds are not relations).
 */
import type { CreateTableAsStmt, Node, RangeVar, ViewStmt } from '../ingest/pg/ast.js';
import { nodeAs, qualifiedKey, walkNodes } from '../ingest/pg/index.js';
import type { BuildContext } from './context.js';
import type { KeyGrouping } from './model.js';
import { keyGroupings } from './view-grouping.js';

export function createView(ctx: BuildContext, body: ViewStmt): boolean {
  addView(ctx, body.view!, body.query, false);
  return true;
}

/** CREATE MATERIALIZED VIEW; a CREATE TABLE AS has columns no static reading can know. */
export function createTableAs(ctx: BuildContext, body: CreateTableAsStmt): boolean {
  if (body.objtype !== 'OBJECT_MATVIEW') return ctx.skip('CreateTableAsStmt', 'CREATE TABLE AS: the columns come from a query and cannot be read statically');
  addView(ctx, body.into!.rel!, body.query, true);
  return true;
}

function addView(ctx: BuildContext, rv: RangeVar, query: Node | undefined, materialized: boolean): void {
  const schema = ctx.creationSchema(rv.schemaname);
  const key = qualifiedKey(schema, rv.relname!);
  const reads = new Set<string>();
  for (const r of relationsRead(query)) reads.add(ctx.keyOf(r));
  const definition = ctx.statementText();
  const keyGroupings = definition ? groupingsOf(ctx, query) : [];
  ctx.views.set(key, {
    key,
    schema,
    name: rv.relname!,
    materialized,
    reads: [...reads].sort(),
    location: ctx.here(rv.location),
    ...(definition ? { definition } : {}),
    ...(materialized ? { indexes: [] } : {}),
    ...(keyGroupings.length ? { keyGroupings } : {}),
  });
}

/** The primary keys the view depends on through its GROUP BY, as the tables stand now. */
function groupingsOf(ctx: BuildContext, query: Node | undefined): KeyGrouping[] {
  const found = keyGroupings(query, (rv) => {
    const t = ctx.tables.get(ctx.keyOf(rv));
    return t && { key: t.key, columns: t.columns.map((c) => c.name), ...(t.primaryKey ? { primaryKey: t.primaryKey.columns } : {}) };
  });
  return found.map((g) => ({ table: g.table, qualifier: g.qualifier, at: ctx.statementByte(g.location) }));
}

/**
 * Every RangeVar a query reads, skipping unqualified names that a WITH
 * clause around them binds. Each WITH scope is walked on its own (from a
 * queue, not by recursion): its names cover the whole statement that carries
 * it, the CTE bodies included.
 */
export function relationsRead(query: Node | undefined): RangeVar[] {
  const out: RangeVar[] = [];
  const queue = [{ root: query, ctes: withNames(query, new Set()) }];
  for (let scope = queue.shift(); scope; scope = queue.shift()) {
    const { root, ctes } = scope;
    walkNodes(root, (tag, _body, node) => {
      if (node !== root && tag === 'SelectStmt' && nodeAs(node, 'SelectStmt')?.withClause) {
        queue.push({ root: node, ctes: withNames(node, ctes) });
        return false;
      }
      const rv = tag === 'RangeVar' ? nodeAs(node, 'RangeVar') : undefined;
      if (!rv) return undefined;
      if (!(rv.schemaname === undefined && ctes.has(rv.relname!))) out.push(rv);
      return false;
    });
  }
  return out;
}

/** The names in scope inside `node`: the outer ones and those its WITH clause binds. */
function withNames(node: Node | undefined, outer: ReadonlySet<string>): ReadonlySet<string> {
  const ctes = nodeAs(node, 'SelectStmt')?.withClause?.ctes;
  if (!ctes) return outer;
  const inner = new Set(outer);
  for (const c of ctes) inner.add(nodeAs(c, 'CommonTableExpr')?.ctename ?? '');
  return inner;
}
