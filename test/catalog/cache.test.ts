/**
 * The schema cache: a second run reads the catalog from it and prints the
 * same bytes; a changed schema, a corrupt or foreign entry, another version
 * miss it; --no-cache and a directory that cannot be written leave nothing.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { beforeAll, describe, expect, it } from 'vitest';
import { cacheKey, readSchemaCatalog } from '../../src/catalog/cache.js';
import { buildCatalog } from '../../src/catalog/index.js';
import { loadParser } from '../../src/ingest/pg/index.js';
import { corpusDir } from '../support/corpus.js';
import { runCli } from '../lint/support.js';

beforeAll(async () => {
  await loadParser();
});

const SCHEMA = `CREATE TABLE accounts (id bigint PRIMARY KEY, name text);
CREATE TABLE orders (id bigint, account_id bigint REFERENCES accounts (id), total numeric, PRIMARY KEY (account_id, id));
`;

function tmp(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `shardwise-cache-${prefix}-`));
}

function entries(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

const cli = runCli;

describe('readSchemaCatalog', () => {
  const inputs = [{ file: 'schema.sql', text: SCHEMA }];
  const expected = () => buildCatalog(inputs).catalog;

  it('stores the catalog, then reads it back equal without parsing', async () => {
    const dir = join(tmp('store'), 'shardwise');
    const cache = { dir, version: '1.2.3' };
    expect(await readSchemaCatalog(inputs, cache)).toEqual(expected());
    const [entry] = entries(dir);
    expect(entry).toBe(`catalog-${cacheKey(inputs, '1.2.3')}.v8`);
    const written = statSync(join(dir, entry)).mtimeMs;
    expect(await readSchemaCatalog(inputs, cache)).toEqual(expected());
    expect(entries(dir)).toEqual([entry]);
    expect(statSync(join(dir, entry)).mtimeMs).toBe(written); // a hit writes nothing
  });

  it('a changed schema, file name or version is another entry', async () => {
    const dir = join(tmp('miss'), 'shardwise');
    const cache = { dir, version: '1.2.3' };
    await readSchemaCatalog(inputs, cache);
    const changed = [{ file: 'schema.sql', text: SCHEMA.replace('name text', 'name text, plan text') }];
    const catalog = await readSchemaCatalog(changed, cache);
    expect(catalog.tables['public.accounts'].columns.map((c) => c.name)).toEqual(['id', 'name', 'plan']);
    expect(entries(dir)).toHaveLength(2);
    const renamed = await readSchemaCatalog([{ file: 'db/structure.sql', text: SCHEMA }], cache);
    expect(renamed.tables['public.accounts'].location.file).toBe('db/structure.sql');
    await readSchemaCatalog(inputs, { dir, version: '1.2.4' });
    expect(entries(dir)).toHaveLength(4);
    expect(new Set([cacheKey(inputs, '1.2.3'), cacheKey(changed, '1.2.3'), cacheKey(inputs, '1.2.4')]).size).toBe(3);
  });

  it('a corrupt or foreign entry is ignored and written again', async () => {
    const dir = join(tmp('corrupt'), 'shardwise');
    const cache = { dir, version: '1.2.3' };
    await readSchemaCatalog(inputs, cache);
    const path = join(dir, entries(dir)[0]);
    const good = readFileSync(path);
    for (const bad of [
      Buffer.from('not a cache entry'),
      good.subarray(0, good.length >> 1),
      serialize({ magic: 'another-program', kind: 'catalog', format: 2, version: '1.2.3', key: cacheKey(inputs, '1.2.3'), value: { tables: {} } }),
      serialize({ magic: 'shardwise-cache', kind: 'catalog', format: 2, version: '0.0.1', key: cacheKey(inputs, '1.2.3'), value: { tables: {} } }),
      serialize({ magic: 'shardwise-cache', kind: 'design', format: 2, version: '1.2.3', key: cacheKey(inputs, '1.2.3'), value: { tables: {} } }),
      serialize(null),
    ]) {
      writeFileSync(path, bad);
      expect(await readSchemaCatalog(inputs, cache)).toEqual(expected());
      expect(readFileSync(path).equals(good)).toBe(true);
    }
  });

  it('a directory that cannot be made is skipped without a word', async () => {
    const base = tmp('unwritable');
    writeFileSync(join(base, 'file'), 'a file where the directory would be');
    const cache = { dir: join(base, 'file', 'shardwise'), version: '1.2.3' };
    expect(await readSchemaCatalog(inputs, cache)).toEqual(expected());
    expect(entries(base)).toEqual(['file']);
  });
});

describe('lint and analyze through the cache', () => {
  const gitlabLike = join(corpusDir(), 'lago-api', 'schema.sql');
  const migration = 'ALTER TABLE invoices ADD COLUMN reviewed boolean DEFAULT false;\nCREATE TABLE reviews (id uuid PRIMARY KEY, organization_id uuid NOT NULL, body text);\n';

  it('a second run prints the same bytes from the cache; --no-cache writes nothing', async () => {
    const cwd = tmp('cli');
    const xdg = join(cwd, 'xdg');
    writeFileSync(join(cwd, 'm.sql'), migration);
    const env = { XDG_CACHE_HOME: xdg };
    const plan = await cli(['analyze', '-q', gitlabLike, '--write-plan', '--plan-out', 'p.yaml'], cwd, env);
    expect(plan.code).toBe(0);
    const cached = entries(join(xdg, 'shardwise'));
    expect(cached).toHaveLength(1);
    const lint = ['lint', '-q', '--schema', gitlabLike, '--plan', 'p.yaml', 'm.sql'];
    const first = await cli(lint, cwd, env);
    const mtime = statSync(join(xdg, 'shardwise', cached[0])).mtimeMs;
    const second = await cli(lint, cwd, env);
    expect(second).toEqual(first);
    expect(first.stdout).toMatch(/MIG02/);
    expect(statSync(join(xdg, 'shardwise', cached[0])).mtimeMs).toBe(mtime);
    const uncached = await cli([...lint, '--no-cache'], cwd, { XDG_CACHE_HOME: join(cwd, 'other') });
    expect(uncached).toEqual(first);
    expect(existsSync(join(cwd, 'other'))).toBe(false);
    // analyze answers the same from the cache, code frames included
    const a1 = await cli(['analyze', '-q', gitlabLike, '--verbose'], cwd, env);
    const a2 = await cli(['analyze', '-q', gitlabLike, '--verbose', '--no-cache'], cwd, env);
    expect(a1).toEqual(a2);
    // a changed schema misses
    writeFileSync(join(cwd, 'schema.sql'), readFileSync(gitlabLike, 'utf8') + '\nCREATE TABLE extra (id bigint PRIMARY KEY);\n');
    const changed = await cli(['lint', '-q', '--schema', 'schema.sql', '--plan', 'p.yaml', 'm.sql'], cwd, env);
    expect(changed.code).toBe(first.code);
    expect(entries(join(xdg, 'shardwise')).filter((e) => e.startsWith('catalog-'))).toHaveLength(2);
    // the plan was read once: one entry, not written again by the later runs
    expect(entries(join(xdg, 'shardwise')).filter((e) => e.startsWith('design-'))).toHaveLength(1);
  }, 180_000);

  it('a plan read from the cache places its problems as the YAML does; an edited plan misses', async () => {
    const cwd = tmp('plan');
    const xdg = join(cwd, 'xdg');
    const env = { XDG_CACHE_HOME: xdg };
    writeFileSync(join(cwd, 's.sql'), SCHEMA);
    writeFileSync(join(cwd, 'm.sql'), 'ALTER TABLE accounts ADD COLUMN plan text;\n');
    writeFileSync(join(cwd, 'p.yaml'), 'citus: "13.0"\ntables:\n  accounts: { kind: distributed, column: id }\n  orders: { kind: distributed, column: account_id, colocate_with: accounts }\n');
    const lint = ['lint', '-q', '--schema', 's.sql', '--plan', 'p.yaml', 'm.sql'];
    const first = await cli(lint, cwd, env);
    expect(first.code).toBe(0);
    const designs = () => entries(join(xdg, 'shardwise')).filter((e) => e.startsWith('design-'));
    expect(designs()).toHaveLength(1);
    expect(await cli(lint, cwd, env)).toEqual(first);
    // the same plan against a schema without `orders`: the problem at the plan's own line and column, from the cached document
    writeFileSync(join(cwd, 's.sql'), SCHEMA.split('\n')[0] + '\n');
    const missing = await cli(lint, cwd, env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('p.yaml:4:3: table orders is not in the schema');
    expect(await cli([...lint, '--no-cache'], cwd, {})).toEqual(missing);
    expect(designs()).toHaveLength(1);
    // an edited plan is another entry
    writeFileSync(join(cwd, 'p.yaml'), 'citus: "13.0"\ntables:\n  accounts: { kind: reference }\n');
    expect((await cli(lint, cwd, env)).code).toBe(0);
    expect(designs()).toHaveLength(2);
  });

  it('without HOME or XDG_CACHE_HOME in the environment there is no cache', async () => {
    const cwd = tmp('nohome');
    writeFileSync(join(cwd, 's.sql'), SCHEMA);
    writeFileSync(join(cwd, 'm.sql'), 'ALTER TABLE accounts ADD COLUMN plan text;\n');
    const run = await cli(['lint', '-q', '--schema', 's.sql', 'm.sql'], cwd, { XDG_CACHE_HOME: 'relative/dir' });
    expect(run.code).toBe(0);
    expect(entries(cwd)).toEqual(['m.sql', 's.sql']);
  });
});
