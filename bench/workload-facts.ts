/**
 * Query facts extraction rate: the TPC-H and TPC-C statements of the corpus,
 * repeated to N extractions (default 100 000), parse trees made once up front
 * and, separately, parse + extract from SQL text.
 *
 *   node --import tsx bench/workload-facts.ts [N]
 *
 * The corpus is found at $SHARDWISE_CORPUS, else ../shared/corpus beside the repository.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSchema } from '../src/catalog/index.js';
import { readScript, type Statement } from '../src/ingest/pg/index.js';
import { FactExtractor } from '../src/workload/extract.js';

const total = Number(process.argv[2] ?? 100_000);
const root = process.env.SHARDWISE_CORPUS ?? resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'corpus');
if (!existsSync(root)) throw new Error(`corpus not found at ${root}: set SHARDWISE_CORPUS`);

const work: Array<{ x: FactExtractor; stmt: Statement }> = [];
for (const name of ['tpch', 'benchbase-tpcc']) {
  const dir = join(root, name);
  const { catalog } = await readSchema([{ file: 'schema.sql', text: readFileSync(join(dir, 'schema.sql'), 'utf8') }]);
  const x = new FactExtractor(catalog);
  for (const stmt of readScript('queries.sql', readFileSync(join(dir, 'queries.sql'), 'utf8')).statements) if (stmt.node) work.push({ x, stmt });
}

function run(label: string, n: number, one: (i: number) => unknown): void {
  for (let i = 0; i < Math.min(n, 2000); i++) one(i); // warm-up
  const t0 = process.hrtime.bigint();
  let sink = 0;
  for (let i = 0; i < n; i++) sink += one(i) ? 1 : 0;
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`${label}: ${n} statements in ${s.toFixed(2)} s = ${Math.round(n / s).toLocaleString('en-US')} queries/s (${sink === n ? 'ok' : 'mismatch'})`);
}

console.log(`${work.length} distinct statements (TPC-H + TPC-C), node ${process.version}`);
run('facts from parse trees', total, (i) => {
  const w = work[i % work.length];
  return w.x.extract(w.stmt);
});
run('parse + facts from SQL text', Math.min(total, 20_000), (i) => {
  const w = work[i % work.length];
  return w.x.extract(w.stmt.sql);
});
