/**
 * Operations that cascade over partitions and FK-connected tables refuse a
 * multi-level partitioned table and a partition with foreign keys of its own
 * (cascade_table_operation_for_connected_relations.c), as Citus's
 * citus_local_tables and undistribute_table_cascade regression tests show.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../src/catalog/index.js';
import { loadParser, readScript } from '../../../src/ingest/pg/index.js';
import { simulateScript } from '../../../src/simulate/citus/index.js';

beforeAll(async () => {
  await loadParser();
});

function errors(schema: string, script: string): Array<string | undefined> {
  const { catalog } = buildCatalog([{ file: 'schema.sql', text: schema }]);
  return simulateScript(catalog, readScript('m.sql', script), { citus: '13.2.2', settings: { 'citus.shard_replication_factor': 1 } }).steps.map((s) => s.error?.message);
}

const MULTI_LEVEL = `
CREATE TABLE multi_par (id text, country text) PARTITION BY RANGE (id);
ALTER TABLE multi_par ADD CONSTRAINT unique_constraint UNIQUE (id, country);
CREATE TABLE multi_par_a_to_i PARTITION OF multi_par FOR VALUES FROM ('a') TO ('j');
CREATE TABLE multi_par_j_to_r PARTITION OF multi_par FOR VALUES FROM ('j') TO ('s') PARTITION BY LIST (country);
CREATE TABLE multi_par_j_to_r_japan PARTITION OF multi_par_j_to_r FOR VALUES IN ('japan');
CREATE TABLE cas_1 (a text, b text);
ALTER TABLE cas_1 ADD CONSTRAINT unique_constraint_2 UNIQUE (a, b);`;

const PARTITIONED = `
CREATE TABLE partitioned_table_1 (col_1 int UNIQUE, col_2 int) PARTITION BY RANGE (col_1);
CREATE TABLE partitioned_table_1_100_200 PARTITION OF partitioned_table_1 FOR VALUES FROM (100) TO (200);
CREATE TABLE reference_table_3 (col_1 int UNIQUE, col_2 int UNIQUE);`;

describe('cascading over partitions', () => {
  it('a multi-level partitioned table cannot become a citus local table, directly or through an FK', () => {
    const e = 'Citus does not support multi-level partitioned tables';
    expect(
      errors(MULTI_LEVEL, "SELECT citus_add_local_table_to_metadata('multi_par');\nALTER TABLE cas_1 ADD CONSTRAINT fkey_to_multi_parti FOREIGN KEY (a, b) REFERENCES multi_par (id, country);\nSELECT citus_add_local_table_to_metadata('cas_1', cascade_via_foreign_keys => true);\nSELECT create_reference_table('cas_1');"),
    ).toEqual([e, undefined, e, e]);
  });

  it('undistribute_table refuses a partition with an FK of its own, not one its parent gave it', () => {
    const e = 'cannot cascade operation via foreign keys as partition table public.partitioned_table_1_100_200 involved in a foreign key relationship that is not inherited from its parent table';
    const setup = "SELECT create_reference_table('reference_table_3');\nSELECT create_distributed_table('partitioned_table_1', 'col_1');\nALTER TABLE partitioned_table_1 ADD CONSTRAINT fkey_9 FOREIGN KEY (col_1) REFERENCES reference_table_3 (col_2);\n";
    expect(errors(PARTITIONED, `${setup}SELECT undistribute_table('reference_table_3', cascade_via_foreign_keys => true);`)).toEqual([undefined, undefined, undefined, undefined]);
    expect(
      errors(PARTITIONED, `${setup}ALTER TABLE partitioned_table_1_100_200 ADD CONSTRAINT non_inherited_fkey FOREIGN KEY (col_1) REFERENCES reference_table_3 (col_1);\nSELECT undistribute_table('reference_table_3', cascade_via_foreign_keys => true);\nSELECT undistribute_table('partitioned_table_1', true);`),
    ).toEqual([undefined, undefined, undefined, undefined, e, e]);
  });
});
