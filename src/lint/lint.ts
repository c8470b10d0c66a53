/**
 * `lint`: new migrations checked against the distributed design. The
 * schema is brought to the designed Citus state (the design's distribution
 * calls run on the Citus model), then every migration statement runs there
 * in order. Statements Citus rejects are MIG01 findings with its ERROR,
 * DETAIL and HINT; queries that would run on every shard are MIG03; after
 * the last file every rule runs over the resulting schema and design (plus
 * the tables the migrations distributed themselves), and the findings on
 * what the migrations wrote are kept. A whole schema file among them (Rails
 * db/structure.sql, a pg_dump) is run as the migration it implies: only what
 * it changes against the schema so far (./schema-diff.ts), each change at its
 * own line in the file; the design's distribution calls for the tables it
 * adds stand in for the ones the framework's migration runs.
 */
import type { Catalog, Location } from '../catalog/model.js';
import type { Design, TableDesign } from '../design/model.js';
import { splitKey } from '../ingest/pg/names.js';
import { nodeAs } from '../ingest/pg/nodes.js';
import { readScript, type Script, type Statement } from '../ingest/pg/script.js';
import { BUILTIN_RULES } from '../report/model.js';
import { applySuppressions, parseSuppressions, type Suppression } from '../report/suppressions.js';
import { fillMessage, loadRuleDocs, ruleUrl } from '../rules/docs.js';
import { compareFindings, type Finding, type Severity } from '../rules/finding.js';
import { distributionCalls, rejectedStatement } from '../rules/MIG01.js';
import { scatteringQuery } from '../rules/MIG03.js';
import type { Report, RuleDoc } from '../rules/model.js';
import { registry } from '../rules/registry.js';
import { runRulesDetailed, type RuleResult } from '../rules/runner.js';
import { CitusCluster } from '../simulate/citus/cluster.js';
import type { StepError } from '../simulate/citus/model.js';
import { clusterView } from '../simulate/citus/route.js';
import { classifyQuery } from '../simulate/routing/classify.js';
import { extractFacts } from '../workload/extract.js';
import type { QueryFacts } from '../workload/model.js';
import { isSchemaFile, schemaSteps } from './schema-diff.js';

export interface MigrationInput {
  /** Relative POSIX path, as findings name it. */
  readonly file: string;
  readonly content: Buffer;
  /** The content already read as SQL (migrationScript), when the caller needed it first. */
  readonly script?: Script;
}

/** A migration's text as SQL statements (a byte order mark dropped). */
export function migrationScript(m: MigrationInput): Script {
  if (m.script) return m.script;
  let text = m.content.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return readScript(m.file, text);
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
  /** The catalog is the lint's to change (the caller does not use it again): the model takes it over instead of a copy. */
  readonly giveCatalog?: boolean;
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

/**
 * Tables migration frameworks keep their own bookkeeping in (Rails, Django,
 * Alembic, Flyway, golang-migrate, goose): written by the tool on the
 * coordinator, never joined with the application's tables, so local is the
 * right decision for them when the design says nothing.
 */
const BOOKKEEPING_TABLES = new Set(['schema_migrations', 'ar_internal_metadata', 'django_migrations', 'alembic_version', 'flyway_schema_history', 'goose_db_version']);

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

  // The designed state: the design's distribution calls applied directly on the Citus model.
  const calls = distributionCalls(input.catalog, design);
  const cluster = new CitusCluster(input.catalog, { citus, adoptCatalog: input.giveCatalog ?? false });
  const designErrors: Array<{ table: string; error: StepError }> = [];
  cluster.applyDesign(calls).forEach((error, i) => {
    if (error && calls[i]) designErrors.push({ table: calls[i].table, error });
  });

  const linted = new Set<string>();
  /** Schema files linted for what they change, with where the changes are. */
  const schemaFiles = new Map<string, ChangedSpans>();
  const attempted = new Set<string>();
  for (const m of input.migrations) {
    const problem = contentProblem(m.content);
    if (problem) {
      findings.push(inputFinding(m.file, problem, { line: 1, column: 1 }));
      continue;
    }
    const script = migrationScript(m);
    scripts.set(m.file, script);
    suppressions.push(...parseSuppressions(script));
    const errors = script.statements.filter((s) => s.error);
    for (const s of errors) findings.push(inputFinding(m.file, `SQL does not parse: ${s.error!.message}`, s.error!.location, 'syntax-error'));
    if (!script.statements.length) {
      findings.push(inputFinding(m.file, 'empty migration: the file holds no SQL statement', { line: 1, column: 1 }));
      continue;
    }
    if (errors.length && errors.length === script.statements.length && !/\.sql$/i.test(m.file)) continue;
    linted.add(m.file);
    const current = cluster.catalogView();
    if (isSchemaFile(script, current)) {
      const changed = new ChangedSpans();
      schemaFiles.set(m.file, changed);
      for (const step of schemaSteps(current, script)) {
        const out = cluster.execute(step.script, step.stmt);
        if (!step.report) continue;
        // A statement of the file as written spans its lines; one made from a part of it (a column), that part.
        if (script.statements[step.stmt.index] === step.stmt) changed.addSpan(step.stmt.location, script.source.locate(step.stmt.endByte));
        else changed.addPoint(step.stmt.location);
        if (out.error && out.error.message !== TX_ABORTED) report('MIG01', rejectedStatement(out.error, step.stmt.location));
      }
      continue;
    }
    // The schema as the queries see it, built again only after a statement that may change it:
    // building it for every query made a file of many queries quadratic. A query changes no table.
    let schema: Catalog | undefined;
    for (const stmt of script.statements) {
      if (stmt.error) continue;
      for (const t of distributionTargets(stmt.sql)) attempted.add(cluster.resolve(t));
      const out = cluster.execute(script, stmt);
      if (!isQuery(stmt)) schema = undefined;
      if (out.notModelled && !out.error) findings.push(notModelledFinding(m.file, out.notModelled, stmt.location));
      if (out.error) {
        if (out.error.message !== TX_ABORTED) report('MIG01', rejectedStatement(out.error, stmt.location));
        continue;
      }
      if (isQuery(stmt)) checkQuery(cluster, (schema ??= cluster.catalogView()), stmt, report, out.facts);
    }
  }

  // Every rule over the schema the migrations leave, on what they wrote.
  if (linted.size) {
    // Nothing runs on the cluster after this: the rules read the catalog as it stands.
    const catalog = cluster.catalogView();
    const effective = effectiveDesign(design, cluster, catalog);
    // MIG01 over the design: the distribution calls a framework's migration makes for the
    // tables a schema file adds (a migration file makes its own, checked statement by statement).
    const ran = runRulesDetailed(catalog, effective, {
      docs,
      rules: registry.filter((r) => r.id !== 'MIG01' || schemaFiles.size > 0),
      ...ruleSelection(docs, setting),
    }).filter((r) => {
      const at = r.finding.location;
      if (!linted.has(at.file)) return false;
      const changed = schemaFiles.get(at.file);
      // In a schema file, only what it changes: the schema given may be that same file.
      if (changed) return changed.has(at);
      return r.finding.ruleId !== 'MIG01';
    });
    for (const r of ran) {
      // A table a migration tried to distribute has a decision; MIG01 already says why it failed.
      if (r.finding.ruleId === 'MIG02' && r.finding.table && attempted.has(r.finding.table)) continue;
      // A failing distribution call that another rule explains at the statement that caused it.
      if (r.finding.ruleId === 'MIG01' && explained(r.finding, ran, docById)) continue;
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

/** A statement the Citus model cannot judge: said, never passed over as checked. */
function notModelledFinding(file: string, reason: string, at: { line: number; column: number }): Finding {
  const meta = BUILTIN_RULES.find((r) => r.id === 'not-modelled')!;
  return {
    ruleId: meta.id,
    ruleName: meta.name,
    severity: meta.severity,
    message: `not checked against Citus: ${reason}`,
    location: { file, line: at.line, column: at.column },
    help: meta.help!,
    url: ruleUrl(meta.id),
  };
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
    if (Object.keys(s.options).length) ruleOptions[d.id] = s.options;
  }
  // The rules that speak of migrations only when told they are looking at one.
  const commandOptions = { MIG01: { migrations: true }, MIG02: { migrations: true } };
  return { disable, severity, ruleOptions, commandOptions };
}


/** A query the migration runs: fails at planning (MIG01) or runs on every shard (MIG03). */
/** A query that changes no table definition (SELECT ... INTO creates one). */
function isQuery(stmt: Statement): boolean {
  const kind = stmt.node ? Object.keys(stmt.node)[0] : '';
  return DML.has(kind) && !nodeAs(stmt.node, 'SelectStmt')?.intoClause;
}

/** `known`: the facts the model read the query with when it ran it (read again when it did not). */
function checkQuery(cluster: CitusCluster, catalog: Catalog, stmt: Statement, report: (ruleId: string, r: Report) => void, known?: QueryFacts): void {
  let facts = known;
  try {
    facts ??= extractFacts(catalog, stmt);
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
  for (const key of Object.keys(catalog.tables)) {
    if (!tables[key] && BOOKKEEPING_TABLES.has(splitKey(key).name) && cluster.kindOf(key) === 'local') tables[key] = { kind: 'local' };
  }
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

/** Where a schema file changes the schema: the statements run as written, and the parts run on their own. */
class ChangedSpans {
  private readonly spans: Array<readonly [Location, Location]> = [];
  private readonly points = new Set<string>();

  addSpan(from: Location, to: Location): void {
    this.spans.push([from, to]);
  }

  addPoint(at: Location): void {
    this.points.add(`${at.line}:${at.column}`);
  }

  has(at: Location): boolean {
    if (this.points.has(`${at.line}:${at.column}`)) return true;
    const before = (a: Location, b: Location) => a.line < b.line || (a.line === b.line && a.column <= b.column);
    return this.spans.some(([from, to]) => before(from, at) && before(at, to));
  }
}

/**
 * Is a MIG01 finding on a distribution call of the design explained by
 * another rule's error on the same table in the same file (UQ01 at the
 * primary key without the distribution column, FK01 at the foreign key...)?
 */
function explained(f: Finding, all: readonly RuleResult[], docs: ReadonlyMap<string, RuleDoc>): boolean {
  if (!f.table) return false;
  return all.some(
    (r) =>
      r.finding !== f &&
      r.finding.ruleId !== 'MIG01' &&
      r.finding.table === f.table &&
      r.finding.location.file === f.location.file &&
      docs.get(r.finding.ruleId)?.severity === 'error',
  );
}

export type { Location };
