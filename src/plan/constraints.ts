/**
 * Phase 4, constraints: the foreign keys Citus would refuse meanwhile out of
 * the way, and the primary keys and unique constraints made to include the
 * distribution column.
 */
import type { Index, Table, UniqueKey } from '../catalog/model.js';
import { attachedIndex } from '../catalog/partitions.js';
import { displayName, quoteIdent, sqlName } from '../ingest/pg/index.js';
import type { PlanContext } from './context.js';
import { keyViews, rewrittenKeys } from './key-views.js';
import { dropWhy, originalFk, type FkPlan } from './foreign-keys.js';
import { addExclusion, addPrimaryKey, addUniqueConstraint, attachIndexSql, createUniqueIndex, dropConstraint, dropIndex, indexElements, uniqueElements } from './sql.js';

/** A primary key or unique constraint / index remade with the distribution column, and back. */
interface UniqueRewrite {
  readonly table: string;
  readonly kind: 'primary' | 'constraint' | 'index' | 'exclusion';
  readonly name: string;
  readonly drop: string;
  readonly create: string;
  /** The statements that make the original again. */
  readonly restore: string[];
  readonly original: string;
}

/** The foreign keys out of the way, then the keys of each distributed table (and its partitions) rewritten. */
export function constraints(ctx: PlanContext, fks: FkPlan[]): void {
  const moved = fks.filter((p) => !p.keep && !p.early);
  for (const p of moved) {
    ctx.step('constraints', dropConstraint(p.table, p.fk.name), `${displayName(p.table)} -> ${displayName(p.fk.refTable)}: out of the way while the tables change kind: ${dropWhy(ctx, p)}.`, { table: p.table });
  }
  const views = keyViews(ctx, rewrittenKeys(ctx));
  views.before();
  for (const key of ctx.targets().filter((k) => ctx.kind(k) === 'distributed')) {
    rewriteUniques(ctx, key);
    for (const part of Object.values(ctx.catalog.tables).filter((t) => t.partitionOf?.parent === key).sort((a, b) => (a.key < b.key ? -1 : 1))) {
      rewriteUniques(ctx, part.key, ctx.table(key));
    }
  }
  views.after();
  // rollback of this phase, in reverse: keys first (FKs need them), then the
  // original FKs: those dropped here, and those that stayed (dropped for undistribute_table)
  for (const p of fks.filter((x) => !x.early && !(x.keep && x.table === x.fk.refTable && ctx.stuck.has(x.table)))) {
    ctx.undoStep('constraints', originalFk(ctx, p), `Put back ${p.fk.name} as it was before the migration.`, [p.table, p.fk.refTable], { table: p.table });
  }
}

/** With `parent`: a partition's own keys only (those its parent has are the parent's to change). */
function rewriteUniques(ctx: PlanContext, key: string, parent?: Table): void {
  const t = ctx.table(key);
  const col = ctx.distColumn(key)!;
  const sameKey = (a: UniqueKey, b: UniqueKey) => a.columns.join(',') === b.columns.join(',') && a.expressions.join(',') === b.expressions.join(',');
  const ownPk = !parent || !parent.primaryKey;
  const ownUniques = t.uniques.filter((u) => !parent || !parent.uniques.some((p) => sameKey(p, u)));
  const rewrites: UniqueRewrite[] = [];
  const lost = (cols: ReadonlyArray<string | null>, expressions: ReadonlyArray<string>) =>
    `(${indexElements(cols, expressions).join(', ')}) is then unique only per ${col}: two rows with different ${col} may share it`;
  if (ownPk && t.primaryKey && !t.primaryKey.columns.includes(col)) {
    const cols = [col, ...t.primaryKey.columns];
    rewrites.push({
      table: key,
      kind: 'primary',
      name: t.primaryKey.name,
      drop: dropConstraint(key, t.primaryKey.name),
      create: addPrimaryKey(key, t.primaryKey, cols),
      restore: [addPrimaryKey(key, t.primaryKey, t.primaryKey.columns)],
      original: lost(t.primaryKey.columns, []),
    });
  }
  for (const u of ownUniques) {
    if (u.columns.includes(col)) continue;
    rewrites.push(uniqueRewrite(ctx, key, u, col, lost(u.columns, u.expressions)));
  }
  // a partitioned table has no exclusion constraints: a partition's are its own
  for (const x of t.exclusions) {
    if (x.elements.some((e) => e.column === col && e.operator.split('.').pop() === '=')) continue;
    if (x.method === 'gist' && !ctx.catalog.extensions.some((e) => e.name === 'btree_gist')) {
      ctx.note('constraints', `${displayName(key)}: exclusion constraint ${x.name} does not include ${col} with =; Citus refuses to distribute the table until it does, and "${col} WITH =" in a gist index needs the btree_gist extension, which the schema does not have (CREATE EXTENSION btree_gist, then add it).`, key);
      continue;
    }
    rewrites.push({
      table: key,
      kind: 'exclusion',
      name: x.name,
      drop: dropConstraint(key, x.name),
      create: addExclusion(key, x, col),
      restore: [addExclusion(key, x)],
      original: `rows with different ${col} no longer exclude each other`,
    });
  }
  for (const r of rewrites) {
    ctx.step('constraints', r.drop, `${displayName(key)} is distributed on ${col}: ${r.kind === 'exclusion' ? 'Citus only allows EXCLUDE that compares it with =' : 'Citus only allows PRIMARY KEY / UNIQUE that include it'}. Drop ${r.name} ...`, { table: key });
    ctx.step('constraints', r.create, `... and make it again, same name, with ${col} first${r.kind === 'exclusion' ? ' WITH =' : ''}. ${r.kind === 'exclusion' ? 'Exclusion' : 'Uniqueness'} lost: ${r.original}.`, { table: key });
  }
  for (const r of [...rewrites].reverse()) {
    ctx.undoStep('constraints', r.drop, `Drop the ${r.name} the migration made with ${col} ...`, [key], { table: key });
    r.restore.forEach((sql, i) =>
      ctx.undoStep('constraints', sql, i === 0 ? `... and make the original ${r.name} again.` : `... with the index of each partition under its own name, as the schema has it.`, [key], { table: key }),
    );
  }
  // A primary key makes its columns NOT NULL, and dropping it leaves them so.
  const madeNotNull = rewrites.some((r) => r.kind === 'primary') && t.columns.some((c) => c.name === col && !c.notNull);
  if (madeNotNull) {
    ctx.undoStep('constraints', `ALTER TABLE ${sqlName(key)} ALTER COLUMN ${quoteIdent(col)} DROP NOT NULL`, `${col} was nullable before its primary key included it.`, [key], { table: key });
  }
}

function uniqueRewrite(ctx: PlanContext, key: string, u: UniqueKey, col: string, lost: string): UniqueRewrite {
  if (u.source === 'constraint') {
    const cols = u.columns.filter((c): c is string => c !== null);
    return { table: key, kind: 'constraint', name: u.name, drop: dropConstraint(key, u.name), create: addUniqueConstraint(key, u, [col, ...cols]), restore: [addUniqueConstraint(key, u, cols)], original: lost };
  }
  const index = ctx.table(key).indexes.find((i) => i.name === u.name);
  return {
    table: key,
    kind: 'index',
    name: u.name,
    drop: dropIndex(key, u.name),
    create: createUniqueIndex(key, u, index, [quoteIdent(col), ...uniqueElements(u)]),
    restore: restoreUniqueIndex(ctx, key, u, index),
    original: lost,
  };
}

/**
 * A unique index made again as the schema has it. On a partitioned table
 * whose partitions each have their own index attached to it (as pg_dump
 * writes them), it is made ON ONLY the table, each partition's under its
 * own name, then attached: made on the table alone, PostgreSQL would give
 * the partitions' indexes new names.
 */
function restoreUniqueIndex(ctx: PlanContext, key: string, u: UniqueKey, index: Index | undefined): string[] {
  const whole = [createUniqueIndex(key, u, index, uniqueElements(u))];
  const t = ctx.table(key);
  if (t.relkind !== 'partitioned' || !index) return whole;
  const parts = Object.values(ctx.catalog.tables).filter((p) => p.partitionOf?.parent === key).sort((a, b) => (a.key < b.key ? -1 : 1));
  // attached by name where the schema says so, else (PostgreSQL's own matching) by definition
  const attached = parts.map((p) => ({ p, i: p.relkind === 'partitioned' ? undefined : (p.indexes.find((i) => i.attachedTo === index.name) ?? p.indexes.find((i) => attachedIndex(index, i))) }));
  if (!parts.length || attached.some((a) => !a.i)) return whole;
  const out = [createUniqueIndex(key, u, index, uniqueElements(u), true)];
  for (const { p, i } of attached) {
    const pu = p.uniques.find((x) => x.name === i!.name) ?? u;
    out.push(createUniqueIndex(p.key, { ...pu, name: i!.name }, i, uniqueElements(pu)));
    out.push(attachIndexSql(key, u.name, p.key, i!.name));
  }
  return out;
}
