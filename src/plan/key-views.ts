/**
 * The views that depend on a primary key the migration rewrites: a view
 * whose GROUP BY covers a table's primary key may use that table's other
 * columns ungrouped, and PostgreSQL then refuses to drop the key while the
 * view stands ("cannot drop constraint ... because other objects depend on
 * it"). They are dropped, with the views over them, before the keys change,
 * and created again after; with the distribution column added to that GROUP
 * BY, since the new key includes it and the view would otherwise be refused
 * ("must appear in the GROUP BY clause"). The rollback does the reverse and
 * creates them as the schema defines them.
 */
import type { View } from '../catalog/model.js';
import { displayName, quoteIdent } from '../ingest/pg/index.js';
import type { PlanContext } from './context.js';
import { dropViewSql, withReaders } from './views.js';

/** The distribution column of each table whose primary key the migration rewrites. */
export function rewrittenKeys(ctx: PlanContext): Map<string, string> {
  const out = new Map<string, string>();
  for (const key of ctx.targets().filter((k) => ctx.kind(k) === 'distributed')) {
    const col = ctx.distColumn(key)!;
    const pk = ctx.table(key).primaryKey;
    if (pk && !pk.columns.includes(col)) out.set(key, col);
    for (const part of Object.values(ctx.catalog.tables)) {
      if (part.partitionOf?.parent === key && !pk && part.primaryKey && !part.primaryKey.columns.includes(col)) out.set(part.key, col);
    }
  }
  return out;
}

/** A view's definition with the distribution columns of the rewritten keys it groups by added to its GROUP BY. */
function regrouped(v: View, keys: ReadonlyMap<string, string>): string {
  let sql = Buffer.from(v.definition!);
  const inserts = (v.keyGroupings ?? []).filter((g) => keys.has(g.table) && g.at >= 0).sort((a, b) => b.at - a.at);
  for (const g of inserts) sql = Buffer.concat([sql.subarray(0, g.at), Buffer.from(`${quoteIdent(g.qualifier)}.${quoteIdent(keys.get(g.table)!)}, `), sql.subarray(g.at)]);
  return sql.toString();
}

/** Steps around the key rewrites: `before` runs ahead of them, `after` once they are done (the rollback's steps likewise, around its own). */
export function keyViews(ctx: PlanContext, keys: ReadonlyMap<string, string>): { before(): void; after(): void } {
  const views = ctx.catalog.views;
  const seeds = Object.values(views).filter((v) => v.keyGroupings?.some((g) => keys.has(g.table)));
  const ordered = withReaders(views, seeds.map((v) => v.key));
  const tables = (v: View) => [...new Set((v.keyGroupings ?? []).map((g) => g.table).filter((t) => keys.has(t)))].sort();
  const on = (v: View) => tables(v).map(displayName).join(', ');
  const comments = (k: string) => (ctx.catalog.comments ?? []).filter((c) => c.relation === k);
  return {
    before() {
      for (const k of [...ordered].reverse()) {
        const v = views[k];
        const why = tables(v).length
          ? `${displayName(k)} groups by the primary key of ${on(v)} and uses its other columns, so PostgreSQL refuses to drop that key while it stands: dropped here, created again once the keys include the distribution column.`
          : `${displayName(k)} reads a view dropped here; it is created again with it.`;
        ctx.step('constraints', dropViewSql(v), why, { table: k });
        ctx.undoStep('constraints', dropViewSql(v), `${displayName(k)} depends on the keys the migration made; dropped while they go back.`, tables(v), { table: k });
      }
    },
    after() {
      for (const k of ordered) {
        const v = views[k];
        const sql = regrouped(v, keys);
        const why = sql === v.definition ? `${displayName(k)} created again as the schema defines it.` : `${displayName(k)} created again, with the distribution column of ${on(v)} in its GROUP BY, so that the new primary key still covers it (the rows it gives are the same).`;
        ctx.step('constraints', sql, why, { table: k });
        ctx.undoStep('constraints', v.definition!, `${displayName(k)} created again as the schema defines it.`, tables(v), { table: k });
        for (const c of comments(k)) {
          ctx.step('constraints', c.sql, `The comment on ${displayName(k)}, which went with the view.`, { table: k });
          ctx.undoStep('constraints', c.sql, `The comment on ${displayName(k)}, which went with the view.`, [], { table: k });
        }
      }
    },
  };
}
