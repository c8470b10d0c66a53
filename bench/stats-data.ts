/**
 * Throughput of exact statistics on the data of a dump: generates one large
 * COPY block (default 5,000,000 rows; `--rows N`), then measures
 * `statsFromData` on it. Prints rows/s and peak RSS.
 *
 *   node --import tsx bench/stats-data.ts [--rows N] [--keep]
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { buildCatalog } from '../src/catalog/index.js';
import { loadParser } from '../src/ingest/pg/index.js';
import { statsFromData } from '../src/stats/index.js';
import { rng } from './support/random.js';

const args = process.argv.slice(2);
const rowsArg = args.indexOf('--rows');
const ROWS = rowsArg >= 0 ? Number(args[rowsArg + 1]) : 5_000_000;

const schema = `CREATE TABLE public.events (
  event_id bigint PRIMARY KEY,
  tenant_id int NOT NULL,
  device_id int,
  kind text NOT NULL,
  payload text,
  created_at timestamptz NOT NULL
);`;

async function generate(file: string): Promise<{ start: number; end: number }> {
  const out = createWriteStream(file);
  const head = `-- generated\nCOPY public.events (event_id, tenant_id, device_id, kind, payload, created_at) FROM stdin;\n`;
  const start = Buffer.byteLength(head);
  out.write(head);
  const r = rng(42);
  const kinds = ['click', 'view', 'purchase', 'signup', 'logout', 'error\\tcode'];
  let chunk: string[] = [];
  const t0 = Date.UTC(2024, 0, 1) / 1000;
  for (let i = 1; i <= ROWS; i++) {
    // tenants: Zipf-like skew (a few very large tenants)
    const tenant = Math.floor(1 / (r() + 1e-4)) % 50_000;
    const device = r() < 0.05 ? '\\N' : String(Math.floor(r() * 2_000_000));
    const kind = kinds[Math.floor(r() * r() * kinds.length)];
    const payload = r() < 0.3 ? '\\N' : `p${Math.floor(r() * 1e9).toString(36)}`;
    const ts = new Date((t0 + Math.floor(r() * 86400 * 365)) * 1000).toISOString().replace('T', ' ').replace('.000Z', '+00');
    chunk.push(`${i}\t${tenant}\t${device}\t${kind}\t${payload}\t${ts}\n`);
    if (chunk.length === 10_000) {
      if (!out.write(chunk.join(''))) await once(out, 'drain');
      chunk = [];
    }
  }
  out.write(chunk.join(''));
  out.write('\\.\n\n');
  out.end();
  await once(out, 'finish');
  const end = statSync(file).size - 4;
  return { start, end };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'shardwise-bench-'));
  const file = join(dir, 'data.sql');
  try {
    const g0 = performance.now();
    const { start, end } = await generate(file);
    const genMs = performance.now() - g0;
    await loadParser();
    const { catalog: base } = buildCatalog([{ file: 'schema.sql', text: schema }]);
    const catalog = {
      ...base,
      data: [
        {
          table: 'public.events',
          kind: 'copy' as const,
          file,
          columns: ['event_id', 'tenant_id', 'device_id', 'kind', 'payload', 'created_at'],
          startByte: start,
          endByte: end,
          location: { file: 'data.sql', line: 2, column: 1 },
        },
      ],
    };
    let peak = process.memoryUsage().rss;
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 50);
    const t0 = performance.now();
    const stats = await statsFromData(catalog);
    const ms = performance.now() - t0;
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    const t = stats.tables['public.events'];
    const mb = (end - start) / 1e6;
    const lines = [
      `rows            ${t.rows.toLocaleString('en-US')} (${mb.toFixed(0)} MB of COPY text, generated in ${(genMs / 1000).toFixed(1)} s)`,
      `time            ${(ms / 1000).toFixed(2)} s`,
      `throughput      ${Math.round(t.rows / (ms / 1000)).toLocaleString('en-US')} rows/s, ${(mb / (ms / 1000)).toFixed(1)} MB/s`,
      `peak RSS        ${(peak / 1048576).toFixed(0)} MB`,
      ...Object.entries(t.columns).map(
        ([c, s]) => `  ${c.padEnd(12)} nDistinct ${String(s.nDistinct).padStart(9)}  nulls ${s.nullFraction.toFixed(3)}  ${s.approximate ? 'sketch' : 'exact '}  top ${s.mostCommon[0]?.value ?? '-'} (${((s.mostCommon[0]?.frequency ?? 0) * 100).toFixed(2)} %)`,
      ),
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
