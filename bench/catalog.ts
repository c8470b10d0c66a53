/**
 * Catalog reading speed: statements/s and peak RSS on the largest corpus
 * schema and on a generated 20,000-statement dump, and, for comparison, the
 * time `psql -f` takes to load the same corpus schema into an empty database.
 *
 *   node --import tsx bench/catalog.ts
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readSchema } from '../src/catalog/index.js';
import { loadParser } from '../src/ingest/pg/index.js';
import { startCluster } from '../test/support/cluster.js';
import { corpusDatasets } from '../test/support/corpus.js';

function generatedDump(statements: number): string {
  const out: string[] = ['SET search_path = public;'];
  let n = 1;
  for (let t = 0; out.length < statements; t++) {
    const name = `table_${t}`;
    out.push(
      `CREATE TABLE public.${name} (\n    id bigint NOT NULL,\n    tenant_id bigint NOT NULL,\n    parent_id bigint,\n    name character varying(120),\n    payload jsonb,\n    created_at timestamp without time zone DEFAULT now() NOT NULL\n);`,
      `CREATE SEQUENCE public.${name}_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;`,
      `ALTER SEQUENCE public.${name}_id_seq OWNED BY public.${name}.id;`,
      `ALTER TABLE ONLY public.${name} ALTER COLUMN id SET DEFAULT nextval('public.${name}_id_seq'::regclass);`,
      `ALTER TABLE ONLY public.${name} ADD CONSTRAINT ${name}_pkey PRIMARY KEY (id);`,
      `CREATE INDEX index_${name}_on_tenant_id ON public.${name} USING btree (tenant_id);`,
      `COMMENT ON TABLE public.${name} IS 'generated table ${n++}';`,
    );
    if (t > 0) out.push(`ALTER TABLE ONLY public.${name} ADD CONSTRAINT fk_${name}_parent FOREIGN KEY (parent_id) REFERENCES public.table_${t - 1}(id);`);
  }
  return out.slice(0, statements).join('\n\n') + '\n';
}

async function measure(label: string, file: string, text: string): Promise<void> {
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const t0 = performance.now();
  const { catalog, scripts } = await readSchema([{ file, text }]);
  const ms = performance.now() - t0;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const statements = scripts.reduce((s, x) => s + x.statements.length, 0);
  console.log(
    `${label}: ${statements} statements, ${Object.keys(catalog.tables).length} tables in ${ms.toFixed(0)} ms = ${Math.round((statements / ms) * 1000)} statements/s; peak RSS ${(peak / 2 ** 20).toFixed(0)} MB`,
  );
}

await loadParser();
const largest = corpusDatasets().sort((a, b) => statSync(b.schemaPath).size - statSync(a.schemaPath).size)[0];
const text = readFileSync(largest.schemaPath, 'utf8');
// warm-up: the wasm module and JIT
await readSchema([{ file: 'warm.sql', text: generatedDump(200) }]);
await measure(`corpus ${largest.name}/schema.sql (${(text.length / 1024).toFixed(0)} KiB)`, `${largest.name}/schema.sql`, text);
await measure('generated 20,000-statement dump', 'generated.sql', generatedDump(20_000));

const cluster = await startCluster();
try {
  const psql = join(cluster.binDir, 'psql');
  spawnSync(psql, ['-X', '-q', '-d', cluster.url, '-c', 'CREATE DATABASE bench']);
  const url = cluster.url.replace(/\/postgres$/, '/bench');
  const t0 = performance.now();
  spawnSync(psql, ['-X', '-q', '-v', 'ON_ERROR_STOP=0', '-d', url, '-f', largest.schemaPath], { stdio: 'ignore' });
  console.log(`psql -f ${largest.name}/schema.sql into an empty database: ${(performance.now() - t0).toFixed(0)} ms`);
} finally {
  cluster.stop();
}
