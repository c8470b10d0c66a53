/**
 * MIG01: a statement Citus rejects. Over a catalog and a design it runs the
 * design's own distribution calls on the Citus model; `shardwise lint` runs
 * every migration statement there and reports rejections with this rule.
 */
import type { Catalog, Location } from '../catalog/model.js';
import type { Design } from '../design/model.js';
import { CitusCluster } from '../simulate/citus/cluster.js';
import type { StepError } from '../simulate/citus/model.js';
import { primeQuoting, splitKey } from '../ingest/pg/names.js';
import type { DesignCall } from '../simulate/citus/designed-state.js';
import { createDistributedTableSql, createReferenceTableSql, displayName, quoteIdent, quoteLiteral, sqlName } from './helpers.js';
import { defineRule, type Report } from './model.js';

/** One distribution call of a design: the table it makes a Citus table, and its SQL. */
export interface DistributionCall {
  readonly table: string;
  readonly sql: string;
  /** The same call as the Citus model takes it without SQL: the UDF and its arguments by parameter name, as the SQL gives them. */
  readonly udf: DesignCall['udf'];
  readonly args: DesignCall['args'];
}

/**
 * The design as Citus UDF calls, in an order Citus accepts: reference tables
 * first (referenced before referencing), then single-shard and distributed
 * tables with every colocate_with source and FK target before the tables
 * that need it. Partitions of a distributed parent are left to the parent.
 */
export function distributionCalls(catalog: Catalog, design: Design): DistributionCall[] {
  const keys = Object.keys(design.tables)
    .filter((k) => catalog.tables[k] && design.tables[k].kind !== 'local')
    .filter((k) => {
      const parent = catalog.tables[k].partitionOf?.parent;
      return !(parent && design.tables[parent] && design.tables[parent].kind !== 'local');
    })
    .sort();
  const included = new Set(keys);
  primeQuoting(keys.flatMap((k) => [splitKey(k).schema, splitKey(k).name, design.tables[k].column ?? '']));
  const rank = (k: string) => (design.tables[k].kind === 'reference' ? 0 : 1);
  const deps = (k: string): string[] => {
    const d = design.tables[k];
    const out = catalog.tables[k].foreignKeys.map((fk) => fk.refTable).filter((r) => r !== k && included.has(r));
    if (d.colocateWith && included.has(d.colocateWith) && d.colocateWith !== k) out.push(d.colocateWith);
    return [...new Set(out)].sort();
  };
  const ordered: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (k: string) => {
    if (state.get(k)) return;
    state.set(k, 'visiting');
    for (const dep of deps(k).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1))) visit(dep);
    state.set(k, 'done');
    ordered.push(k);
  };
  for (const k of [...keys].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1))) visit(k);
  // Reference tables stay ahead of distributed ones when the FK graph allows it.
  const calls: DistributionCall[] = [];
  for (const k of ordered) {
    const d = design.tables[k];
    const name = sqlName(k);
    if (d.kind === 'reference') calls.push({ table: k, sql: createReferenceTableSql(k), udf: 'create_reference_table', args: [['table_name', name]] });
    else if (d.kind === 'single-shard') {
      calls.push({ table: k, sql: `SELECT create_distributed_table(${quoteLiteral(name)}, NULL);`, udf: 'create_distributed_table', args: [['table_name', name], ['distribution_column', null]] });
    } else if (d.kind === 'distributed' && d.column) {
      const shards = d.shardCount ?? design.shardCount;
      const head: Array<[string, string]> = [['table_name', name], ['distribution_column', quoteIdent(d.column)]];
      if (d.colocateWith && d.colocateWith !== k) {
        calls.push({ table: k, sql: createDistributedTableSql(k, d.column, d.colocateWith), udf: 'create_distributed_table', args: [...head, ['colocate_with', sqlName(d.colocateWith)]] });
      } else {
        calls.push({
          table: k,
          sql: createDistributedTableSql(k, d.column).replace(/\);$/, `, shard_count => ${shards});`),
          udf: 'create_distributed_table',
          args: [...head, ['shard_count', String(shards)]],
        });
      }
    }
  }
  return calls;
}

/** A migration statement Citus rejects, as this rule reports it. */
export function rejectedStatement(error: StepError, at: Location, table?: string): Report {
  return {
    messageId: 'statement',
    data: errorData(error),
    at,
    ...(table ? { table } : {}),
  };
}

function errorData(error: StepError): Record<string, string> {
  return {
    error: error.message,
    detail: error.detail ? ` DETAIL: ${error.detail}` : '',
    hint: error.hint ? ` HINT: ${error.hint}` : '',
  };
}

export default defineRule({
  id: 'MIG01',
  needs: ['catalog', 'design', 'version'],
  check(ctx) {
    // Outside lint the other rules explain these failures one by one.
    if (ctx.options.migrations !== true) return;
    const calls = distributionCalls(ctx.catalog, ctx.design);
    if (!calls.length) return;
    const cluster = new CitusCluster(ctx.catalog, { citus: ctx.citus.text });
    cluster.applyDesign(calls).forEach((error, i) => {
      const call = calls[i];
      if (!error || !call) return;
      const table = ctx.catalog.tables[call.table];
      ctx.report({
        messageId: 'design',
        data: { ...errorData(error), table: displayName(call.table), call: call.sql },
        at: table.location,
        table: call.table,
      });
    });
  },
});
