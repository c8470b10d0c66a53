/**
 * The shard-level router, after Vitess's vtexplain: given the planner's
 * decision for a query (classify.ts) and the cluster's shard map, which
 * shards receive a task, on which worker, with which SQL. A router query
 * whose distribution value is known (a constant in the statement or the
 * sample the log gave) goes to the shard that value hashes to; a `$n`
 * parameter leaves the shard to run time, and the task says so.
 */
import { partitionRoot } from '../../catalog/index.js';
import type { Catalog } from '../../catalog/model.js';
import { fillTemplate, quoteIdent, relationTemplate, splitKey, type RelationTemplate, qualifiedKey } from '../../ingest/pg/index.js';
import type { QueryFacts } from '../../workload/model.js';
import { hashabilityOf } from '../hash/index.js';
import { shardForHash, type Topology, type TopologyTable } from '../shards.js';
import type { Route } from './classify.js';

export interface ShardTask {
  /** 1 for single-step plans; recursive plans run their intermediate results first. */
  readonly step: number;
  /** Worker id (`name:port`), `coordinator`, or `?` when the shard is chosen at run time. */
  readonly node: string;
  /** Shard table name, `-` for work on the coordinator. */
  readonly shard: string;
  readonly sql: string;
}

export interface ShardRouting {
  /** Tasks sorted by step, worker, shard. */
  readonly tasks: ShardTask[];
  /** How many shard groups the main step touches (0 for coordinator-only and errors). */
  readonly shardCount: number;
  /** Colocation group and shard index a single-shard query is pinned to; index undefined when a parameter decides it. */
  readonly pin?: { readonly colocationId: number; readonly index?: number; readonly by?: string };
}

export interface RouterContext {
  readonly catalog: Catalog;
  readonly topology: Topology;
}

/** Memo of one topology: table lookups and parsed task templates per query text. */
export class ShardRouter {
  private readonly tables = new Map<string, TopologyTable>();
  private readonly templates = new Map<string, RelationTemplate | null>();

  constructor(private readonly ctx: RouterContext) {
    for (const t of ctx.topology.tables) this.tables.set(t.key, t);
  }

  /** The topology table holding a catalog table's rows (a partition's root). */
  table(key: string): TopologyTable | undefined {
    return this.tables.get(partitionRoot(this.ctx.catalog, key));
  }

  route(sql: string, facts: QueryFacts, route: Route): ShardRouting {
    const involved = [...new Set([...facts.tablesRead, ...facts.tablesWritten])].sort();
    const sharded = involved.map((t) => this.table(t)).filter((t): t is TopologyTable => !!t && t.kind !== 'reference');
    const refs = involved.map((t) => this.table(t)).filter((t): t is TopologyTable => !!t && t.kind === 'reference');
    const template = this.template(sql);
    const text = (index: number | undefined): string => this.taskSql(template, sql, index);

    switch (route.class) {
      case 'error':
        return { tasks: [], shardCount: 0 };
      case 'coordinator':
        return { tasks: [{ step: 1, node: 'coordinator', shard: '-', sql }], shardCount: 0 };
      case 'router': {
        if (!sharded.length) {
          const target = facts.write?.target ? this.table(facts.write.target) : undefined;
          if (target?.kind === 'reference') return this.onEveryPlacement(target, text(0));
          const ref = refs[0];
          if (!ref) return { tasks: [{ step: 1, node: 'coordinator', shard: '-', sql }], shardCount: 0 };
          return { tasks: [{ step: 1, node: ref.shards[0].placements[0], shard: ref.shards[0].name, sql: text(0) }], shardCount: 1 };
        }
        const anchor = sharded[0];
        if (anchor.kind === 'single-shard') {
          const s = anchor.shards[0];
          return { tasks: [{ step: 1, node: s.placements[0], shard: this.shardLabel(sharded, 0), sql: text(0) }], shardCount: 1, pin: { colocationId: anchor.colocationId, index: 0 } };
        }
        const key = this.keyValue(facts, route);
        if (key.index === undefined) {
          return {
            tasks: [{ step: 1, node: '?', shard: `${sharded.map((t) => `${splitKey(t.key).name}_?`).join(',')}`, sql: template ? fillTemplate(template, template.relations.map((r) => this.unknownName(r))) : sql }],
            shardCount: 1,
            pin: { colocationId: anchor.colocationId, ...(key.by ? { by: key.by } : {}) },
          };
        }
        const shard = anchor.shards[key.index];
        return {
          tasks: [{ step: 1, node: shard.placements[0], shard: this.shardLabel(sharded, key.index), sql: text(key.index) }],
          shardCount: 1,
          pin: { colocationId: anchor.colocationId, index: key.index, ...(key.by ? { by: key.by } : {}) },
        };
      }
      case 'multi-shard': {
        const target = facts.write?.target ? this.table(facts.write.target) : undefined;
        if (target?.kind === 'reference') return this.onEveryPlacement(target, text(0));
        const anchor = sharded[0];
        if (!anchor) return { tasks: [], shardCount: 0 };
        const subset = this.keySubset(facts, route, sharded);
        const indexes = subset ?? anchor.shards.map((s) => s.index);
        const tasks = indexes.map((i) => ({ step: 1, node: anchor.shards[i].placements[0], shard: this.shardLabel(sharded, i), sql: text(i) }));
        return { tasks: sortTasks(tasks), shardCount: indexes.length };
      }
      case 'recursive': {
        const anchor = sharded[0];
        const pre: ShardTask = { step: 1, node: 'coordinator', shard: '-', sql: `-- intermediate results: ${route.reason}` };
        if (!anchor) return { tasks: [pre], shardCount: 0 };
        const tasks = anchor.shards.map((s) => ({ step: 2, node: s.placements[0], shard: this.shardLabel(sharded, s.index), sql: text(s.index) }));
        return { tasks: [pre, ...sortTasks(tasks)], shardCount: anchor.shards.length };
      }
      case 'repartition': {
        // Map tasks: every shard of every sharded table is scanned and its rows
        // re-hashed on the join column; merge tasks then join partition by partition.
        const maps: ShardTask[] = [];
        for (const t of sharded) for (const s of t.shards) maps.push({ step: 1, node: s.placements[0], shard: s.name, sql: `-- repartition ${t.key} on the join column` });
        const width = Math.max(...sharded.map((t) => t.shards.length));
        const nodes = this.ctx.topology.nodes;
        const merges: ShardTask[] = Array.from({ length: width }, (_, i) => ({ step: 2, node: nodes[i % nodes.length].id, shard: `partition_${i}`, sql: '-- join the repartitioned rows of this partition' }));
        return { tasks: [...sortTasks(maps), ...sortTasks(merges)], shardCount: width };
      }
    }
  }

  private onEveryPlacement(t: TopologyTable, sql: string): ShardRouting {
    const s = t.shards[0];
    return { tasks: sortTasks(s.placements.map((node) => ({ step: 1, node, shard: s.name, sql }))), shardCount: 1 };
  }

  /** The shard index a router query's distribution value hashes to. */
  private keyValue(facts: QueryFacts, route: Route): { index?: number; by?: string } {
    const w = facts.write;
    if (facts.kind === 'insert' && w) {
      const t = this.table(w.target);
      if (t?.kind === 'distributed' && t.column) {
        const v = w.values?.find((x) => x.column === t.column);
        const value = v?.constants?.length === 1 ? v.constants[0] : undefined;
        const by = `${splitKey(t.key).name}.${t.column}`;
        if (value === undefined) return { by };
        const index = this.indexOf(t, value);
        return index === undefined ? { by } : { index, by };
      }
    }
    const filters = (route.keyFilters ?? []).filter((f) => this.table(f.table)?.kind === 'distributed');
    const by = [...new Set(filters.map((f) => `${splitKey(f.table).name}.${f.column}`))].sort().join(', ');
    for (const f of filters) {
      const value = f.values?.length === 1 ? f.values[0] : undefined;
      if (value === undefined) continue;
      const index = this.indexOf(this.table(f.table)!, value);
      if (index !== undefined) return { index, by };
    }
    if (filters.length) return { by };
    return {};
  }

  /** Shards an IN list or a multi-row INSERT reaches, when its values are known. */
  private keySubset(facts: QueryFacts, route: Route, sharded: TopologyTable[]): number[] | undefined {
    const anchor = sharded[0];
    if (anchor.kind !== 'distributed') return undefined;
    const w = facts.write;
    let values: string[] | undefined;
    let table: TopologyTable | undefined;
    if (facts.kind === 'insert' && w && !w.select) {
      table = this.table(w.target);
      const v = table?.column ? w.values?.find((x) => x.column === table!.column) : undefined;
      values = v?.value === 'const' ? v.constants : undefined;
    } else {
      const f = (route.keyFilters ?? []).find((x) => x.op === 'in' && x.values?.length && x.values.length === x.count);
      if (f) {
        table = this.table(f.table);
        values = f.values;
      }
    }
    if (!table || !values?.length) return undefined;
    const out = new Set<number>();
    for (const v of values) {
      const i = this.indexOf(table, v);
      if (i === undefined) return undefined;
      out.add(i);
    }
    return [...out].sort((a, b) => a - b);
  }

  private indexOf(t: TopologyTable, value: string): number | undefined {
    const col = this.ctx.catalog.tables[t.key]?.columns.find((c) => c.name === t.column);
    if (!col) return undefined;
    const h = hashabilityOf(col.type);
    if (!h.ok) return undefined;
    try {
      return shardForHash(t, h.hash(value)).index;
    } catch {
      return undefined;
    }
  }

  private shardLabel(sharded: TopologyTable[], index: number): string {
    return sharded.map((t) => (t.kind === 'single-shard' ? t.shards[0].name : t.shards[index]?.name ?? `${splitKey(t.key).name}_?`)).join(',');
  }

  private template(sql: string): RelationTemplate | undefined {
    let t = this.templates.get(sql);
    if (t === undefined) {
      t = relationTemplate(sql, (schema, name) => this.resolve(schema, name)) ?? null;
      this.templates.set(sql, t);
    }
    return t ?? undefined;
  }

  private resolve(schema: string | undefined, name: string): string | undefined {
    const keys = [qualifiedKey(schema ?? 'public', name)];
    for (const k of keys) if (this.table(k)) return k;
    if (!schema) {
      const hit = Object.keys(this.ctx.catalog.tables)
        .sort()
        .find((k) => splitKey(k).name === name && this.table(k));
      if (hit) return hit;
    }
    return undefined;
  }

  private taskSql(template: RelationTemplate | undefined, sql: string, index: number | undefined): string {
    if (!template) return sql;
    return fillTemplate(
      template,
      template.relations.map((r) => {
        const t = this.table(r)!;
        const s = t.kind === 'distributed' ? t.shards[index ?? 0] : t.shards[0];
        return { schema: splitKey(r).schema, name: s.name };
      }),
    );
  }

  private unknownName(r: string): { schema: string; name: string; raw?: boolean } {
    const t = this.table(r)!;
    const { schema, name } = splitKey(r);
    return t.kind === 'distributed' ? { schema, name: `${quoteIdent(`${name}_`).replace(/"$/, '')}?${/^"/.test(quoteIdent(`${name}_`)) ? '"' : ''}`, raw: true } : { schema, name: `${name}_${t.shards[0].shardId}` };
  }
}

function sortTasks(tasks: ShardTask[]): ShardTask[] {
  return tasks.sort((a, b) => a.step - b.step || cmp(a.node, b.node) || cmp(a.shard, b.shard));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
