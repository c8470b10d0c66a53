/**
 * A rule example run on the real cluster as a user would, in one of three ways:
 *
 * - `design`: the schema, then the distribution calls the design asks for,
 *   made directly (reference tables first, then referenced tables before the
 *   tables that reference them, colocate_with targets before their
 *   followers), then the example's `on_citus.then` statements;
 * - `fixed`: the schema, the fixes of every finding, then the distribution
 *   calls. A fix's own distribution call (create_distributed_table,
 *   create_reference_table, citus_add_local_table_to_metadata) takes the place
 *   of the design's call for its table, in the same order; its other
 *   statements run before the distribution;
 * - `migration`: the schema, then every step of the migration
 *   `shardwise migrate` writes for the design.
 *
 * The first ERROR (message, DETAIL) and where it came are the outcome.
 *
 * Each run gets a schema of its own in one database (search_path set to it),
 * dropped afterwards with whatever the example created outside it (foreign
 * data wrappers); messages name that schema `public`, where the example's
 * names live when a user runs it.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { buildCatalog } from '../../src/catalog/index.js';
import type { Catalog } from '../../src/catalog/model.js';
import type { Design, TableDesign } from '../../src/design/model.js';
import { readScript } from '../../src/ingest/pg/index.js';
import { planMigration } from '../../src/plan/index.js';
import { EXAMPLE_FILE, exampleDesign } from '../../src/rules/examples.js';
import type { RuleExample } from '../../src/rules/model.js';

export interface RealError {
  readonly message: string;
  readonly detail?: string;
}

export interface ExampleRun {
  /** Where the first error came. */
  readonly step?: 'fix' | 'design' | 'migration' | 'then';
  readonly sql?: string;
  readonly error?: RealError;
  /** The statements run, in order. */
  readonly ran: string[];
}

export type RunMode = 'design' | 'fixed' | 'migration';

/** The statements of a piece of SQL, as written. */
export function splitStatements(sql: string): string[] {
  return sql.trim() ? readScript('example.sql', sql).statements.map((s) => s.sql) : [];
}

function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function bare(key: string): string {
  return key.startsWith('public.') ? key.slice('public.'.length) : key;
}

function keyOf(name: string): string {
  return name.includes('.') ? name : `public.${name}`;
}

interface Call {
  readonly table: string;
  /** 0: reference tables and citus local tables, made first; 1: the others. */
  readonly rank: number;
  readonly deps: string[];
  readonly sql: string;
}

const CALL = /^\s*SELECT\s+(create_distributed_table|create_reference_table|citus_add_local_table_to_metadata)\s*\(\s*'([^']+)'(.*)$/is;

/** A fix statement that is a distribution call, as a call. */
function fixCall(sql: string, catalog: Catalog): Call | undefined {
  const m = CALL.exec(sql);
  if (!m) return undefined;
  const table = keyOf(m[2]);
  const colocate = /colocate_with\s*=>\s*'([^']+)'/i.exec(m[3]);
  const deps = [...(colocate ? [keyOf(colocate[1])] : []), ...fkTargets(catalog, table)];
  return { table, rank: m[1].toLowerCase() === 'create_distributed_table' ? 1 : 0, deps, sql };
}

function fkTargets(catalog: Catalog, table: string): string[] {
  return (catalog.tables[table]?.foreignKeys ?? []).map((fk) => fk.refTable).filter((t) => t !== table);
}

function designCall(key: string, t: TableDesign, design: Design, example: RuleExample, catalog: Catalog): Call {
  const name = literal(bare(key));
  const deps = [...(t.colocateWith ? [t.colocateWith] : []), ...fkTargets(catalog, key)];
  if (t.kind === 'reference') return { table: key, rank: 0, deps, sql: `SELECT create_reference_table(${name})` };
  const args = [name, t.kind === 'single-shard' ? 'NULL' : literal(t.column ?? '')];
  if (t.colocateWith) args.push(`colocate_with => ${literal(bare(t.colocateWith))}`);
  else if (t.shardCount !== undefined || example.shard_count !== undefined) args.push(`shard_count => ${t.shardCount ?? design.shardCount}`);
  return { table: key, rank: 1, deps, sql: `SELECT create_distributed_table(${args.join(', ')})` };
}

/** Calls in the order Citus needs when the design is sound: rank, then dependencies first, then by table. */
function ordered(calls: readonly Call[]): Call[] {
  const byTable = new Map(calls.map((c) => [c.table, c]));
  const done = new Set<string>();
  const out: Call[] = [];
  const visit = (c: Call, path: Set<string>) => {
    if (done.has(c.table) || path.has(c.table)) return;
    path.add(c.table);
    for (const d of c.deps) {
      const dep = byTable.get(d);
      if (dep) visit(dep, path);
    }
    path.delete(c.table);
    done.add(c.table);
    out.push(c);
  };
  for (const c of [...calls].sort((a, b) => a.rank - b.rank || (a.table < b.table ? -1 : 1))) visit(c, new Set());
  return out;
}

/** The design's distribution calls, with the fix calls in place of (or beside) them. */
export function distributionCalls(example: RuleExample, fixes: readonly string[] = []): string[] {
  const design = exampleDesign(example);
  const { catalog } = buildCatalog([{ file: EXAMPLE_FILE, text: example.schema }]);
  const calls = new Map<string, Call>();
  for (const [k, t] of Object.entries(design.tables)) if (t.kind !== 'local') calls.set(k, designCall(k, t, design, example, catalog));
  for (const f of fixes) {
    const c = fixCall(f, catalog);
    if (c) calls.set(c.table, c);
  }
  return ordered([...calls.values()]).map((c) => c.sql);
}

/** The fix statements of every finding, deduplicated, in the order listed. */
export function fixStatements(example: RuleExample): string[] {
  const out: string[] = [];
  for (const f of example.findings ?? []) {
    for (const s of splitStatements(f.fix ?? '')) if (!out.includes(s)) out.push(s);
  }
  return out;
}

/** The steps of the migration shardwise migrate writes for the example's design, its tables in `schema`. */
export function migrationSteps(example: RuleExample, schema: string, citus: string): string[] {
  const { catalog } = buildCatalog([{ file: EXAMPLE_FILE, text: `SET search_path TO ${schema};\n${example.schema}` }]);
  const moved = (k: string) => `${schema}.${bare(k)}`;
  const base = exampleDesign(example);
  const tables = Object.fromEntries(Object.entries(base.tables).map(([k, t]) => [moved(k), { ...t, ...(t.colocateWith ? { colocateWith: moved(t.colocateWith) } : {}) }]));
  return planMigration(catalog, { ...base, citus, tables }, { citus }).steps.map((s) => s.sql);
}

export class ExampleRunner {
  private runs = 0;
  private readonly tag = randomBytes(4).toString('hex');

  /**
   * `citus`: the cluster's version (major.minor), the migration's target;
   * `onWorker` runs SQL on a worker's copy of the database.
   */
  constructor(
    private readonly url: string,
    private readonly citus: string,
    private readonly onWorker?: (sql: string) => Promise<unknown>,
  ) {}

  private async connect(): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: this.url });
    await c.connect();
    c.on('notice', () => undefined);
    return c;
  }

  async run(example: RuleExample, mode: RunMode = 'design'): Promise<ExampleRun> {
    const schema = `rule_example_${this.tag}_${++this.runs}`;
    const admin = await this.connect();
    const wrappers = async () => (await admin.query<{ n: string }>('SELECT fdwname AS n FROM pg_foreign_data_wrapper')).rows.map((r) => r.n);
    const before = await wrappers();
    await admin.query(`CREATE SCHEMA ${schema}`);
    const c = await this.connect();
    const ran: string[] = [];
    const normal = (s: string) => s.replaceAll(`${schema}.`, 'public.');
    const attempt = async (step: NonNullable<ExampleRun['step']>, sql: string, where: 'coordinator' | 'worker' = 'coordinator'): Promise<ExampleRun | undefined> => {
      ran.push(sql);
      try {
        if (where === 'worker') {
          if (!this.onWorker) throw new Error('no worker to run on');
          await this.onWorker(`SET search_path TO ${schema}; ${sql}`);
        } else await c.query(sql);
        return undefined;
      } catch (e) {
        const err = e as { message: string; detail?: string };
        return { step, sql, error: { message: normal(err.message), ...(err.detail ? { detail: normal(err.detail) } : {}) }, ran };
      }
    };
    try {
      await c.query(`SET search_path TO ${schema}`);
      await c.query(example.schema);
      if (mode === 'migration') {
        for (const sql of migrationSteps(example, schema, this.citus)) {
          const failed = await attempt('migration', sql);
          if (failed) return failed;
        }
        return { ran };
      }
      const fixes = mode === 'fixed' ? fixStatements(example) : [];
      for (const sql of fixes.filter((f) => !CALL.test(f))) {
        const failed = await attempt('fix', sql);
        if (failed) return failed;
      }
      for (const sql of distributionCalls(example, fixes)) {
        const failed = await attempt('design', sql);
        if (failed) return failed;
      }
      const then = mode === 'design' && typeof example.on_citus === 'object' ? example.on_citus : undefined;
      for (const sql of splitStatements(then?.then ?? '')) {
        const failed = await attempt('then', sql, then?.on_worker ? 'worker' : 'coordinator');
        if (failed) return failed;
      }
      return { ran };
    } finally {
      await c.end().catch(() => undefined);
      await this.drop(admin, schema, before, wrappers);
    }
  }

  private async drop(admin: pg.Client, schema: string, before: string[], wrappers: () => Promise<string[]>): Promise<void> {
    try {
      // Tables first: dropped with their schema, a table distributed on an enum
      // outlives its type in Citus's drop trigger ("cache lookup failed for type").
      const rels = await admin.query<{ r: string; kind: string }>(
        `SELECT c.oid::regclass::text AS r, c.relkind::text AS kind FROM pg_class c
          WHERE c.relnamespace = $1::regnamespace AND c.relkind IN ('r', 'p', 'f') AND NOT c.relispartition`,
        [schema],
      );
      const tables = rels.rows.filter((x) => x.kind !== 'f').map((x) => x.r);
      const foreign = rels.rows.filter((x) => x.kind === 'f').map((x) => x.r);
      if (tables.length) await admin.query(`DROP TABLE ${tables.join(', ')} CASCADE`);
      if (foreign.length) await admin.query(`DROP FOREIGN TABLE ${foreign.join(', ')} CASCADE`);
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      for (const w of await wrappers()) if (!before.includes(w)) await admin.query(`DROP FOREIGN DATA WRAPPER ${w} CASCADE`);
    } finally {
      await admin.end();
    }
  }
}
