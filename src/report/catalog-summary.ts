/** A readable summary of a catalog: tables, sizes if known, keys, FKs, identity columns. */
import { Chalk } from 'chalk';
import type { Catalog, Diagnostic, Table } from '../catalog/model.js';
import { displayName } from '../ingest/pg/names.js';
import type { Stats } from '../stats/model.js';

export interface SummaryOptions {
  readonly color: boolean;
  readonly stats?: Stats;
  /** What the schema was read from when it has no files (a live database). */
  readonly source?: string;
}

export function renderCatalogSummary(catalog: Catalog, options: SummaryOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const tables = Object.values(catalog.tables);
  const out: string[] = [catalogHeadline(catalog, options), ''];
  for (const t of tables) {
    if (t.partitionOf) continue;
    out.push(renderTable(t, catalog, options, c));
  }
  const diags = renderDiagnostics(catalog.diagnostics, c);
  if (diags) out.push(diags);
  return out.join('\n') + '\n';
}

/** The first line of the summary: how many tables, views and sequences, read from where. */
export function catalogHeadline(catalog: Catalog, options: Pick<SummaryOptions, 'color' | 'source'>): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const tables = Object.values(catalog.tables);
  const partitions = tables.filter((t) => t.partitionOf).length;
  return (
    c.bold(`Schema: ${tables.length} tables`) +
    (partitions ? ` (${partitions} partitions)` : '') +
    `, ${Object.keys(catalog.views).length} views, ${Object.keys(catalog.sequences).length} sequences` +
    inSource(catalog.files.length ? catalog.files.join(', ') : options.source)
  );
}

function inSource(source: string | undefined): string {
  return source ? ` in ${source}` : '';
}

function renderTable(t: Table, catalog: Catalog, options: SummaryOptions, c: InstanceType<typeof Chalk>): string {
  const lines: string[] = [];
  const stats = options.stats?.tables[t.key];
  const tags: string[] = [];
  if (t.relkind === 'partitioned') {
    const parts = Object.values(catalog.tables).filter((p) => p.partitionOf?.parent === t.key).length;
    tags.push(`partitioned by ${t.partitionBy?.strategy} (${[...(t.partitionBy?.columns ?? []), ...(t.partitionBy?.expressions ?? [])].join(', ')}), ${parts} partitions`);
  }
  if (t.relkind === 'foreign') tags.push('foreign table');
  if (t.persistence !== 'permanent') tags.push(t.persistence);
  if (t.inherits.length) tags.push(`inherits ${t.inherits.map(displayName).join(', ')}`);
  if (stats) tags.push(`${formatCount(stats.rows)} rows${stats.estimated ? ' (estimated)' : ''}${stats.bytes ? `, ${formatBytes(stats.bytes)}` : ''}`);
  lines.push(`${c.bold(displayName(t.key))}  ${c.dim(`${t.location.file}:${t.location.line}`)}${tags.length ? '  ' + c.dim(tags.join('; ')) : ''}`);
  lines.push(`  columns      ${t.columns.length}`);
  lines.push(`  primary key  ${t.primaryKey ? `(${t.primaryKey.columns.join(', ')})` : c.yellow('none')}`);
  for (const u of t.uniques) {
    const cols = u.columns.map((col, i) => col ?? u.expressions[i] ?? 'expr');
    lines.push(`  unique       (${cols.join(', ')})${u.where ? ` WHERE ${u.where}` : ''}  ${c.dim(u.name)}`);
  }
  for (const fk of t.foreignKeys) {
    const actions = [fk.onDelete !== 'no action' ? `on delete ${fk.onDelete}` : '', fk.onUpdate !== 'no action' ? `on update ${fk.onUpdate}` : ''].filter(Boolean).join(', ');
    lines.push(`  foreign key  (${fk.columns.join(', ')}) -> ${displayName(fk.refTable)}(${fk.refColumns.join(', ')})${actions ? `  ${actions}` : ''}`);
  }
  for (const col of t.columns) {
    if (col.identity) lines.push(`  identity     ${col.name} ${col.type.display} generated ${col.identity.kind}`);
    else if (col.serial) lines.push(`  serial       ${col.name} ${col.type.display} from ${displayName(col.defaultSequence!)}`);
  }
  if (t.triggers.length) lines.push(`  triggers     ${t.triggers.map((g) => g.name).join(', ')}`);
  lines.push('');
  return lines.join('\n');
}

export function renderDiagnostics(diagnostics: readonly Diagnostic[], c: InstanceType<typeof Chalk>): string {
  const shown = diagnostics.filter((d) => d.severity !== 'info');
  const info = diagnostics.filter((d) => d.code === 'unsupported-statement').length;
  if (!shown.length && !info) return '';
  const lines = shown.map((d) => {
    const sev = d.severity === 'error' ? c.red('error') : c.yellow('warning');
    return `${d.location.file}:${d.location.line}:${d.location.column}  ${sev}  ${d.code}  ${d.message}${d.hint ? `\n    hint: ${d.hint}` : ''}`;
  });
  if (info) lines.push(c.dim(`${info} statement(s) not understood and skipped (shown with --verbose)`));
  return lines.join('\n') + '\n';
}

export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(0)}k`;
  return String(Math.round(n));
}

export function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 10 || i === 0 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

/**
 * The catalog as `analyze --format json` prints it: every table with its
 * columns, keys, foreign keys, indexes and triggers (the catalog model
 * itself), its size when known and whether that size is an estimate; views,
 * sequences, types and extensions; what was skipped and why.
 */
export function catalogJson(catalog: Catalog, stats?: Stats): unknown {
  const sorted = <T>(r: Record<string, T>): T[] =>
    Object.keys(r)
      .sort()
      .map((k) => r[k]);
  return {
    files: catalog.files,
    schemas: catalog.schemas,
    tables: sorted(catalog.tables).map((t) => {
      const s = stats?.tables[t.key];
      return { ...t, ...(s ? { size: { rows: s.rows, bytes: s.bytes, estimated: !!s.estimated } } : {}) };
    }),
    views: sorted(catalog.views),
    sequences: sorted(catalog.sequences),
    types: sorted(catalog.types),
    extensions: catalog.extensions,
    skipped: catalog.skipped,
  };
}
