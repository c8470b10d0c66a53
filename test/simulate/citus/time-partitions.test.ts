/**
 * create_time_partitions and drop_old_time_partitions: the checks they make
 * on the table first (sql/udfs/get_missing_time_partition_ranges), with the
 * texts of Citus's multi_partitioning regression test.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../src/catalog/index.js';
import { loadParser, readScript } from '../../../src/ingest/pg/index.js';
import { simulateScript } from '../../../src/simulate/citus/index.js';

beforeAll(async () => {
  await loadParser();
});

const SCHEMA = `CREATE TABLE date_partitioned_table (id int, eventdate date) PARTITION BY RANGE (eventdate);
CREATE TABLE multiple_partition_column_table (event_id bigserial, event_time timestamptz, payload text) PARTITION BY RANGE (event_time, event_id);
CREATE TABLE bigint_partitioned_table (ts bigint, description text) PARTITION BY RANGE (ts);
CREATE TABLE non_partitioned_table (id int);
CREATE FUNCTION nanos_to_timestamptz(nanos bigint) RETURNS timestamptz LANGUAGE sql AS $$ SELECT to_timestamp(nanos / 1e9) $$;
CREATE FUNCTION timestamptz_to_nanos(ts timestamptz) RETURNS bigint LANGUAGE sql AS $$ SELECT (extract(epoch FROM ts) * 1e9)::bigint $$;`;

function errors(script: string): Array<string | undefined> {
  const { catalog } = buildCatalog([{ file: 'schema.sql', text: SCHEMA }]);
  return simulateScript(catalog, readScript('m.sql', script), { citus: '13.2.2' }).steps.map((s) => s.error?.message);
}

describe('time partitioning functions', () => {
  it('want a table partitioned by one date or timestamp column, and whole days for a date', () => {
    expect(
      errors(`SELECT create_time_partitions('date_partitioned_table', INTERVAL '6 hours', '2022-01-01', '2021-01-01');
SELECT create_time_partitions('date_partitioned_table', INTERVAL '1 week 1 day 1 hour', '2022-01-01', '2021-01-01');
SELECT create_time_partitions('date_partitioned_table', INTERVAL '1 week', '2022-01-01', '2021-01-01');
SELECT create_time_partitions('multiple_partition_column_table', INTERVAL '1 month', now() + INTERVAL '1 year');
CALL drop_old_time_partitions('multiple_partition_column_table', now());
SELECT create_time_partitions('non_partitioned_table', INTERVAL '1 month', now() + INTERVAL '1 year');
CALL drop_old_time_partitions('bigint_partitioned_table', now());`),
    ).toEqual([
      'partition interval of date partitioned table must be day or multiple days',
      'partition interval of date partitioned table must be day or multiple days',
      undefined,
      'partitioned tables with multiple partition columns are not supported',
      'partitioned tables with multiple partition columns are not supported',
      'non_partitioned_table is not partitioned',
      'type of the partition column of the table bigint_partitioned_table must be date, timestamp or timestamptz',
    ]);
  });

  it('another type passes while casts to and from timestamptz exist', () => {
    const casts = 'CREATE CAST (bigint AS timestamptz) WITH FUNCTION nanos_to_timestamptz(bigint);\nCREATE CAST (timestamptz AS bigint) WITH FUNCTION timestamptz_to_nanos(timestamptz);\n';
    const call = "SELECT create_time_partitions('bigint_partitioned_table', INTERVAL '1 month', '2023-05-01', '2023-01-1');";
    expect(errors(`${casts}${call}\nDROP CAST (bigint AS timestamptz);\n${call}`)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      'type of the partition column of the table bigint_partitioned_table must be date, timestamp or timestamptz',
    ]);
  });
});
