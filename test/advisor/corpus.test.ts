/**
 * The advisor against designs people chose: the Citus documentation's own
 * examples (their citus_distribution.sql), the Wide World Importers seed, the
 * TPC-C warehouse design, and the tenant keys of multi-tenant schemas.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeInputs, type Analysis } from '../../src/cli/pipeline.js';
import { loadParser, readScript } from '../../src/ingest/pg/index.js';
import { assertOwnershipPath } from '../support/backfill-path.js';
import { corpusDir, repoRoot } from '../support/corpus.js';

type Expected = Record<string, { kind: 'distributed' | 'reference'; column?: string }>;

/** The design a citus_distribution.sql applies: its create_distributed_table / create_reference_table calls. */
async function designFromCitusScript(path: string): Promise<Expected> {
  await loadParser();
  const out: Expected = {};
  for (const s of readScript(path, readFileSync(path, 'utf8')).statements) {
    const targets = (s.node as any)?.SelectStmt?.targetList ?? [];
    for (const t of targets) {
      const fc = t.ResTarget?.val?.FuncCall;
      const fn = fc?.funcname?.map((n: any) => n.String.sval).pop();
      const args = (fc?.args ?? []).map((a: any) => a.A_Const?.sval?.sval);
      if (fn === 'create_distributed_table') out[`public.${args[0]}`] = { kind: 'distributed', column: args[1] };
      if (fn === 'create_reference_table') out[`public.${args[0]}`] = { kind: 'reference' };
    }
  }
  return out;
}

async function analyze(dataset: string, withWorkload = true): Promise<Analysis> {
  const dir = join(corpusDir(), dataset);
  const workload = withWorkload && existsSync(join(dir, 'queries.sql')) ? [join(dir, 'queries.sql')] : [];
  return analyzeInputs({ schema: [join(dir, 'schema.sql')], workload, cwd: repoRoot });
}

function designOf(a: Analysis): Record<string, { kind: string; column?: string }> {
  return Object.fromEntries(Object.entries(a.advice.design.tables).map(([k, t]) => [k, t.kind === 'distributed' ? { kind: t.kind, column: t.column } : { kind: t.kind }]));
}

describe('the Citus documentation examples', () => {
  for (const ds of ['citus-example-ad-analytics-rails', 'citus-mt-ad-analytics', 'citus-realtime-github', 'citus-realtime-http', 'citus-tutorial-multitenant']) {
    it(`${ds}: the design equals citus_distribution.sql`, async () => {
      const expected = await designFromCitusScript(join(corpusDir(), ds, 'citus_distribution.sql'));
      expect(Object.keys(expected).length).toBeGreaterThan(1);
      const a = await analyze(ds);
      const got = designOf(a);
      // every table the authors distributed or replicated, exactly; every other table stays local
      for (const [table, want] of Object.entries(expected)) expect(got[table], table).toEqual(want);
      for (const [table, t] of Object.entries(got)) if (!expected[table]) expect(t.kind, `${table} is not in citus_distribution.sql`).toBe('local');
      // distributed tables that share the key are one colocation group
      const groups = new Set(a.advice.groups.filter((g) => g.tables.length > 1).map((g) => g.id));
      expect(groups.size).toBeLessThanOrEqual(1);
    });
  }
});

describe('the Wide World Importers seed', () => {
  it('device_types reference, devices and events on device_id, colocated', async () => {
    const a = await analyzeInputs({ schema: [join(repoRoot, 'examples/wide-world-importers/schema.sql')], cwd: repoRoot });
    expect(a.advice.design.tables).toEqual({
      'public.device_types': { kind: 'reference' },
      'public.devices': { kind: 'distributed', column: 'device_id' },
      'public.events': { kind: 'distributed', column: 'device_id', colocateWith: 'public.devices' },
    });
    expect(a.advice.notes.join(' ')).toMatch(/too few to judge sizes/);
  });
});

describe('benchbase-tpcc', () => {
  it('every warehouse-keyed table on its warehouse id, item a reference table', async () => {
    const a = await analyze('benchbase-tpcc');
    const d = a.advice.design.tables;
    expect(d['public.item']).toEqual({ kind: 'reference' });
    const expected: Record<string, string[]> = {
      warehouse: ['w_id'],
      district: ['d_w_id'],
      customer: ['c_w_id'],
      history: ['h_w_id', 'h_c_w_id'],
      new_order: ['no_w_id'],
      oorder: ['o_w_id'],
      order_line: ['ol_w_id'],
      stock: ['s_w_id'],
    };
    for (const [t, cols] of Object.entries(expected)) {
      expect(d[`public.${t}`]?.kind, t).toBe('distributed');
      expect(cols, t).toContain(d[`public.${t}`]?.column);
    }
    // one colocation group for all of them
    expect(new Set(Object.keys(expected).map((t) => a.advice.tables[`public.${t}`].group)).size).toBe(1);
    // most of the weighted mix runs on one shard
    expect(a.advice.summary.shares.router).toBeGreaterThan(0.9);
  });
});

/**
 * An expert's design, table by table: the kind, and for distributed tables the
 * columns an expert would accept (two where the benchmark's entity has two
 * equal ids, as TPC-C's history has h_w_id and h_c_w_id). Distributed tables
 * are one colocation group. Tables outside the benchmark's transaction mix
 * (the loaders' config tables) are left out.
 */
type Expert = Record<string, { kind: 'reference' } | { kind: 'distributed'; columns: string[] } | { kind: 'reference or distributed'; columns: string[] }>;

function expectExpertDesign(a: Analysis, expert: Expert): void {
  const d = a.advice.design.tables;
  const groups = new Set<string | undefined>();
  for (const [name, want] of Object.entries(expert)) {
    const got = d[`public.${name}`];
    const shown = `${name}: ${got?.kind} ${got?.column ?? ''}`;
    if (want.kind === 'reference') expect(got?.kind, shown).toBe('reference');
    else if (want.kind === 'distributed' || got?.kind === 'distributed') {
      expect(got?.kind, shown).toBe('distributed');
      expect(want.columns, shown).toContain(got?.column);
    } else expect(got?.kind, shown).toBe('reference');
    if (want.kind === 'distributed') groups.add(a.advice.tables[`public.${name}`].group);
  }
  expect(groups.size, 'the distributed tables are one colocation group').toBe(1);
}

describe('benchmarks: the expert design, without statistics', () => {
  it('benchbase-tatp: every table on the subscriber id', async () => {
    const on = (c: string) => ({ kind: 'distributed' as const, columns: [c] });
    expectExpertDesign(await analyze('benchbase-tatp'), { subscriber: on('s_id'), access_info: on('s_id'), special_facility: on('s_id'), call_forwarding: on('s_id') });
  });

  it('benchbase-smallbank: every table on the customer id', async () => {
    const on = (c: string) => ({ kind: 'distributed' as const, columns: [c] });
    expectExpertDesign(await analyze('benchbase-smallbank'), { accounts: on('custid'), savings: on('custid'), checking: on('custid') });
  });

  it('benchbase-seats: customers and flights distributed (reservations with one of them), the airline, airport and country lookups replicated', async () => {
    const a = await analyze('benchbase-seats');
    const d = a.advice.design.tables;
    const ref = { kind: 'reference' as const };
    expectExpertDesign(a, { customer: { kind: 'distributed', columns: ['c_id'] }, frequent_flyer: { kind: 'distributed', columns: ['ff_c_id'] }, airline: ref, airport: ref, country: ref });
    expect(d['public.flight']).toMatchObject({ kind: 'distributed', column: 'f_id' });
    // reservations belong to a customer on a flight: colocated with either
    const r = d['public.reservation'];
    expect(r.kind).toBe('distributed');
    expect(r.column === 'r_c_id' ? a.advice.tables['public.customer'].group : a.advice.tables['public.flight'].group).toBe(a.advice.tables['public.reservation'].group);
    expect(['r_c_id', 'r_f_id']).toContain(r.column);
    // FindFlights filters airport_distance on d_ap_id0: replicated or distributed on it
    expect(d['public.airport_distance'].kind === 'reference' || d['public.airport_distance'].column === 'd_ap_id0').toBe(true);
  });

  it('benchbase-auctionmark: users and their items on the user id, one group; categories, regions and global attributes replicated', async () => {
    const on = (...c: string[]) => ({ kind: 'distributed' as const, columns: c });
    const ref = { kind: 'reference' as const };
    expectExpertDesign(await analyze('benchbase-auctionmark'), {
      useracct: on('u_id'),
      useracct_attributes: on('ua_u_id'),
      useracct_item: on('ui_u_id', 'ui_i_u_id'),
      useracct_feedback: on('uf_u_id', 'uf_i_u_id'),
      useracct_watch: on('uw_u_id', 'uw_i_u_id'),
      item: on('i_u_id'),
      item_attribute: on('ia_u_id'),
      item_bid: on('ib_u_id'),
      item_comment: on('ic_u_id'),
      item_image: on('ii_u_id'),
      item_max_bid: on('imb_u_id'),
      item_purchase: on('ip_ib_u_id'),
      category: ref,
      region: ref,
      global_attribute_group: ref,
      global_attribute_value: ref,
    });
  });

  for (const ds of ['tpch', 'benchbase-tpch']) {
    it(`${ds}: lineitem and orders colocated on the order key, the dimensions replicated`, async () => {
      const ref = { kind: 'reference' as const };
      expectExpertDesign(await analyze(ds), {
        lineitem: { kind: 'distributed', columns: ['l_orderkey'] },
        orders: { kind: 'distributed', columns: ['o_orderkey'] },
        customer: ref,
        part: ref,
        partsupp: ref,
        supplier: ref,
        nation: ref,
        region: ref,
      });
    });
  }

  for (const ds of ['tpcds', 'benchbase-tpcds']) {
    it(`${ds}: the fact tables distributed on a join key, colocated; the date and time dimensions replicated`, async () => {
      const a = await analyze(ds);
      const d = a.advice.design.tables;
      const facts = ['store_sales', 'store_returns', 'catalog_sales', 'catalog_returns', 'web_sales', 'web_returns', 'inventory'];
      for (const f of facts) expect(d[`public.${f}`], f).toMatchObject({ kind: 'distributed', column: expect.stringMatching(/_(item_sk|order_number)$/) });
      expect(new Set(facts.map((f) => a.advice.tables[`public.${f}`].group)).size).toBe(1);
      expect(d['public.date_dim']).toEqual({ kind: 'reference' });
      expect(d['public.time_dim']).toEqual({ kind: 'reference' });
    });
  }
});

describe('tenant keys', () => {
  it('pagila-multitenant: tenant_id, the tables that lack it backfilled along a valid FK path', async () => {
    const a = await analyze('pagila-multitenant', false);
    const { catalog } = a;
    const tenantTables = ['actor', 'address', 'category', 'customer', 'film', 'store', 'tenant'];
    for (const t of tenantTables) expect(a.advice.design.tables[`public.${t}`], t).toMatchObject({ kind: 'distributed', column: 'tenant_id' });
    const backfilled = Object.values(a.advice.tables).filter((t) => t.backfill);
    expect(backfilled.map((t) => t.table).sort()).toEqual(
      ['film_actor', 'film_category', 'inventory', 'payment', 'rental', 'staff'].map((t) => `public.${t}`),
    );
    for (const t of backfilled) {
      assertOwnershipPath(catalog, t.table, t.backfill!.path!, 'tenant_id');
      expect(catalog.tables[t.table].columns.some((c) => c.name === 'tenant_id'), `${t.table} lacks tenant_id`).toBe(false);
    }
  });

  it('lago-api: organization_id, with FK paths for the tables that lack it', async () => {
    const a = await analyze('lago-api');
    const d = Object.values(a.advice.tables).filter((t) => t.kind === 'distributed');
    const onOrg = d.filter((t) => t.column === 'organization_id' || (t.table === 'public.organizations' && t.column === 'id'));
    expect(onOrg.length / d.length).toBeGreaterThan(0.95);
    expect(a.advice.tables['public.organizations']).toMatchObject({ kind: 'distributed', column: 'id' });
    const backfilled = Object.values(a.advice.tables).filter((t) => t.backfill);
    expect(backfilled.length).toBeGreaterThan(0);
    for (const t of backfilled) {
      assertOwnershipPath(a.catalog, t.table, t.backfill!.path!, 'organization_id');
      expect(a.catalog.tables[t.table].columns.some((c) => c.name === 'organization_id'), `${t.table} lacks organization_id`).toBe(false);
    }
  });
});
