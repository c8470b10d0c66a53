/**
 * `simulate`'s text on a schema of a hundred tables: tables counted by
 * colocation group with a few named, placements of the tables that matter,
 * the heaviest queries; `--verbose` lists every one, as JSON carries them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClusterSimulation } from '../../src/simulate/cluster-run.js';
import { runCli } from '../plan/helpers.js';
import { corpusDir } from '../support/corpus.js';

const dir = mkdtempSync(join(tmpdir(), 'shardwise-simtext-'));
const lago = join(corpusDir(), 'lago-api');
const args = ['simulate', join(lago, 'schema.sql'), '--workload', join(lago, 'queries.sql')];

describe('simulate text (lago-api)', () => {
  it('counts the tables by colocation group and names a few, counts the empty ones, keeps the summary whole', async () => {
    const [text, json] = await Promise.all([runCli(args, dir), runCli([...args, '--format', 'json'], dir)]);
    const sim = JSON.parse(json.stdout) as ClusterSimulation;
    const distributed = sim.tables.filter((t) => t.kind === 'distributed');
    const groups = new Set(distributed.map((t) => t.colocationId));
    expect(distributed.length).toBeGreaterThan(100);
    for (const g of groups) {
      const n = distributed.filter((t) => t.colocationId === g).length;
      expect(text.stdout).toMatch(new RegExp(`\\n  colocation group ${g}: ${n} tables distributed on .* and ${n - 6} more\\n`));
    }
    const tablesSection = (out: string) => out.slice(out.indexOf('\nTables\n'), out.indexOf('\nPlacement'));
    expect(tablesSection(text.stdout).split('\n').length).toBeLessThan(10);
    // no placement line per empty table: counted instead
    const empty = sim.placement!.tables.filter((t) => t.rows === 0 && (t.status === 'placed' || t.status === 'whole')).length;
    expect(text.stdout).toMatch(new RegExp(`\\n  ${empty} tables without rows in the data given: `));
    expect(text.stdout.split('\n').length).toBeLessThan(150);
    // the summary counts every query either way
    expect(text.stdout).toContain(`${sim.summary.queries} queries, total weight ${sim.summary.totalWeight}`);
  });
});

describe('simulate --verbose', () => {
  it('lists every table, each placement and every query', async () => {
    const tpcc = join(corpusDir(), 'benchbase-tpcc');
    const base = ['simulate', join(tpcc, 'schema.sql'), '--workload', join(tpcc, 'queries.sql')];
    const [text, verbose, json] = await Promise.all([runCli(base, dir), runCli([...base, '--verbose'], dir), runCli([...base, '--format', 'json'], dir)]);
    const sim = JSON.parse(json.stdout) as ClusterSimulation;
    const tableLines = (out: string) => out.slice(out.indexOf('\nTables\n'), out.indexOf('\n\n', out.indexOf('\nTables\n') + 1)).split('\n').filter((l) => /: (distributed on \w+|reference|local), colocation group \d+, \d+ shards?$/.test(l));
    expect(tableLines(verbose.stdout).length).toBe(sim.tables.length);
    expect(tableLines(text.stdout).length).toBe(0);
    expect(sim.queries.length).toBeGreaterThan(10);
    const heads = (out: string) => sim.queries.filter((q) => out.includes(`\n  ${q.id}`)).length;
    expect(heads(verbose.stdout)).toBe(sim.queries.length);
    expect(heads(text.stdout)).toBe(10);
    expect(text.stdout).toContain(`\n  and ${sim.queries.length - 10} more queries (--verbose lists them`);
    expect(verbose.code).toBe(text.code);
  });
});
