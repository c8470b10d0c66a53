/**
 * `verify`, for people: each table of the design against the cluster, each
 * workload statement's predicted routing against Citus's plan, every
 * difference spelled out, then the verdict. A pure function of the report.
 */
import { displayName } from '../ingest/pg/index.js';
import type { StatementCheck, TableCheck, VerifyReport } from '../verify/index.js';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function tableState(t: TableCheck): string {
  const c = t.cluster;
  if (!c) return 'not on the cluster';
  const how = c.column ? `${c.kind} on ${c.column}` : c.kind;
  const group = c.colocationId ? `, colocation group ${c.colocationId}` : '';
  const shards = c.shards !== undefined && c.kind !== 'local' ? `, ${plural(c.shards, 'shard')}` : '';
  return `${how}${group}${shards}`;
}

function tableLines(t: TableCheck): string[] {
  const mark = t.drift.length ? 'DRIFT' : 'ok   ';
  const out = [`  ${mark}  ${displayName(t.table)}: ${tableState(t)}`];
  for (const d of t.drift) out.push(`         ${d.message}`);
  return out;
}

function predictedText(s: StatementCheck): string {
  const p = s.predicted;
  if (!p) return '-';
  if (p.class === 'error') return `error: ${p.error?.message ?? p.reason}`;
  return p.class === 'router' || p.class === 'multi-shard' ? `${p.class} (${plural(p.shards, 'shard')})` : p.class;
}

function realText(s: StatementCheck): string {
  const r = s.real;
  if (!r) return '-';
  if (r.class === 'error') return `error: ${r.error?.message ?? r.reason}`;
  return `${r.class} (${r.reason})`;
}

function oneLine(sql: string, max = 160): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

function statementLines(s: StatementCheck): string[] {
  const mark = s.outcome === 'agree' ? 'ok   ' : s.outcome === 'disagree' ? 'DIFF ' : 'skip ';
  const out = [`  ${mark}  ${s.label ? `${s.label} ` : ''}${s.id}  weight ${s.weight}`, `         ${oneLine(s.sql)}`];
  if (s.parameters) out.push(`         parameters: ${Object.entries(s.parameters).map(([k, v]) => `${k} = ${v}`).join(', ')}`);
  if (s.outcome === 'skipped') {
    out.push(`         not checked: ${s.why ?? ''}`);
    return out;
  }
  out.push(`         predicted: ${predictedText(s)}`, `         Citus:     ${realText(s)}`);
  if (s.real?.views) out.push(`         (planned through the query of ${s.real.views.join(', ')}, which the workload creates itself)`);
  if (s.real?.defaults) out.push(`         (planned with a value for ${s.real.defaults.join(', ')}, whose sequence default Citus evaluates while planning)`);
  if (s.outcome === 'disagree') out.push(`         ${s.why ?? ''}`);
  return out;
}

export function renderVerifyText(r: VerifyReport): string {
  const out: string[] = [];
  const workers = `${plural(r.workers.length, 'worker')}${r.workers.length ? ` (${r.workers.join(', ')})` : ''}`;
  out.push(`Cluster: ${r.source}, Citus ${r.citus}, ${workers}${r.repartitionJoins ? ', citus.enable_repartition_joins on' : ''}`);
  out.push(`Design: ${r.design}`);
  for (const n of r.notices) out.push(`notice: ${n}`);
  out.push('', `Tables (${r.summary.tables - r.summary.tableDrift} of ${r.summary.tables} as designed)`);
  if (!r.tables.length) out.push('  (the design names no table and the cluster has no Citus table)');
  for (const t of r.tables) out.push(...tableLines(t));
  if (r.statements.length) {
    const s = r.summary;
    out.push('', `Routing (${s.agree} of ${s.statements - s.skipped} statements as predicted${s.skipped ? `, ${s.skipped} not checked` : ''}; heaviest first)`);
    for (const st of r.statements) out.push(...statementLines(st));
  }
  out.push('', verdict(r));
  return out.join('\n') + '\n';
}

function verdict(r: VerifyReport): string {
  if (!r.drift) return `No drift: every table is as designed${r.statements.length ? ' and every statement checked routes as predicted' : ''}.`;
  const parts: string[] = [];
  if (r.summary.tableDrift) parts.push(`${plural(r.summary.tableDrift, 'table')} differ${r.summary.tableDrift === 1 ? 's' : ''} from the design`);
  if (r.summary.disagree) parts.push(`${plural(r.summary.disagree, 'statement')} route${r.summary.disagree === 1 ? 's' : ''} otherwise than predicted`);
  return `Drift: ${parts.join('; ')}.`;
}
