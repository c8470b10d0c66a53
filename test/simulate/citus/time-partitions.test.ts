/**
 * create_time_partitions, get_missing_time_partition_ranges and
 * drop_old_time_partitions: the checks they make on the table first
 * (sql/udfs/get_missing_time_partition_ranges), then the ranges from the
 * existing partitions and the partitions created, with the texts and
 * partitions of Citus's multi_partitioning regression test (run with
 * pg_regress's DateStyle and TimeZone); the dates in a session with
 * PostgreSQL's defaults, against a real PostgreSQL.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../src/catalog/index.js';
import { loadParser, readScript } from '../../../src/ingest/pg/index.js';
import { simulateScript, type SimulateOptions } from '../../../src/simulate/citus/index.js';
import { usePostgres } from '../../support/pg-vs-model.js';

beforeAll(async () => {
  await loadParser();
});

const SCHEMA = `CREATE TABLE date_partitioned_table (id int, eventdate date) PARTITION BY RANGE (eventdate);
CREATE TABLE multiple_partition_column_table (event_id bigserial, event_time timestamptz, payload text) PARTITION BY RANGE (event_time, event_id);
CREATE TABLE bigint_partitioned_table (ts bigint, description text) PARTITION BY RANGE (ts);
CREATE TABLE non_partitioned_table (id int);
CREATE FUNCTION nanos_to_timestamptz(nanos bigint) RETURNS timestamptz LANGUAGE sql AS $$ SELECT to_timestamp(nanos / 1e9) $$;
CREATE FUNCTION timestamptz_to_nanos(ts timestamptz) RETURNS bigint LANGUAGE sql AS $$ SELECT (extract(epoch FROM ts) * 1e9)::bigint $$;`;

/** pg_regress's DateStyle and TimeZone. */
const REGRESS: SimulateOptions = { citus: '13.2.2', session: { dateStyle: 'Postgres, MDY', timeZone: 'PST8PDT' } };

function run(script: string, options: SimulateOptions = { citus: '13.2.2' }) {
  const { catalog } = buildCatalog([{ file: 'schema.sql', text: SCHEMA }]);
  return simulateScript(catalog, readScript('m.sql', script), options);
}

function errors(script: string, options?: SimulateOptions): Array<string | undefined> {
  return run(script, options).steps.map((s) => s.error?.message);
}

/** The tables whose name starts with `prefix` after the script. */
function tables(script: string, prefix: string, options?: SimulateOptions): string[] {
  return run(script, options)
    .final.tables.map((t) => t.table.replace(/^public\./, ''))
    .filter((t) => t.startsWith(prefix))
    .sort();
}

const client = usePostgres('timeparts');

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

  it('refuse a partition that does not align with the first one, printing its bounds in the session DateStyle', () => {
    const tz = `CREATE TABLE tstz (id int, t timestamptz) PARTITION BY RANGE (t);
CREATE TABLE tswtz (id int, t timestamp) PARTITION BY RANGE (t);
CREATE TABLE date_partitioned_table_2021_01_01 PARTITION OF date_partitioned_table FOR VALUES FROM ('2021-01-01') TO ('2021-01-02');
CREATE TABLE tstz_2021_01_01 PARTITION OF tstz FOR VALUES FROM ('2021-01-01 00:00:00') TO ('2021-01-02 00:00:00');
CREATE TABLE tswtz_2021_01_01 PARTITION OF tswtz FOR VALUES FROM ('2021-01-01 00:00:00') TO ('2021-01-03 00:00:00');
SELECT * FROM get_missing_time_partition_ranges('date_partitioned_table', INTERVAL '1 day', '2021-01-05', '2020-12-30');
SELECT * FROM get_missing_time_partition_ranges('date_partitioned_table', INTERVAL '2 days', '2021-01-05', '2020-12-30');
SELECT * FROM get_missing_time_partition_ranges('tstz', INTERVAL '2 days', '2021-01-05 00:00:00', '2020-12-30 00:00:00');
SELECT * FROM get_missing_time_partition_ranges('tswtz', INTERVAL '2 days', '2021-01-05 00:00:00', '2020-12-30 00:00:00');
SELECT * FROM get_missing_time_partition_ranges('tswtz', INTERVAL '2 days', '2021-01-05 00:00:00', '2020-12-31 00:00:00');`;
    const misaligned = (p: string, from: string, to: string) => `partition ${p} with the range from ${from} to ${to} does not align with the initial partition given the partition interval`;
    expect(errors(tz, REGRESS).slice(5)).toEqual([
      undefined,
      misaligned('date_partitioned_table_2021_01_01', '01-01-2021', '01-02-2021'),
      misaligned('tstz_2021_01_01', 'Fri Jan 01 00:00:00 2021 PST', 'Sat Jan 02 00:00:00 2021 PST'),
      undefined,
      undefined,
    ]);
    // PostgreSQL's defaults: ISO, UTC
    expect(errors(tz).slice(6, 8)).toEqual([
      misaligned('date_partitioned_table_2021_01_01', '2021-01-01', '2021-01-02'),
      misaligned('tstz_2021_01_01', '2021-01-01 00:00:00+00', '2021-01-02 00:00:00+00'),
    ]);
  });

  it('create the missing partitions, named as Citus names them, and see them afterwards', () => {
    const weeks = "SELECT create_time_partitions('date_partitioned_table', INTERVAL '1 week', '2021-02-01', '2021-01-01');";
    expect(tables(weeks, 'date_partitioned_table_', REGRESS)).toEqual(['date_partitioned_table_p2020w53', 'date_partitioned_table_p2021w01', 'date_partitioned_table_p2021w02', 'date_partitioned_table_p2021w03', 'date_partitioned_table_p2021w04']);
    const days = `CREATE TABLE date_partitioned_table_2021_01_01 PARTITION OF date_partitioned_table FOR VALUES FROM ('2021-01-01') TO ('2021-01-02');
SELECT create_time_partitions('date_partitioned_table', INTERVAL '1 day', '2021-01-05', '2020-12-30');
SELECT create_time_partitions('date_partitioned_table', INTERVAL '2 days', '2021-01-15', '2020-12-25');`;
    expect(tables(days.split('\n').slice(0, 2).join('\n'), 'date_partitioned_table_', REGRESS)).toEqual([
      'date_partitioned_table_2021_01_01',
      'date_partitioned_table_p2020_12_30',
      'date_partitioned_table_p2020_12_31',
      'date_partitioned_table_p2021_01_02',
      'date_partitioned_table_p2021_01_03',
      'date_partitioned_table_p2021_01_04',
    ]);
    expect(errors(days, REGRESS)[2]).toBe('partition date_partitioned_table_p2020_12_30 with the range from 12-30-2020 to 12-31-2020 does not align with the initial partition given the partition interval');
  });

  it('want start_from before end_at, both printed as timestamptz in the session DateStyle and TimeZone', async () => {
    const call = "SELECT create_time_partitions('date_partitioned_table', INTERVAL '1 day', '2021-01-01', '2021-02-01');";
    expect(errors(call, REGRESS)).toEqual(['start_from (Mon Feb 01 00:00:00 2021 PST) must be older than end_at (Fri Jan 01 00:00:00 2021 PST)']);
    for (const [style, zone] of [['ISO, MDY', 'UTC'], ['SQL, DMY', 'Europe/Berlin'], ['German', 'America/New_York']]) {
      const script = `SET datestyle = '${style}';\nSET TIME ZONE '${zone}';\n${call}`;
      await client().query(`SET datestyle = '${style}'; SET TIME ZONE '${zone}'`);
      const pg = await client()
        .query("DO $$ BEGIN RAISE 'start_from (%) must be older than end_at (%)', '2021-02-01'::timestamptz, '2021-01-01'::timestamptz; END $$")
        .then(() => undefined, (e: Error) => e.message);
      expect(errors(script)[2], `${style}, ${zone}`).toBe(pg);
    }
  });

  it('follow SET, SET LOCAL, RESET and rolled-back changes of DateStyle and TimeZone as PostgreSQL does', async () => {
    const call = "SELECT create_time_partitions('date_partitioned_table', INTERVAL '1 day', '2021-01-01', '2021-07-01 12:00');";
    const raise = "DO $$ BEGIN RAISE 'start_from (%) must be older than end_at (%)', '2021-07-01 12:00'::timestamptz, '2021-01-01'::timestamptz; END $$";
    const steps = [
      "SET datestyle = 'SQL, DMY'",
      'BEGIN',
      "SET LOCAL datestyle = 'German'",
      "SET TIME ZONE 'Asia/Kolkata'",
      call,
      'ROLLBACK',
      call,
      'BEGIN',
      "SET LOCAL TIME ZONE 'America/New_York'",
      'COMMIT',
      call,
      "SET TIME ZONE 'Europe/Berlin'",
      'RESET datestyle',
      call,
      'RESET TIME ZONE',
      call,
    ];
    // the session starts with the server's settings, which RESET goes back to
    await client().query('RESET datestyle; RESET timezone');
    const start = { dateStyle: (await client().query('SHOW datestyle')).rows[0].DateStyle as string, timeZone: (await client().query('SHOW timezone')).rows[0].TimeZone as string };
    const pg: Array<string | undefined> = [];
    for (const step of steps) pg.push(await client().query(step === call ? raise : step).then(() => undefined, (e: Error) => e.message));
    expect(errors(steps.map((x) => `${x};`).join('\n'), { citus: '13.2.2', session: start })).toEqual(pg);
  });

  it('drop the partitions that end by older_than, oldest first, each with its NOTICE', () => {
    const script = `CREATE TABLE date_partitioned_table_to_exp (event_date date, event int) partition by range (event_date);
SELECT create_distributed_table('date_partitioned_table_to_exp', 'event');
CREATE TABLE date_partitioned_table_to_exp_d00 PARTITION OF date_partitioned_table_to_exp FOR VALUES FROM ('2000-01-01') TO ('2009-12-31');
CREATE TABLE date_partitioned_table_to_exp_d10 PARTITION OF date_partitioned_table_to_exp FOR VALUES FROM ('2010-01-01') TO ('2019-12-31');
CREATE TABLE date_partitioned_table_to_exp_d20 PARTITION OF date_partitioned_table_to_exp FOR VALUES FROM ('2020-01-01') TO ('2029-12-31');
CALL drop_old_time_partitions('date_partitioned_table_to_exp', '1999-01-01');
CALL drop_old_time_partitions('date_partitioned_table_to_exp', '2021-01-01');
CREATE TABLE tstz_partitioned_table_to_exp (event_time timestamptz, event int) partition by range (event_time);
CREATE TABLE tstz_partitioned_table_to_exp_d0 PARTITION OF tstz_partitioned_table_to_exp FOR VALUES FROM ('2021-01-01 02:00:00+00') TO ('2021-01-01 06:00:00+00');
CREATE TABLE tstz_partitioned_table_to_exp_d1 PARTITION OF tstz_partitioned_table_to_exp FOR VALUES FROM ('2021-01-01 06:00:00+00') TO ('2021-01-01 10:00:00+00');
CREATE TABLE tstz_partitioned_table_to_exp_d2 PARTITION OF tstz_partitioned_table_to_exp FOR VALUES FROM ('2021-01-01 10:00:00+00') TO ('2021-01-01 14:00:00+00');
CALL drop_old_time_partitions('tstz_partitioned_table_to_exp', '2021-01-01 12:00:00+00');`;
    const sim = run(script, REGRESS);
    expect(sim.steps.map((s) => s.error?.message).filter(Boolean)).toEqual([]);
    expect(sim.steps.flatMap((s) => s.notices)).toEqual([
      'dropping date_partitioned_table_to_exp_d00 with start time 01-01-2000 and end time 12-31-2009',
      'dropping date_partitioned_table_to_exp_d10 with start time 01-01-2010 and end time 12-31-2019',
      'dropping tstz_partitioned_table_to_exp_d0 with start time Thu Dec 31 18:00:00 2020 PST and end time Thu Dec 31 22:00:00 2020 PST',
      'dropping tstz_partitioned_table_to_exp_d1 with start time Thu Dec 31 22:00:00 2020 PST and end time Fri Jan 01 02:00:00 2021 PST',
    ]);
    expect(tables(script, 'date_partitioned_table_to_exp_', REGRESS)).toEqual(['date_partitioned_table_to_exp_d20']);
    expect(tables(script, 'tstz_partitioned_table_to_exp_', REGRESS)).toEqual(['tstz_partitioned_table_to_exp_d2']);
  });
});
