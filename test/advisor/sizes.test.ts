/**
 * Sizes inferred from the schema alone, as an engineer would read them, and
 * what the advisor makes of them: growth down a chain of references is
 * bounded, the partitions of a partitioned table share its rows, a hub or a
 * table of polymorphic annotations is large, and a table inferred large is
 * never a reference table.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { recommend } from '../../src/advisor/index.js';
import { buildCatalog } from '../../src/catalog/index.js';
import { loadParser } from '../../src/ingest/pg/index.js';
import { estimateStats } from '../../src/stats/index.js';

beforeAll(async () => {
  await loadParser();
});

const catalogOf = (sql: string) => buildCatalog([{ file: 'schema.sql', text: sql }]).catalog;

/** A chain of `n` tables, each owned by the one before (and owning the next), under `root`. */
function chain(root: string, n: number): string {
  const out: string[] = [];
  let parent = root;
  for (let i = 1; i <= n; i++) {
    out.push(`CREATE TABLE level${i} (id bigint PRIMARY KEY, ${parent}_id bigint NOT NULL REFERENCES ${parent} ON DELETE CASCADE, name text, state int, flag boolean);`);
    parent = `level${i}`;
  }
  return out.join('\n');
}

describe('sizes inferred from the schema', () => {
  it('grows down a chain of references but not without bound: twelve levels deep is no larger than a few levels deep times ten', () => {
    const sql = `CREATE TABLE tenants (id bigint PRIMARY KEY, name text, plan text, created timestamptz, region text);\n${chain('tenants', 12)}
      CREATE TABLE level12_events (id bigint PRIMARY KEY, level12_id bigint NOT NULL REFERENCES level12, happened_at timestamptz NOT NULL);`;
    const stats = estimateStats(catalogOf(sql));
    const rows = (t: string) => stats.tables[`public.${t}`].rows;
    // each level at least as large as the one it belongs to, the first ones larger
    for (let i = 2; i <= 12; i++) expect(rows(`level${i}`)).toBeGreaterThanOrEqual(rows(`level${i - 1}`));
    expect(rows('level3')).toBeGreaterThan(rows('level1'));
    expect(rows('level1')).toBeGreaterThan(rows('tenants'));
    // ... but bounded: the deepest level is not 2^12 times the root, and its events ten times it at most
    expect(rows('level12')).toBeLessThanOrEqual(1000 * rows('tenants'));
    expect(rows('level12_events')).toBeLessThanOrEqual(10 * rows('level12'));
    expect(stats.tables['public.level12'].reason).toMatch(/bounded/);
  });

  it('sizes a partitioned table as the same table unpartitioned, and gives each partition a share of its rows', () => {
    const parts = (n: number) =>
      Array.from({ length: n }, (_, i) => `CREATE TABLE measurements_${i} PARTITION OF measurements FOR VALUES WITH (MODULUS ${n}, REMAINDER ${i});`).join('\n');
    const base = `CREATE TABLE devices (id bigint PRIMARY KEY, name text, kind text, installed timestamptz, site text);
      CREATE TABLE measurements (device_id bigint NOT NULL REFERENCES devices, taken_at timestamptz NOT NULL, value float8, PRIMARY KEY (device_id, taken_at))`;
    const plain = estimateStats(catalogOf(`${base};`)).tables['public.measurements'].rows;
    const stats = estimateStats(catalogOf(`${base} PARTITION BY HASH (device_id);\n${parts(16)}`));
    expect(stats.tables['public.measurements'].rows).toBe(plain);
    const shares = Array.from({ length: 16 }, (_, i) => stats.tables[`public.measurements_${i}`]);
    expect(Math.abs(shares.reduce((n, s) => n + s.rows, 0) - plain)).toBeLessThanOrEqual(16);
    for (const s of shares) expect(s.reason).toMatch(/partition of public\.measurements: a 1\/16 share/);
  });
});

/**
 * An application in the shape of a large Rails one: organizations > namespaces
 * > projects, a long chain of project-owned tables, users that most tables
 * reference, and comments that annotate whatever row their type column names
 * and belong to a project or a namespace (a CHECK says which may be NULL).
 */
function application(): string {
  const referrers = Array.from(
    { length: 24 },
    (_, i) => `CREATE TABLE user_things_${i} (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE, project_id bigint NOT NULL REFERENCES projects ON DELETE CASCADE, value text, created_at timestamptz);`,
  ).join('\n');
  return `
    CREATE TABLE organizations (id bigint PRIMARY KEY, name text NOT NULL, path text NOT NULL, created_at timestamptz, visibility int);
    CREATE TABLE users (id bigint PRIMARY KEY, organization_id bigint NOT NULL REFERENCES organizations, username text NOT NULL, email text NOT NULL, last_activity_on date);
    CREATE TABLE namespaces (id bigint PRIMARY KEY, organization_id bigint NOT NULL REFERENCES organizations, name text NOT NULL, path text NOT NULL, owner_id bigint REFERENCES users);
    CREATE TABLE projects (id bigint PRIMARY KEY, namespace_id bigint NOT NULL REFERENCES namespaces ON DELETE CASCADE, name text NOT NULL, path text NOT NULL, creator_id bigint REFERENCES users);
    CREATE TABLE issues (id bigint PRIMARY KEY, project_id bigint NOT NULL REFERENCES projects ON DELETE CASCADE, author_id bigint REFERENCES users, title text, created_at timestamptz);
    ${chain('issues', 10).replace(/issues_id/g, 'issue_id')}
    CREATE TABLE comments (
      id bigint PRIMARY KEY, commentable_type varchar NOT NULL, commentable_id bigint NOT NULL, author_id bigint REFERENCES users,
      project_id bigint REFERENCES projects ON DELETE CASCADE, namespace_id bigint REFERENCES namespaces ON DELETE CASCADE, body text, created_at timestamptz,
      CONSTRAINT comments_parent CHECK (num_nonnulls(project_id, namespace_id) >= 1));
    CREATE TABLE comment_mentions (id bigint PRIMARY KEY, comment_id bigint NOT NULL REFERENCES comments ON DELETE CASCADE, user_id bigint REFERENCES users);
    CREATE TABLE comment_diffs (id bigint PRIMARY KEY, comment_id bigint NOT NULL REFERENCES comments ON DELETE CASCADE, diff text);
    CREATE TABLE visibility_levels (id int PRIMARY KEY, name text NOT NULL);
    ALTER TABLE projects ADD COLUMN visibility_level int REFERENCES visibility_levels;
    ${referrers}`;
}

describe('the advisor on sizes inferred from the schema', () => {
  it('makes a table of polymorphic annotations large, and distributes it on a key of its own when its parents are an either-or, saying why', () => {
    const catalog = catalogOf(application());
    const advice = recommend(catalog, undefined, estimateStats(catalog));
    const comments = advice.tables['public.comments'];
    expect(comments.rows).toBeGreaterThanOrEqual(advice.tables['public.issues'].rows!);
    expect(comments.rowsReason).toMatch(/polymorphic reference commentable_id/);
    expect(comments.kind).toBe('distributed');
    expect(comments.column).toBe('id');
    const why = comments.reasons.join('\n');
    expect(why).toMatch(/large by its inferred size/);
    expect(why).toMatch(/CHECK comments_parent makes its parents an either-or/);
  });

  it('makes a hub most tables reference large, and no table inferred large a reference table', () => {
    const catalog = catalogOf(application());
    const advice = recommend(catalog, undefined, estimateStats(catalog));
    expect(advice.tables['public.users'].rowsReason).toMatch(/referenced by 2\d tables/);
    expect(advice.tables['public.users'].kind).toBe('distributed');
    const largest = Math.max(...Object.values(advice.tables).map((t) => t.rows ?? 0));
    const replicated = Object.values(advice.tables).filter((t) => t.kind === 'reference');
    // the lookup stays a reference table: small next to the large ones
    expect(advice.design.tables['public.visibility_levels']).toEqual({ kind: 'reference' });
    for (const t of replicated) expect(t.rows! / largest, t.table).toBeLessThanOrEqual(0.02);
  });
});
