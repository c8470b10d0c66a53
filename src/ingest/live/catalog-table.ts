/**
 * One Table from its rows: columns (type, default, identity, generated,
 * serial), keys and indexes (catalog-keys.ts), triggers, policies, rules,
 * partitioning and inheritance, in the shape the dump reader gives.
 */
import { nextvalSequence, splitQualified } from '../../catalog/builder.js';
import type { Column, Location, Policy, Sequence, Table, Trigger } from '../../catalog/model.js';
import { qualifiedKey } from '../pg/index.js';
import { tableKeys, type KeyContext } from './catalog-keys.js';
import { byName, liveLocation } from './catalog-objects.js';
import type { ColumnRow, RelationRow } from './catalog-queries.js';
import type { ConstraintRow, IndexRow, InheritanceRow, PartitioningRow, PolicyRow, RuleRow, TriggerRow } from './catalog-table-queries.js';
import { expressionHasSubquery, normaliseBound, normaliseExpression, parseExpression, partitionKeyOf } from './catalog-text.js';
import type { TypeResolver } from './type-resolver.js';

const POLICY_COMMANDS: Record<string, string> = { '*': 'all', r: 'select', a: 'insert', w: 'update', d: 'delete' };

/** What assembling one table needs from the whole read. */
export interface TableContext extends KeyContext {
  readonly resolver: TypeResolver;
  readonly sequences: ReadonlyMap<string, Sequence>;
  /** `rel:attnum` of an identity column -> its sequence's key. */
  readonly identitySeq: ReadonlyMap<string, string>;
}

/** The rows read for one relation. */
export interface RelationRows {
  readonly columns: ColumnRow[];
  readonly constraints: ConstraintRow[];
  readonly indexes: IndexRow[];
  readonly triggers: TriggerRow[];
  readonly policies: PolicyRow[];
  readonly rules: RuleRow[];
  readonly partitioning?: PartitioningRow;
  readonly inherits: InheritanceRow[];
}

export async function assembleTable(ctx: TableContext, r: RelationRow, rows: RelationRows): Promise<Table> {
  const key = ctx.keyOf.get(r.oid)!;
  const location = liveLocation(key);
  const columns = rows.columns.map((c) => columnOf(ctx, r, key, c, location));
  const keys = await tableKeys(ctx, r.oid, location, rows.constraints, rows.indexes);
  const part = rows.partitioning;
  const parents = rows.inherits.map((i) => ctx.keyOf.get(i.parent)).filter((k): k is string => !!k);
  const table: Record<string, unknown> = {
    key,
    schema: r.schema,
    name: r.name,
    relkind: r.relkind === 'p' ? 'partitioned' : r.relkind === 'f' ? 'foreign' : 'table',
    persistence: r.relpersistence === 'u' ? 'unlogged' : r.relpersistence === 't' ? 'temporary' : 'permanent',
    columns,
    ...keys,
    triggers: rows.triggers.map((t) => triggerOf(t, location)).sort(byName),
    policies: rows.policies.map((p) => policyOf(p, location)).sort(byName),
    rules: rows.rules.map((x) => x.rulename),
  };
  if (part) {
    const strategy = part.partstrat === 'l' ? 'list' : part.partstrat === 'h' ? 'hash' : 'range';
    table.partitionBy = { strategy, ...partitionKeyOf(part.def) };
  }
  if (r.relispartition && parents[0]) table.partitionOf = { parent: parents[0], bound: normaliseBound(r.bound ?? '') };
  table.inherits = r.relispartition ? [] : parents;
  if (r.amname && r.amname !== 'heap') table.accessMethod = r.amname;
  table.rowSecurity = r.relrowsecurity || r.relforcerowsecurity;
  if (r.relreplident && r.relreplident !== 'd') table.replicaIdentity = r.relreplident;
  table.location = location;
  return table as unknown as Table;
}

function columnOf(ctx: TableContext, r: RelationRow, key: string, c: ColumnRow, location: Location): Column {
  const col: Record<string, unknown> = {
    name: c.attname,
    type: ctx.resolver.ref(c.typid, c.display),
    notNull: c.attnotnull,
  };
  if (c.expr !== null && !c.attgenerated) {
    col.default = normaliseExpression(c.expr);
    const node = parseExpression(c.expr);
    const seq = node ? nextvalSequence(node) : undefined;
    if (seq) {
      const parts = splitQualified(seq);
      col.defaultSequence = parts.length > 1 ? qualifiedKey(parts[parts.length - 2], parts[parts.length - 1]) : qualifiedKey('public', parts[0]);
    }
  }
  if (c.attidentity === 'a' || c.attidentity === 'd') {
    col.identity = { kind: c.attidentity === 'a' ? 'always' : 'by default', sequence: ctx.identitySeq.get(`${r.oid}:${c.attnum}`) ?? '' };
  }
  if (c.attgenerated && c.expr !== null) {
    col.generated = { kind: c.attgenerated === 'v' ? 'virtual' : 'stored', expression: normaliseExpression(c.expr) };
  }
  const seq = col.defaultSequence ? ctx.sequences.get(col.defaultSequence as string) : undefined;
  col.serial = !!seq && seq.ownedBy?.table === key && seq.ownedBy.column === c.attname;
  if (c.collation) col.collation = c.collation;
  col.location = location;
  return col as unknown as Column;
}

function triggerOf(t: TriggerRow, location: Location): Trigger {
  const bits = t.tgtype;
  const events: Trigger['events'] = [];
  if (bits & 4) events.push('insert');
  if (bits & 8) events.push('delete');
  if (bits & 16) events.push('update');
  if (bits & 32) events.push('truncate');
  return {
    name: t.tgname,
    timing: bits & 2 ? 'before' : bits & 64 ? 'instead of' : 'after',
    events,
    level: bits & 1 ? 'row' : 'statement',
    function: t.fn,
    constraint: t.isconstraint,
    location,
  };
}

function policyOf(p: PolicyRow, location: Location): Policy {
  return {
    name: p.polname,
    command: POLICY_COMMANDS[p.polcmd] ?? p.polcmd,
    ...(p.qual !== null ? { using: normaliseExpression(p.qual) } : {}),
    ...(p.wcheck !== null ? { check: normaliseExpression(p.wcheck) } : {}),
    hasSubquery: expressionHasSubquery(p.qual ?? undefined) || expressionHasSubquery(p.wcheck ?? undefined),
    location,
  };
}
