/**
 * The recommended design as people read it: the groups, each table's decision
 * with the numbers behind it and why the runner-up lost, and how the
 * workload would route. Pure: (advice) -> string.
 */
import { Chalk } from 'chalk';
import type { Advice, TableAdvice } from '../advisor/index.js';
import type { Candidate } from '../advisor/candidates.js';
import type { Design } from '../design/model.js';
import { displayName } from '../ingest/pg/names.js';
import type { RouteClass } from '../simulate/routing/classify.js';

export interface AdviceTextOptions {
  readonly color: boolean;
  /** Candidates listed per distributed table. */
  readonly candidates?: number;
  /** Non-router queries listed. */
  readonly queries?: number;
}

const CLASS_LABEL: Record<RouteClass, string> = {
  router: 'single shard (router)',
  'multi-shard': 'multi-shard, colocated',
  repartition: 'repartition join',
  recursive: 'recursive planning',
  coordinator: 'coordinator only',
  error: 'unsupported (Citus error)',
};

const pct = (x: number) => `${(Math.round(x * 1000) / 10).toFixed(1)}%`;

export function renderAdvice(advice: Advice, options: AdviceTextOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const out: string[] = [];
  const { design } = advice;
  const tables = Object.values(advice.tables);
  const count = (k: string) => tables.filter((t) => t.kind === k).length;
  out.push(
    c.bold(`Recommended design`) +
      ` for Citus ${design.citus}, ${design.shardCount} shards: ${count('distributed')} distributed (${advice.groups.length} colocation group${advice.groups.length === 1 ? '' : 's'}), ${count('reference')} reference, ${count('local')} local`,
  );
  for (const note of advice.notes) out.push(c.yellow(`note: ${note}`));
  out.push('');

  for (const g of advice.groups) {
    const backfilled = g.tables.filter((t) => advice.tables[t].backfill).length;
    out.push(
      `${c.bold('Colocation group')} ${g.column} (${g.type}), anchored on ${displayName(g.anchor)}: ${g.tables.length} table(s)${backfilled ? `, ${backfilled} need the key backfilled` : ''}`,
    );
    if (g.widened.length) {
      const shown = g.widened.slice(0, 5).map(displayName).join(', ');
      out.push(`  the key is integer in ${g.widened.length} of them (${shown}${g.widened.length > 5 ? `, and ${g.widened.length - 5} more` : ''}): the migration widens those columns to bigint`);
    }
    for (const t of g.tables) {
      const a = advice.tables[t];
      out.push(`  ${displayName(t).padEnd(32)} ${a.column}${a.backfill ? c.yellow('  (add + backfill)') : ''}${g.widened.includes(t) ? '  (widened to bigint)' : ''}`);
    }
    out.push('');
  }
  const refs = tables.filter((t) => t.kind === 'reference').map((t) => displayName(t.table));
  if (refs.length) out.push(`${c.bold('Reference tables')}: ${refs.join(', ')}`);
  const locals = tables.filter((t) => t.kind === 'local').map((t) => displayName(t.table));
  if (locals.length) out.push(`${c.bold('Local tables')}: ${locals.join(', ')}`);
  out.push('');

  out.push(c.bold('Why'));
  for (const t of tables) out.push(renderTable(t, c, options.candidates ?? 3));

  const s = advice.summary;
  if (s.queries) {
    out.push(c.bold(`Workload under this design`) + ` (${s.queries} queries, weighted)`);
    for (const k of Object.keys(CLASS_LABEL) as RouteClass[]) {
      if (s.shares[k] > 0) out.push(`  ${CLASS_LABEL[k].padEnd(28)} ${pct(s.shares[k]).padStart(6)}`);
    }
    const notRouted = s.routing.filter((r) => r.class !== 'router').slice(0, options.queries ?? 10);
    if (notRouted.length) {
      out.push('  not on one shard:');
      for (const r of notRouted) {
        const label = r.label ? `${r.label}: ` : '';
        out.push(`    ${c.dim(`[${r.class}]`)} ${label}${oneLine(r.sql, 90)}`);
        out.push(`      ${r.reason}${r.error ? `\n      ERROR:  ${r.error.message}${r.error.hint ? `\n      HINT:  ${r.error.hint}` : ''}` : ''}`);
      }
    }
    out.push('');
  }
  return out.join('\n') + '\n';
}

/** One table's decision: the reasons (the runner-up among them), then its best `candidates` with each score's parts. */
export function renderTable(t: TableAdvice, c: InstanceType<typeof Chalk>, candidates: number): string {
  const kind = t.kind === 'distributed' ? `distributed on ${t.column}` : t.kind;
  const lines = [`  ${c.bold(displayName(t.table))}: ${kind}`];
  for (const r of t.reasons) lines.push(`    - ${r}`);
  if (t.rowsReason) lines.push(`    - size inferred from the schema: ${t.rows} rows, ${t.rowsReason}`);
  if (t.kind === 'distributed' && !t.backfill && t.candidates.length > 1) {
    lines.push(`    candidates (score = usage x cardinality x spread x type):`);
    for (const cand of t.candidates.slice(0, candidates)) lines.push(`      ${renderCandidate(cand, cand.column === t.column)}`);
  }
  lines.push('');
  return lines.join('\n');
}

export function renderCandidate(x: Candidate, chosen: boolean): string {
  const p = x.parts;
  const bits = [
    `join ${pct(p.join)}`,
    `filter ${pct(p.filter)}`,
    `group ${pct(p.group)}`,
    `fk ${p.foreignKeys}`,
    `cardinality ${p.cardinality}`,
    `spread ${p.spread}`,
    `type ${p.type}`,
  ];
  const mark = chosen ? '*' : ' ';
  return `${mark} ${x.column.padEnd(24)} ${x.score.toFixed(4)}  ${bits.join('  ')}${x.excluded ? `  (excluded: ${x.excluded})` : ''}`;
}

function oneLine(sql: string, max: number): string {
  const s = sql.replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** The design as the JSON report carries it: table keys unqualified in public, snake_case fields. */
export function designJson(design: Design): Record<string, unknown> {
  const tables: Record<string, unknown> = {};
  for (const [key, t] of Object.entries(design.tables).sort(([a], [b]) => (displayName(a) < displayName(b) ? -1 : 1))) {
    tables[displayName(key)] = {
      kind: t.kind,
      ...(t.column ? { column: t.column } : {}),
      ...(t.colocateWith ? { colocate_with: displayName(t.colocateWith) } : {}),
      ...(t.backfill
        ? {
            backfill: {
              from: displayName(t.backfill.from),
              join: t.backfill.join,
              ...(t.backfill.path
                ? { path: t.backfill.path.map((h) => ({ table: displayName(h.table), columns: h.columns, ref_table: displayName(h.refTable), ref_columns: h.refColumns })) }
                : {}),
            },
          }
        : {}),
    };
  }
  return { citus: design.citus, shard_count: design.shardCount, tables };
}
