/**
 * The model's dates and times against a real PostgreSQL: literals read and
 * printed as date, timestamp and timestamptz in each DateStyle and in zones
 * with daylight saving time, timestamptz plus an interval across DST
 * changes and month ends, date_trunc, to_char of the partition-name
 * patterns, and intervals compared as interval_cmp does.
 */
import { describe, expect, it } from 'vitest';
import {
  addInterval,
  dateTrunc,
  formatAs,
  intervalSpan,
  parseDateStyle,
  parseInterval,
  parseTimestamptz,
  POSTGRES_DATE_DEFAULTS,
  toChar,
  Zone,
  type DateSettings,
} from '../../../src/simulate/citus/postgres-datetime.js';
import { usePostgres } from '../../support/pg-vs-model.js';

const client = usePostgres('datetime');

const STYLES = ['ISO, MDY', 'Postgres, MDY', 'Postgres, DMY', 'SQL, MDY', 'SQL, DMY', 'German'];
const ZONES = ['UTC', 'PST8PDT', 'America/New_York', 'Asia/Kolkata', 'Europe/London', 'Europe/Berlin', 'America/Sao_Paulo'];
const LITERALS = ['2021-01-01', '2021-03-14 02:30:00', '2021-11-07 01:30:00', '2020-12-30 23:59:59.25', '2021-06-30 12:00:00+02', '2024-02-29 00:00:00'];

async function pgSession(style: string, zone: string): Promise<void> {
  await client().query(`SET datestyle = '${style}'; SET timezone = '${zone}'`);
}

async function pgValue(sql: string): Promise<string> {
  const r = await client().query(`SELECT (${sql})::text AS v`);
  return r.rows[0].v as string;
}

function settings(style: string, zone: string): DateSettings {
  return { ...POSTGRES_DATE_DEFAULTS, ...parseDateStyle(style, POSTGRES_DATE_DEFAULTS), timeZone: zone };
}

describe('dates and times as PostgreSQL reads, computes and prints them', () => {
  it('reads a literal and prints it as date, timestamp and timestamptz in every DateStyle and zone', async () => {
    for (const style of STYLES) {
      for (const zone of ZONES) {
        await pgSession(style, zone);
        const s = settings(style, zone);
        for (const lit of LITERALS) {
          const t = parseTimestamptz(lit, s)!;
          for (const type of ['date', 'timestamp', 'timestamptz'] as const) {
            expect(formatAs(type, t, s), `${lit}::timestamptz::${type} in ${style}, ${zone}`).toBe(await pgValue(`'${lit}'::timestamptz::${type}`));
          }
          // what it prints reads back as the same value
          const printed = formatAs('timestamptz', t, s);
          expect(parseTimestamptz(printed, s), printed).toBe(t);
        }
      }
    }
  });

  it('prints offsets of half and quarter hours in ISO style', async () => {
    for (const zone of ['Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns']) {
      await pgSession('ISO, MDY', zone);
      const s = settings('ISO, MDY', zone);
      for (const lit of LITERALS) expect(formatAs('timestamptz', parseTimestamptz(lit, s)!, s), `${lit} in ${zone}`).toBe(await pgValue(`'${lit}'::timestamptz`));
    }
  });

  it('adds intervals on the zone calendar: months to the month end, days across DST changes, then the time', async () => {
    const intervals = ['1 day', '2 days', '1 month', '1 year', '6 hours', '1 week 1 day 1 hour', '-1 day', '3 months', '1.5 days', '30 minutes'];
    const starts = ['2021-01-31 00:00:00', '2021-03-13 02:30:00', '2021-11-06 01:30:00', '2020-02-29 12:00:00'];
    for (const zone of ['UTC', 'PST8PDT', 'Europe/Berlin']) {
      await pgSession('ISO, MDY', zone);
      const s = settings('ISO, MDY', zone);
      const z = new Zone(zone);
      for (const start of starts) {
        for (const i of intervals) {
          const got = formatAs('timestamptz', addInterval(parseTimestamptz(start, s, z)!, parseInterval(i)!, z), s, z);
          expect(got, `'${start}'::timestamptz + '${i}' in ${zone}`).toBe(await pgValue(`'${start}'::timestamptz + interval '${i}'`));
        }
      }
    }
  });

  it('truncates in the zone and prints the partition-name patterns as to_char does', async () => {
    const fields = ['minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'] as const;
    const patterns = ['YYYY"q"Q', 'IYYY"w"IW', 'YYYY_MM_DD', 'YYYY_MM_DD_HH24MISS', 'YYYY_MM'];
    for (const zone of ['UTC', 'PST8PDT']) {
      await pgSession('ISO, MDY', zone);
      const s = settings('ISO, MDY', zone);
      const z = new Zone(zone);
      for (const lit of ['2021-01-01 07:45:12', '2021-03-14 03:30:00', '2020-12-31 23:00:00', '2027-01-03 10:00:00']) {
        const t = parseTimestamptz(lit, s, z)!;
        for (const f of fields) expect(formatAs('timestamptz', dateTrunc(f, t, z), s, z), `date_trunc('${f}', '${lit}') in ${zone}`).toBe(await pgValue(`date_trunc('${f}', '${lit}'::timestamptz)`));
        for (const p of patterns) expect(toChar(t, p, z), `to_char('${lit}', '${p}') in ${zone}`).toBe(await pgValue(`to_char('${lit}'::timestamptz, '${p}')`));
      }
    }
  });

  it('compares intervals by their span and tells a whole number of days', async () => {
    const texts = ['6 hours', '1 week 1 day 1 hour', '1 day', '24 hours', '1 mon', '30 days', '3 months', '90 days', '1.5 days', '1 year', '01:30:00', '1 day 02:00:00', '@ 2 days ago'];
    for (const a of texts) {
      const ia = parseInterval(a)!;
      const dayMultiple = (await pgValue(`date_trunc('day', interval '${a}') = interval '${a}'`)) === 'true';
      expect(ia.micros === 0, `is '${a}' whole days`).toBe(dayMultiple);
      for (const b of texts) {
        const cmp = Number(await pgValue(`CASE WHEN interval '${a}' < interval '${b}' THEN -1 WHEN interval '${a}' > interval '${b}' THEN 1 ELSE 0 END`));
        expect(Math.sign(intervalSpan(ia) - intervalSpan(parseInterval(b)!)), `'${a}' vs '${b}'`).toBe(cmp);
      }
    }
  });
});
