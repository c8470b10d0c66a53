/**
 * Reader (a): the pg_stats / pg_class export made with the exact \copy
 * commands of docs/stats.md, against pg_stats and pg_class queried directly.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/ingest/files.js';
import { loadParser } from '../../src/ingest/pg/index.js';
import { readStatsFiles } from '../../src/stats/index.js';
import { findPgBinDir } from '../support/cluster.js';
import { repoRoot } from '../support/corpus.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { catalogOf, dataset, loadDataset } from './oracle.js';

let db: TestDatabase;
let dir: string;
const raw = { getTypeParser: () => (v: string) => v } as never;

/** The \copy lines of docs/stats.md, as a user would paste them into psql. */
function documentedCommands(): string[] {
  const doc = readFileSync(join(repoRoot, 'docs', 'stats.md'), 'utf8');
  return doc.split('\n').filter((l) => l.startsWith('\\copy '));
}

function psqlScript(cwd: string, lines: string[]): void {
  const file = join(cwd, 'export.psql');
  writeFileSync(file, lines.join('\n') + '\n');
  execFileSync(join(findPgBinDir(), 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', db.url, '-f', file], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(async () => {
  await loadParser();
  dir = mkdtempSync(join(tmpdir(), 'shardwise-stats-export-'));
  db = await createTestDatabase('st_export');
  loadDataset(db.url, dataset('pagila'));
  // values that need quoting and escaping in array text, frequent enough to be most common values
  await db.client.query(`CREATE TABLE public.quirky (id int PRIMARY KEY, label text, n numeric, tags text[], fraction_col int)`);
  await db.client.query(`
    INSERT INTO public.quirky
    SELECT g,
           (ARRAY['plain', 'with space', 'comma,inside', 'quote"inside', 'back\\slash', 'brace{', 'NULL', '', ' lead', 'tab\tx', 'ünï'])[1 + g % 11],
           (g % 7) * 1.5,
           ARRAY['a' || (g % 3), 'b c'],
           g / 3
    FROM generate_series(1, 5000) g`);
  await db.client.query('ANALYZE');
}, 180_000);
afterAll(async () => {
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('readStatsFiles on an export made with the documented psql commands', () => {
  it('the documentation holds one \\copy for pg_stats and one for pg_class', () => {
    const cmds = documentedCommands();
    expect(cmds).toHaveLength(2);
    expect(cmds[0]).toContain('FROM pg_stats');
    expect(cmds[1]).toContain('FROM pg_class');
  });

  it('gives the rows, n_distinct, null fractions and most common values pg_stats holds', async () => {
    const sub = mkdtempSync(join(dir, 'a-'));
    psqlScript(sub, documentedCommands());
    const catalog = await catalogOf([dataset('pagila').schema]);
    // order and names do not matter: the header tells which file is which
    const stats = await readStatsFiles(['pg_class.csv', join(sub, 'pg_stats.csv')], sub, catalog);

    const classRows = (
      await db.client.query(
        `SELECT n.nspname || '.' || c.relname AS key, c.relkind, c.reltuples::float8 AS reltuples, pg_total_relation_size(c.oid)::float8 AS bytes
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r','p') AND n.nspname NOT IN ('pg_catalog','information_schema') AND n.nspname NOT LIKE 'pg_toast%'`,
      )
    ).rows;
    expect(classRows.length).toBeGreaterThan(20);
    for (const r of classRows) {
      const t = stats.tables[r.key];
      expect(t, r.key).toBeDefined();
      expect(t.source).toBe('pg_stats');
      expect(t.estimated).toBe(false);
      if (r.relkind === 'r') {
        expect(t.rows, r.key).toBe(Math.round(r.reltuples));
        expect(t.bytes, r.key).toBe(r.bytes);
      } else {
        // partitioned parent: the whole hierarchy
        const { rows } = await db.client.query(`SELECT count(*)::int AS n FROM ${r.key}`);
        expect(t.rows, r.key).toBe(rows[0].n);
      }
    }

    const statRows = (
      await db.client.query({
        text: `SELECT s.schemaname || '.' || s.tablename AS key, s.attname, s.inherited, s.null_frac::text AS null_frac, s.avg_width,
                      CASE WHEN s.n_distinct < 0 THEN round(-s.n_distinct * c.reltuples)
                           ELSE s.n_distinct END::float8 AS abs_distinct,
                      array_to_json(s.most_common_vals::text::text[])::text AS mcv, s.most_common_freqs::text AS mcf, c.relkind
               FROM pg_stats s JOIN pg_namespace n ON n.nspname = s.schemaname JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = s.tablename
               WHERE s.schemaname NOT IN ('pg_catalog','information_schema')`,
        types: raw,
      })
    ).rows;
    let checked = 0;
    let withMcv = 0;
    for (const r of statRows) {
      // the reader takes the hierarchy's row for a partitioned table, the table's own otherwise
      if ((r.relkind === 'p') !== (r.inherited === 't')) continue;
      const col = stats.tables[r.key]?.columns[r.attname];
      expect(col, `${r.key}.${r.attname}`).toBeDefined();
      expect(col.nullFraction, `${r.key}.${r.attname}`).toBe(Number(r.null_frac));
      expect(col.avgWidth).toBe(Number(r.avg_width));
      expect(col.nDistinct, `${r.key}.${r.attname}`).toBe(Math.round(Number(r.abs_distinct)));
      // PostgreSQL itself splits the array text (anyarray -> text -> text[])
      const mcv: string[] = r.mcv === null ? [] : JSON.parse(r.mcv);
      expect(col.mostCommon.map((m) => m.value), `${r.key}.${r.attname}`).toEqual(mcv);
      const mcf: number[] = r.mcf === null ? [] : r.mcf.slice(1, -1).split(',').map(Number);
      expect(col.mostCommon.map((m) => m.frequency)).toEqual(mcf);
      if (mcv.length) withMcv++;
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
    expect(withMcv).toBeGreaterThan(20);
    // the quoting cases made it through
    expect(new Set(stats.tables['public.quirky'].columns.label.mostCommon.map((m) => m.value))).toEqual(
      new Set(['plain', 'with space', 'comma,inside', 'quote"inside', 'back\\slash', 'brace{', 'NULL', '', ' lead', 'tab\tx', 'ünï']),
    );
    expect(stats.tables['public.quirky'].columns.tags.mostCommon.map((m) => m.value).sort()).toEqual(['{a0,"b c"}', '{a1,"b c"}', '{a2,"b c"}']);
  });

  it('skips a malformed row with a warning at its line and column; the rest is read', async () => {
    const sub = mkdtempSync(join(dir, 'bad-'));
    psqlScript(sub, documentedCommands());
    const catalog = await catalogOf([dataset('pagila').schema]);
    const lines = readFileSync(join(sub, 'pg_stats.csv'), 'utf8').split('\n');
    const good = await readStatsFiles(['pg_stats.csv', 'pg_class.csv'], sub, catalog);
    /** 1-based column where field i (0-based) of a line starts (the exports' fields here hold no commas before field 7). */
    const col = (l: string, i: number) => l.split(',').slice(0, i).join(',').length + (i ? 2 : 1);
    const cases: Array<[string, (fields: string) => string, (l: string) => RegExp]> = [
      ['n_distinct not a number', (l) => l.replace(/^((?:[^,]*,){6})[^,]*/, '$1lots'), (l) => new RegExp(`^pg_stats\\.csv:4:${col(l, 6)}: n_distinct is not a number: "lots"; the row was skipped$`)],
      ['too few fields', (l) => l.split(',').slice(0, 3).join(','), (l) => new RegExp(`^pg_stats\\.csv:4:${l.length + 1}: expected 9 fields, found 3; the row was skipped$`)],
    ];
    for (const [what, edit, re] of cases) {
      const copy = [...lines];
      copy[3] = edit(copy[3]);
      writeFileSync(join(sub, 'pg_stats.csv'), copy.join('\n'));
      const stats = await readStatsFiles(['pg_stats.csv', 'pg_class.csv'], sub, catalog);
      expect(stats.warnings?.filter((w) => w.startsWith('pg_stats.csv:')), what).toEqual([expect.stringMatching(re(copy[3]))]);
      // every other row is still read
      expect(Object.keys(stats.tables), what).toEqual(Object.keys(good.tables));
    }
    const copy = [...lines];
    copy[3] = copy[3] + ',"oops';
    writeFileSync(join(sub, 'pg_stats.csv'), copy.join('\n'));
    const err = await readStatsFiles(['pg_stats.csv', 'pg_class.csv'], sub, catalog).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(/^pg_stats\.csv:4:\d+: malformed CSV/);
    expect(err.file).toBe('pg_stats.csv');
    writeFileSync(join(sub, 'pg_stats.csv'), 'schemaname,tablename,attname,null_frac,n_distinct,most_common_vals,most_common_freqs\npublic,actor,x,0,5,"{a,b",{0.5}\n');
    const arr = await readStatsFiles(['pg_stats.csv'], sub, catalog);
    expect(arr.warnings).toContainEqual(expect.stringMatching(/^pg_stats\.csv:2:20: most_common_vals is not PostgreSQL array text/));
    writeFileSync(join(sub, 'other.csv'), 'a,b\n1,2\n');
    const err2 = await readStatsFiles(['other.csv'], sub, catalog).catch((e) => e);
    expect(err2.message).toMatch(/^other\.csv:1:1: not a pg_stats or pg_class export/);
  });

  it('leaves out a never-analyzed table, with a warning', async () => {
    await db.client.query('CREATE TABLE public.fresh (id int)');
    const sub = mkdtempSync(join(dir, 'fresh-'));
    psqlScript(sub, documentedCommands());
    const { rows } = await db.client.query(`SELECT reltuples FROM pg_class WHERE oid = 'public.fresh'::regclass`);
    expect(rows[0].reltuples).toBe(-1);
    const stats = await readStatsFiles(['pg_stats.csv', 'pg_class.csv'], sub, await catalogOf([dataset('pagila').schema]));
    expect(stats.tables['public.fresh']).toBeUndefined();
    expect(stats.warnings).toContain('public.fresh: never analyzed (reltuples = -1); run ANALYZE before exporting');
  });
});
