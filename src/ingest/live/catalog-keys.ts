/**
 * A table's keys and indexes from its constraint and index rows: the primary
 * key, unique keys (a constraint's or a unique index's), checks, exclusion
 * constraints, foreign keys, and every index with the constraint it backs.
 */
import type { CheckConstraint, ExclusionConstraint, FkAction, ForeignKey, Index, KeyConstraint, Location, Table, UniqueKey } from '../../catalog/model.js';
import { byName } from './catalog-objects.js';
import { relationKey, type AttributeNames, type Oid, type Queryable } from './catalog-queries.js';
import type { ConstraintRow, IndexRow } from './catalog-table-queries.js';
import { normaliseExpression } from './catalog-text.js';
import { indexDefinitionElements } from '../pg/index.js';

const FK_ACTIONS: Record<string, FkAction> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };

/** What reading one table's keys needs from the whole read. */
export interface KeyContext {
  readonly db: Queryable;
  /** The relations read: oid -> key. */
  readonly keyOf: ReadonlyMap<Oid, string>;
  readonly attNames: AttributeNames;
  /** Every index read, by its oid. */
  readonly indexById: ReadonlyMap<Oid, IndexRow>;
}

/** The part of a Table its constraints and indexes make. */
export type TableKeys = Pick<Table, 'primaryKey' | 'uniques' | 'checks' | 'exclusions' | 'foreignKeys' | 'indexes'>;

/** Postgres arrays come back as JS arrays for known element types; `int2vector` casts are done in SQL. */
function nums(v: unknown): number[] {
  return Array.isArray(v) ? v.map(Number) : [];
}

/** The keys and indexes of relation `rel`, each list sorted by name. */
export async function tableKeys(ctx: KeyContext, rel: Oid, location: Location, constraints: ConstraintRow[], indexRows: IndexRow[]): Promise<TableKeys> {
  const found = await constraintsOf(ctx, rel, location, constraints);
  const indexes = await indexesOf(ctx, rel, location, indexRows, found.constraintOfIndex, found.uniques);
  return {
    ...(found.primaryKey ? { primaryKey: found.primaryKey } : {}),
    uniques: found.uniques.sort(byName),
    checks: found.checks.sort(byName),
    exclusions: found.exclusions.sort(byName),
    foreignKeys: found.foreignKeys.sort(byName),
    indexes: indexes.sort(byName),
  };
}

interface Constraints {
  primaryKey?: KeyConstraint;
  readonly uniques: UniqueKey[];
  readonly checks: CheckConstraint[];
  readonly exclusions: ExclusionConstraint[];
  readonly foreignKeys: ForeignKey[];
  /** index oid -> the name of the constraint it backs. */
  readonly constraintOfIndex: Map<Oid, string>;
}

async function constraintsOf(ctx: KeyContext, rel: Oid, location: Location, rows: ConstraintRow[]): Promise<Constraints> {
  const found: Constraints = { uniques: [], checks: [], exclusions: [], foreignKeys: [], constraintOfIndex: new Map() };
  const names = async (of: Oid, keys: number[] | null) => Promise.all(nums(keys).map((k) => ctx.attNames.of(of, k)));
  const includeOf = async (indid: Oid) => {
    const idx = ctx.indexById.get(indid);
    return idx ? Promise.all(idx.indkey.slice(idx.indnkeyatts).map((k) => ctx.attNames.of(rel, k))) : [];
  };
  for (const con of rows) {
    switch (con.contype) {
      case 'p':
        found.constraintOfIndex.set(con.indid, con.conname);
        found.primaryKey = { name: con.conname, columns: await names(rel, con.conkey), include: await includeOf(con.indid), deferrable: con.condeferrable, ...(con.condeferred ? { initiallyDeferred: true as const } : {}), location };
        break;
      case 'u': {
        found.constraintOfIndex.set(con.indid, con.conname);
        const idx = ctx.indexById.get(con.indid);
        found.uniques.push({
          name: con.conname,
          source: 'constraint',
          columns: await names(rel, con.conkey),
          expressions: [],
          include: await includeOf(con.indid),
          nullsNotDistinct: !!idx?.nnd,
          deferrable: con.condeferrable,
          ...(con.condeferred ? { initiallyDeferred: true as const } : {}),
          location,
        });
        break;
      }
      case 'c':
        found.checks.push({ name: con.conname, expression: normaliseExpression(con.checkexpr ?? ''), noInherit: con.connoinherit, notValid: !con.convalidated, location });
        break;
      case 'f': {
        // A clone PostgreSQL makes on the referencing table for each partition of a partitioned referenced table: not a constraint of its own.
        if (con.parentrel === rel) break;
        const refTable = ctx.keyOf.get(con.confrel) ?? (await relationKey(ctx.db, con.confrel));
        found.foreignKeys.push({
          name: con.conname,
          columns: await names(rel, con.conkey),
          refTable,
          refColumns: await names(con.confrel, con.confkey),
          onDelete: FK_ACTIONS[con.confdeltype] ?? 'no action',
          onUpdate: FK_ACTIONS[con.confupdtype] ?? 'no action',
          match: con.confmatchtype === 'f' ? 'full' : con.confmatchtype === 'p' ? 'partial' : 'simple',
          deferrable: con.condeferrable,
          initiallyDeferred: con.condeferred,
          notValid: !con.convalidated,
          location,
        });
        break;
      }
      case 'x': {
        found.constraintOfIndex.set(con.indid, con.conname);
        const idx = ctx.indexById.get(con.indid);
        const elements: ExclusionConstraint['elements'] = [];
        const keys = idx ? idx.indkey.slice(0, idx.indnkeyatts) : [];
        for (let i = 0; i < keys.length; i++) {
          const operator = con.exclops?.[i] ?? '';
          if (keys[i] !== 0) elements.push({ column: await ctx.attNames.of(rel, keys[i]), operator });
          else elements.push({ expression: normaliseExpression(idx!.defs[i] ?? ''), operator });
        }
        found.exclusions.push({
          name: con.conname,
          method: idx?.amname ?? 'gist',
          elements,
          ...(idx?.pred ? { where: normaliseExpression(idx.pred) } : {}),
          location,
        });
        break;
      }
      default:
        break;
    }
  }
  return found;
}

/** Every index of `rel`; a unique index that backs no constraint is also a unique key, added to `uniques`. */
async function indexesOf(ctx: KeyContext, rel: Oid, location: Location, rows: IndexRow[], constraintOfIndex: ReadonlyMap<Oid, string>, uniques: UniqueKey[]): Promise<Index[]> {
  const indexes: Index[] = [];
  for (const idx of rows) {
    const columnsOf: Array<string | null> = [];
    const expressions: string[] = [];
    for (let i = 0; i < idx.indnkeyatts; i++) {
      const k = idx.indkey[i];
      if (k !== 0) columnsOf.push(await ctx.attNames.of(rel, k));
      else {
        columnsOf.push(null);
        expressions.push(normaliseExpression(idx.defs[i] ?? ''));
      }
    }
    const include = await Promise.all(idx.indkey.slice(idx.indnkeyatts).map((k) => ctx.attNames.of(rel, k)));
    const where = idx.pred ? normaliseExpression(idx.pred) : undefined;
    const constraint = constraintOfIndex.get(idx.oid);
    const elements = indexDefinitionElements(idx.def);
    indexes.push({
      name: idx.name,
      unique: idx.indisunique,
      method: idx.amname,
      columns: columnsOf,
      expressions,
      include,
      ...(where !== undefined ? { where } : {}),
      ...(elements ? { elements } : {}),
      ...(idx.attached_to ? { attachedTo: idx.attached_to } : {}),
      ...(constraint ? { constraint } : {}),
      location,
    });
    if (idx.indisunique && !constraint) {
      uniques.push({
        name: idx.name,
        source: 'index',
        columns: columnsOf,
        expressions,
        ...(elements ? { elements } : {}),
        include,
        ...(where !== undefined ? { where } : {}),
        nullsNotDistinct: idx.nnd,
        deferrable: false,
        location,
      });
    }
  }
  return indexes;
}
