/**
 * Huge inputs in bounded memory: a generated pg_dump (a corpus schema, then
 * COPY data for its tables making up most of the bytes) and a generated
 * stderr server log, each of SIZE (default 1 GB), read by `shardwise analyze`
 * in a fresh process: the dump as the schema (its COPY data read for the
 * statistics), the log as the workload. Prints the time and the peak RSS of
 * each run (target: under 500 MB). Inputs are written to a temporary
 * directory, removed after.
 *
 *   node --import tsx bench/big-inputs.ts [MB] [--keep]    # default 1000 MB; --keep: leave the inputs
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSchema, type Column, type Table } from '../src/catalog/index.js';
import { main } from '../src/cli/main.js';
import { corpusDir } from '../test/support/corpus.js';
import { rng } from './support/random.js';

const self = fileURLToPath(import.meta.url);

/** Child: run one command; print its time and the process's peak RSS. */
if (process.argv[2] === '--one') {
  const [cwd, ...argv] = process.argv.slice(3);
  const sink = { write: () => true, isTTY: false };
  const t0 = performance.now();
  const code = await main(argv, { stdout: sink, stderr: { write: (s: string) => process.stderr.write(s), isTTY: false }, env: { NO_COLOR: '1' }, cwd });
  const ms = performance.now() - t0;
  process.stdout.write(JSON.stringify({ ms, code, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

const args = process.argv.slice(2);
const MB = Number(args.find((a) => /^\d+$/.test(a)) ?? 1000);
const BYTES = MB * 1e6;
const SCHEMA = join(corpusDir(), 'lago-api', 'schema.sql');

async function write(out: WriteStream, s: string): Promise<void> {
  if (!out.write(s)) await once(out, 'drain');
}

async function close(out: WriteStream): Promise<void> {
  out.end();
  await once(out, 'finish');
}

/** A COPY text value of the column's type, or undefined when the bench does not make that type. */
function value(c: Column, row: number, r: () => number): string | undefined {
  if (!c.notNull && r() < 0.1) return '\\N';
  const t = c.type.arrayDims ? 'array' : c.type.base;
  switch (t) {
    case 'int2':
      return String(Math.floor(r() * 30000));
    case 'int4':
    case 'int8':
    case 'numeric':
      return String(c.serial || c.identity ? row : Math.floor(r() * 1e6));
    case 'float4':
    case 'float8':
      return (r() * 1000).toFixed(3);
    case 'bool':
      return r() < 0.5 ? 't' : 'f';
    case 'text':
    case 'varchar':
    case 'bpchar':
    case 'citext':
      return `v${Math.floor(r() * 1e9).toString(36)}\\tx`;
    case 'uuid': {
      const h = (n: number) => Math.floor(r() * 16 ** n).toString(16).padStart(n, '0');
      return c.name === 'organization_id' ? `00000000-0000-4000-8000-${String(Math.floor(r() * 50)).padStart(12, '0')}` : `${h(8)}-${h(4)}-4${h(3)}-8${h(3)}-${h(8)}${h(4)}`;
    }
    case 'timestamp':
    case 'timestamptz':
      return new Date(Date.UTC(2024, 0, 1) + Math.floor(r() * 3e10)).toISOString().replace('T', ' ').replace('Z', '');
    case 'date':
      return new Date(Date.UTC(2024, 0, 1) + Math.floor(r() * 3e10)).toISOString().slice(0, 10);
    case 'jsonb':
    case 'json':
      return `{"k": ${Math.floor(r() * 100)}}`;
    default:
      return c.notNull ? undefined : '\\N';
  }
}

/** The schema, then one COPY block per table whose columns the bench can fill, the bytes shared out Zipf-like. */
async function generateDump(path: string): Promise<{ tables: number; rows: number }> {
  const text = readFileSync(SCHEMA, 'utf8');
  const { catalog } = await readSchema([{ file: 'schema.sql', text }]);
  const tables = Object.values(catalog.tables)
    .filter((t: Table) => t.relkind === 'table' && t.columns.every((c) => c.generated || value(c, 1, () => 0.5) !== undefined))
    .sort((a, b) => a.key.localeCompare(b.key));
  const out = createWriteStream(path);
  await write(out, text);
  const budget = BYTES - text.length;
  const weights = tables.map((_, i) => 1 / (i + 1));
  const total = weights.reduce((s, w) => s + w, 0);
  const r = rng(42);
  let rows = 0;
  for (const [i, t] of tables.entries()) {
    const cols = t.columns.filter((c) => !c.generated);
    const share = (budget * weights[i]) / total;
    await write(out, `\n--\n-- Data for Name: ${t.name}; Type: TABLE DATA; Schema: ${t.schema}; Owner: -\n--\n\nCOPY ${t.schema}.${t.name} (${cols.map((c) => c.name).join(', ')}) FROM stdin;\n`);
    let written = 0;
    let chunk: string[] = [];
    for (let row = 1; written < share; row++) {
      const line = cols.map((c) => value(c, row, r)).join('\t') + '\n';
      written += line.length;
      rows++;
      chunk.push(line);
      if (chunk.length === 5000) {
        await write(out, chunk.join(''));
        chunk = [];
      }
    }
    await write(out, chunk.join('') + '\\.\n');
  }
  await close(out);
  return { tables: tables.length, rows };
}

/** A stderr log (default prefix, log_statement = all) of lago-api-like queries with varying constants. */
async function generateLog(path: string): Promise<number> {
  const out = createWriteStream(path);
  const r = rng(7);
  let bytes = 0;
  let lines = 0;
  let ms = 0;
  const prefix = (pid: number): string => {
    ms = (ms + 1) % 1000;
    return `2026-11-22 02:30:20.${String(ms).padStart(3, '0')} UTC [${pid}] `;
  };
  let chunk: string[] = [];
  while (bytes < BYTES) {
    const pid = 1000 + Math.floor(r() * 8);
    const org = `00000000-0000-4000-8000-${String(Math.floor(r() * 50)).padStart(12, '0')}`;
    const n = Math.floor(r() * 1e6);
    const k = r();
    let s: string;
    if (k < 0.4) s = `${prefix(pid)}LOG:  statement: SELECT * FROM invoices WHERE organization_id = '${org}' AND number = 'INV-${n}'\n`;
    else if (k < 0.6) s = `${prefix(pid)}LOG:  statement: SELECT f.id, f.amount_cents\n\t  FROM fees f\n\t  JOIN invoices i ON i.id = f.invoice_id\n\t WHERE i.organization_id = '${org}'\n\t   AND f.created_at > '2026-01-${String((n % 28) + 1).padStart(2, '0')}'\n`;
    else if (k < 0.8) s = `${prefix(pid)}LOG:  execute <unnamed>: UPDATE customers SET name = $1 WHERE organization_id = $2 AND external_id = $3\n${prefix(pid)}DETAIL:  parameters: $1 = 'name ''${n}''', $2 = '${org}', $3 = '${n}'\n`;
    else s = `${prefix(pid)}LOG:  statement: BEGIN\n${prefix(pid)}LOG:  statement: INSERT INTO events (organization_id, transaction_id, code, timestamp) VALUES ('${org}', 't${n}', 'api_call', now())\n${prefix(pid)}LOG:  statement: COMMIT\n`;
    bytes += s.length;
    lines += s.split('\n').length - 1;
    chunk.push(s);
    if (chunk.length === 5000) {
      await write(out, chunk.join(''));
      chunk = [];
    }
  }
  await write(out, chunk.join(''));
  await close(out);
  return lines;
}

function run(cwd: string, argv: string[]): { ms: number; code: number; maxRssMb: number } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--one', cwd, ...argv], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(r.stdout) as { ms: number; code: number; maxRssMb: number };
}

const report = (label: string, x: { ms: number; code: number; maxRssMb: number }): void =>
  console.log(`${label}: ${(x.ms / 1000).toFixed(1)} s, peak RSS ${x.maxRssMb.toFixed(0)} MB (target < 500 MB), exit ${x.code}`);

const dir = mkdtempSync(join(tmpdir(), 'shardwise-bench-big-'));
try {
  const t0 = performance.now();
  const dump = await generateDump(join(dir, 'dump.sql'));
  console.log(`dump: ${(statSync(join(dir, 'dump.sql')).size / 1e6).toFixed(0)} MB, lago-api schema + ${dump.rows.toLocaleString('en-US')} COPY rows in ${dump.tables} tables (generated in ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  report('analyze dump.sql', run(dir, ['analyze', '-q', '--no-cache', 'dump.sql']));
  if (!args.includes('--keep')) rmSync(join(dir, 'dump.sql'));
  const t1 = performance.now();
  const lines = await generateLog(join(dir, 'postgresql.log'));
  console.log(`log: ${(statSync(join(dir, 'postgresql.log')).size / 1e6).toFixed(0)} MB, ${lines.toLocaleString('en-US')} lines (generated in ${((performance.now() - t1) / 1000).toFixed(0)} s)`);
  copyFileSync(SCHEMA, join(dir, 'schema.sql'));
  report('analyze schema.sql --workload postgresql.log', run(dir, ['analyze', '-q', '--no-cache', 'schema.sql', '--workload', 'postgresql.log']));
} finally {
  if (args.includes('--keep')) console.log(`inputs kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
