/**
 * `lint`: new migrations checked against the distributed design. The
 * schema is brought to the designed Citus state (the design's distribution
 * calls run on the Citus model), then every migration statement runs there
 * in order. Statements Citus rejects are MIG01 findings with its ERROR,
 * DETAIL and HINT; queries that would run on every shard are MIG03; after
 * the last file every rule runs over the resulting schema and design (plus
 * the tables the migrations distributed themselves), and the findings on
 * what the migrations wrote are kept. A whole new schema file (Rails
 * db/structure.sql) is checked for what changed against the schema given.
 */
import type { Catalog, Location, Table } from '../catalog/model.js';
import { buildCatalog } from '../catalog/index.js';
import type { Design, TableDesign } from '../design/model.js';
import { readScript, type Script, type Statement } from '../ingest/pg/script.js';
import { applySuppressions, parseSuppressions, type Suppression } from '../report/suppressions.js';
import { fillMessage, loadRuleDocs, ruleUrl } from '../rules/docs.js';
import { compareFindings, type Finding, type Severity } from '../rules/finding.js';
import { distributionCalls, rejectedStatement } from '../rules/MIG01.js';
import { scatteringQuery } from '../rules/MIG03.js';
import type { Report, RuleDoc } from '../rules/model.js';
import { registry } from '../rules/registry.js';
import { runRulesDetailed } from '../rules/runner.js';
import { CitusCluster } from '../simulate/citus/cluster.js';
import type { StepError } from '../simulate/citus/model.js';
import { clusterView } from '../simulate/citus/route.js';
import { classifyQuery } from '../simulate/routing/classify.js';
import { extractFacts } from '../workload/extract.js';

export interface MigrationInput {
  /** Relative POSIX path, as findings name it. */
  readonly file: string;
  readonly content: Buffer;
}

/** A rule's effective setting (from .shardwise.yml and the flags). */
export interface RuleSetting {
  readonly enabled: boolean;
  readonly severity: Severity;
  readonly options: Readonly<Record<string, unknown>>;
}

export interface LintInput {
  /** The schema the migrations apply to (may be empty). */
  readonly catalog: Catalog;
  readonly design: Design;
  /** In the order they are applied. */
  readonly migrations: readonly MigrationInput[];
  /** Target Citus version; default the design's. */
  readonly citus?: string;
  /** Per rule document, its setting; default every rule on at its own severity. */
  readonly ruleSetting?: (doc: RuleDoc) => RuleSetting;
  /** Rule documents (default rules/*.yml). */
  readonly docs?: readonly RuleDoc[];
}

export interface LintResult {
  /** Every finding, suppressions applied, sorted. */
  readonly findings: Finding[];
  /** The findings a shardwise-ignore comment silenced. */
  readonly suppressed: Finding[];
  /** The scripts read, by file (code frames). */
  readonly scripts: ReadonlyMap<string, Script>;
  /** The design's distribution calls that Citus refused on the schema before any migration. */
  readonly designErrors: ReadonlyArray<{ readonly table: string; readonly error: StepError }>;
}

const TX_ABORTED = 'current transaction is aborted, commands ignored until end of transaction block';
const DML = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'SelectStmt', 'MergeStmt']);

/** Does this file look like a whole schema (pg_dump output, Rails db/structure.sql) rather than a migration? */
export function isSchemaDump(file: string, text: string): boolean {
  const base = file.slice(file.lastIndexOf('/') + 1);
  return base === 'structure.sql' || /^--\s*PostgreSQL database dump\s*$/m.test(text.slice(0, 2000));
}

export function lintMigrations(input: LintInput): LintResult {
  const docs = input.docs ?? loadRuleDocs();
  const docById = new Map(docs.map((d) => [d.id, d]));
  const setting = (doc: RuleDoc): RuleSetting => input.ruleSetting?.(doc) ?? { enabled: true, severity: doc.severity, options: {} };
  const citus = input.citus ?? input.design.citus;
  const design: Design = { ...input.design, citus };
  const findings: Finding[] = [];
  const scripts = new Map<string, Script>();
  const suppressions: Suppression[] = [];

  const report = (ruleId: string, r: Report) => {
    const doc = docById.get(ruleId);
    if (!doc) return;
    const s = setting(doc);
    if (!s.enabled) return;
    findings.push(toFinding(doc, s.severity, r));
  };

  // The designed state: the design's distribution calls on the Citus model.
  const cluster = new CitusCluster(input.catalog, { citus });
  const designErrors: Array<{ table: string; error: StepError }> = [];
  const calls = distributionCalls(input.catalog, design);
  if (calls.length) {
    const script = readScript('shardwise.plan.yaml', calls.map((c) => c.sql).join('\n'));
    script.statements.forEach((stmt, i) => {
      const out = cluster.execute(script, stmt);
      if (out.error && calls[i]) designErrors.push({ table: calls[i].table, error: out.error });
    });
  }

  const linted = new Set<string>();
  const attempted = new Set<string>();
  for (const m of input.migrations) {
    const problem = contentProblem(m.content);
    if (problem) {
      findings.push(inputFinding(m.file, problem, { line: 1, column: 1 }));
      continue;
    }
    let text = m.content.toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const script = readScript(m.file, text);
    scripts.set(m.file, script);
    suppressions.push(...parseSuppressions(script));
    const errors = script.statements.filter((s) => s.error);
    for (const s of errors) findings.push(inputFinding(m.file, `SQL does not parse: ${s.error!.message}`, s.error!.location, 'syntax-error'));
    if (!script.statements.length) {
      findings.push(inputFinding(m.file, 'empty migration: the file holds no SQL statement', { line: 1, column: 1 }));
      continue;
    }
    if (errors.length && errors.length === script.statements.length && !/\.sql$/i.test(m.file)) continue;
    if (isSchemaDump(m.file, text)) {
      findings.push(...lintSchemaDump(input.catalog, design, m.file, text, docs, setting));
      continue;
    }
    linted.add(m.file);
    for (const stmt of script.statements) {
      if (stmt.error) continue;
      for (const t of distributionTargets(stmt.sql)) attempted.add(cluster.resolve(t));
      const out = cluster.execute(script, stmt);
      if (out.error) {
        if (out.error.message !== TX_ABORTED) report('MIG01', rejectedStatement(out.error, stmt.location));
        continue;
      }
      checkQuery(cluster, stmt, report);
    }
  }

  // Every rule over the schema the migrations leave, on what they wrote.
  if (linted.size) {
    const catalog = cluster.catalog();
    const effective = effectiveDesign(design, cluster, catalog);
    const ran = runRulesDetailed(catalog, effective, {
      docs,
      rules: registry.filter((r) => r.id !== 'MIG01'),
      ...ruleSelection(docs, setting),
    });
    for (const r of ran) {
      if (!linted.has(r.finding.location.file)) continue;
      // A table a migration tried to distribute has a decision; MIG01 already says why it failed.
      if (r.finding.ruleId === 'MIG02' && r.finding.table && attempted.has(r.finding.table)) continue;
      findings.push(r.finding);
    }
  }

  const known = docs.flatMap((d) => [d.id, d.name]);
  const applied = applySuppressions(findings, suppressions, known);
  return {
    findings: [...applied.findings, ...applied.extra].sort(compareFindings),
    suppressed: applied.suppressed,
    scripts,
    designErrors,
  };
}

/** Tables a statement hands to create_distributed_table / create_reference_table (first argument, as written). */
function distributionTargets(sql: string): string[] {
  const re = /create_(?:distributed_table(?:_concurrently)?|reference_table)\s*\(\s*(?:table_name\s*=>\s*)?'((?:[^']|'')+)'/gi;
  return [...sql.matchAll(re)].map((m) => m[1].replace(/''/g, "'"));
}

/** Binary or not text: what to say, or undefined when the content is text. */
function contentProblem(content: Buffer): string | undefined {
  if (content.subarray(0, 5).toString('latin1') === 'PGDMP') return 'not SQL: a pg_dump custom-format (binary) archive; convert it with pg_restore -f - FILE';
  if (content.subarray(0, 65536).includes(0)) return 'not SQL: a binary file';
  return undefined;
}

function inputFinding(file: string, message: string, at: { line: number; column: number }, ruleId = 'syntax-error'): Finding {
  return {
    ruleId,
    ruleName: `shardwise.${ruleId}`,
    severity: 'error',
    message,
    location: { file, line: at.line, column: at.column },
    help: 'A migration must be PostgreSQL SQL text; fix the file or leave it out of the files linted. The other files were still checked.',
    url: ruleUrl(ruleId),
  };
}

export function toFinding(doc: RuleDoc, severity: Severity, r: Report): Finding {
  const data = r.data ?? {};
  return {
    ruleId: doc.id,
    ruleName: doc.name,
    severity,
    message: fillMessage(doc.messages[r.messageId] ?? r.messageId, data),
    location: r.at,
    ...(r.table !== undefined ? { table: r.table } : {}),
    ...(r.column !== undefined ? { column: r.column } : {}),
    help: doc.help.trim(),
    ...(r.fix ? { fix: { description: fillMessage(r.fix.description ?? doc.help.trim(), data), ...(r.fix.sql ? { sql: r.fix.sql } : {}) } } : {}),
    url: ruleUrl(doc.id),
  };
}

function ruleSelection(docs: readonly RuleDoc[], setting: (doc: RuleDoc) => RuleSetting) {
  const disable: string[] = [];
  const severity: Record<string, Severity> = {};
  const ruleOptions: Record<string, Readonly<Record<string, unknown>>> = {};
  for (const d of docs) {
    const s = setting(d);
    if (!s.enabled) disable.push(d.id);
    else severity[d.id] = s.severity;
    const options = d.id === 'MIG01' || d.id === 'MIG02' ? { ...s.options, migrations: true } : s.options;
    if (Object.keys(options).length) ruleOptions[d.id] = options;
  }
  return { disable, severity, ruleOptions };
}


/** A query the migration runs: fails at planning (MIG01) or runs on every shard (MIG03). */
function checkQuery(cluster: CitusCluster, stmt: Statement, report: (ruleId: string, r: Report) => void): void {
  const kind = stmt.node ? Object.keys(stmt.node)[0] : '';
  if (!DML.has(kind)) return;
  let facts;
  try {
    facts = extractFacts(cluster.catalog(), stmt);
  } catch {
    return;
  }
  const view = clusterView(cluster);
  const route = classifyQuery(facts, view);
  if (route.class === 'error' && route.error) {
    report('MIG01', rejectedStatement(route.error, stmt.location));
    return;
  }
  if (route.class !== 'multi-shard' && route.class !== 'repartition') return;
  const target = facts.write?.target;
  const dist = [...new Set([...(target ? [target] : []), ...facts.tablesRead, ...facts.tablesWritten])].filter((t) => view.role(t) === 'distributed');
  const table = dist[0];
  if (!table) return;
  const column = view.column(table) ?? '';
  const shards = cluster.colocationGroupOf(table)?.shardCount ?? 0;
  report('MIG03', scatteringQuery(facts.kind, table, column, shards, stmt.location));
}

/**
 * The design, plus every table the migrations made a Citus table themselves
 * (create_distributed_table / create_reference_table in a migration) that
 * the design does not list.
 */
function effectiveDesign(design: Design, cluster: CitusCluster, catalog: Catalog): Design {
  const tables: Record<string, TableDesign> = { ...design.tables };
  const summary = cluster.summary();
  for (const info of summary.tables) {
    if (tables[info.table] || !catalog.tables[info.table]) continue;
    if (info.kind === 'reference') tables[info.table] = { kind: 'reference' };
    else if (info.kind === 'single-shard') tables[info.table] = { kind: 'single-shard' };
    else if (info.kind === 'citus-local' && !info.autoConverted) tables[info.table] = { kind: 'local' };
    else if (info.kind === 'distributed' && info.column) {
      const mates = summary.tables.filter((o) => o.table !== info.table && o.colocationId === info.colocationId);
      const mate = mates.find((o) => design.tables[o.table] && !design.tables[o.table].colocateWith) ?? mates.find((o) => design.tables[o.table]) ?? mates.find((o) => o.table < info.table);
      tables[info.table] = {
        kind: 'distributed',
        column: info.column,
        ...(mate ? { colocateWith: mate.table } : {}),
        ...(info.shardCount !== undefined && info.shardCount !== design.shardCount ? { shardCount: info.shardCount } : {}),
      };
    }
  }
  return { ...design, tables };
}

/** A table's definition without where it was written: what "changed" compares. */
function shape(t: Table): string {
  return JSON.stringify(t, (k, v) => (k === 'location' || k === 'file' ? undefined : v));
}

/**
 * A whole new schema file: every rule (MIG01 included: the design's calls on
 * the new schema) over it, keeping the findings on tables that are new or
 * changed against the old schema.
 */
function lintSchemaDump(
  old: Catalog,
  design: Design,
  file: string,
  text: string,
  docs: readonly RuleDoc[],
  setting: (doc: RuleDoc) => RuleSetting,
): Finding[] {
  const { catalog } = buildCatalog([{ file, text }]);
  const changed = new Set(
    Object.keys(catalog.tables).filter((k) => !old.tables[k] || shape(old.tables[k]) !== shape(catalog.tables[k])),
  );
  if (!changed.size) return [];
  const ran = runRulesDetailed(catalog, design, { docs, ...ruleSelection(docs, setting) });
  return ran.map((r) => r.finding).filter((f) => f.location.file === file && f.table !== undefined && changed.has(f.table));
}

export type { Location };
