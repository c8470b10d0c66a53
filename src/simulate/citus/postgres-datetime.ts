/**
 * PostgreSQL's date and time values as a session sees them (utils/adt/
 * datetime.c, timestamp.c, date.c, formatting.c): the input of date,
 * timestamp and timestamptz literals and of intervals, timestamptz plus an
 * interval and date_trunc in the session's time zone, the output of each type
 * in the session's DateStyle, and the to_char patterns Citus names time
 * partitions with. A timestamptz is held as microseconds since 1970-01-01
 * UTC; the time zone's rules come from the platform's (ICU's) copy of the tz
 * database, and so do the zones' abbreviations (PST, CET, IST), taken from
 * ICU's English names: where the tz database has none but ICU makes one up
 * (LHDT for Lord Howe, where PostgreSQL prints +11), the name differs.
 */

/** The session's DateStyle and TimeZone. */
export interface DateSettings {
  readonly style: 'ISO' | 'SQL' | 'Postgres' | 'German';
  readonly order: 'MDY' | 'DMY' | 'YMD';
  readonly timeZone: string;
}

/** PostgreSQL's built-in defaults (postgresql.conf may say otherwise). */
export const POSTGRES_DATE_DEFAULTS: DateSettings = { style: 'ISO', order: 'MDY', timeZone: 'UTC' };

/** An interval's three fields, as PostgreSQL keeps them. */
export interface Interval {
  readonly months: number;
  readonly days: number;
  readonly micros: number;
}

/** A value's calendar fields in some zone. */
interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  micros: number;
}

const US_PER_SEC = 1_000_000;
const US_PER_DAY = 86_400 * US_PER_SEC;

/** DateStyle's value (`Postgres, MDY`, `ISO`, `European`): the style and order it sets, the rest as in `current`; undefined when PostgreSQL refuses it. */
export function parseDateStyle(value: string, current: DateSettings): Pick<DateSettings, 'style' | 'order'> | undefined {
  let { style, order } = current;
  for (const word of value.split(',').map((w) => w.trim().toLowerCase())) {
    if (word === 'iso') style = 'ISO';
    else if (word === 'sql') style = 'SQL';
    else if (word === 'postgres') style = 'Postgres';
    else if (word === 'german') {
      style = 'German';
      order = 'DMY';
    } else if (word === 'ymd') order = 'YMD';
    else if (word === 'dmy' || word === 'euro' || word === 'european') order = 'DMY';
    else if (word === 'mdy' || word === 'us' || word === 'noneuro' || word === 'noneuropean') order = 'MDY';
    else if (word !== 'default') return undefined;
  }
  return { style, order };
}

/** A time zone as the platform knows it (a tz database name, `PST8PDT`, `UTC`); undefined when unknown. */
export function knownTimeZone(name: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

const UNITS: ReadonlyArray<readonly [RegExp, 'micros' | 'days' | 'months', number]> = [
  [/^(microseconds?|us|usecs?)$/, 'micros', 1],
  [/^(milliseconds?|ms|msecs?)$/, 'micros', 1000],
  [/^(seconds?|s|secs?)$/, 'micros', US_PER_SEC],
  [/^(minutes?|m|mins?)$/, 'micros', 60 * US_PER_SEC],
  [/^(hours?|h|hrs?)$/, 'micros', 3600 * US_PER_SEC],
  [/^(days?|d)$/, 'days', 1],
  [/^(weeks?|w)$/, 'days', 7],
  [/^(months?|mons?)$/, 'months', 1],
  [/^(years?|y|yrs?)$/, 'months', 12],
  [/^(decades?)$/, 'months', 120],
  [/^(centuries|century)$/, 'months', 1200],
  [/^(millennia|millennium)$/, 'months', 12000],
];

/** An interval's text (`6 hours`, `1 week 1 day 1 hour`, `1 day 02:00:00`, `@ 2 days ago`); undefined when the model cannot read it. */
export function parseInterval(text: string): Interval | undefined {
  const tokens = text.trim().toLowerCase().replace(/^@\s*/, '').split(/\s+/).filter(Boolean);
  if (!tokens.length) return undefined;
  let months = 0;
  let days = 0;
  let micros = 0;
  let sign = 1;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    if (tok === 'ago' && i === tokens.length - 1) {
      sign = -1;
      continue;
    }
    const clock = /^([+-]?)(\d+):(\d+)(?::(\d+(?:\.\d+)?))?$/.exec(tok);
    if (clock) {
      const us = (Number(clock[2]) * 3600 + Number(clock[3]) * 60 + Number(clock[4] ?? 0)) * US_PER_SEC;
      micros += clock[1] === '-' ? -us : us;
      continue;
    }
    const m = /^([+-]?\d+(?:\.\d+)?)([a-z]*)$/.exec(tok);
    if (!m) return undefined;
    const unitText = m[2] || tokens[++i];
    const unit = unitText === undefined ? undefined : UNITS.find(([re]) => re.test(unitText));
    if (!unit) return undefined;
    const n = Number(m[1]) * unit[2];
    const whole = Math.trunc(n);
    const frac = n - whole;
    // A fraction spills into the next smaller field: a month is 30 days, a day 24 hours.
    if (unit[1] === 'months') {
      months += whole;
      const d = frac * 30;
      days += Math.trunc(d);
      micros += Math.round((d - Math.trunc(d)) * US_PER_DAY);
    } else if (unit[1] === 'days') {
      days += whole;
      micros += Math.round(frac * US_PER_DAY);
    } else micros += Math.round(n);
  }
  return { months: sign * months, days: sign * days, micros: sign * micros };
}

/** interval_cmp's measure: a month is 30 days, a day 24 hours. */
export function intervalSpan(i: Interval): number {
  return (i.months * 30 + i.days) * US_PER_DAY + i.micros;
}

export function negate(i: Interval): Interval {
  return { months: -i.months, days: -i.days, micros: -i.micros };
}

/** Locales whose short zone names are the tz database's English abbreviations (IST, AEST and BST are not en-US's). */
const ABBREVIATION_LOCALES = ['en-GB', 'en-IN', 'en-AU'];

/** A zone's offsets and abbreviations, read from the platform's tz database. */
export class Zone {
  private readonly fmt: Intl.DateTimeFormat;
  private others?: Intl.DateTimeFormat[];
  constructor(readonly name: string) {
    this.fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
      timeZoneName: 'short',
    });
  }

  /** The zone's fields of a timestamptz, and its abbreviation then. */
  local(t: number): { fields: Fields; abbrev: string; offset: number } {
    const ms = Math.floor(t / 1000);
    const parts: Record<string, string> = {};
    for (const p of this.fmt.formatToParts(new Date(ms))) parts[p.type] = p.value;
    const year = parts.era === 'BC' ? 1 - Number(parts.year) : Number(parts.year);
    const micros = ((t % US_PER_SEC) + US_PER_SEC) % US_PER_SEC;
    const fields = { year, month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second), micros };
    const offset = (wall(fields) - t) / US_PER_SEC;
    return { fields, abbrev: this.abbreviation(ms, parts.timeZoneName ?? '', offset), offset };
  }

  /** The zone's abbreviation then; the offset as the tz database writes it (+0530) where it has no letters. */
  private abbreviation(ms: number, usName: string, offset: number): string {
    const lettered = (n: string | undefined) => !!n && /^[A-Z]+$/.test(n) && n !== 'GMT';
    if (lettered(usName) || (usName === 'GMT' && offset === 0)) return usName;
    this.others ??= ABBREVIATION_LOCALES.map((l) => new Intl.DateTimeFormat(l, { timeZone: this.name, timeZoneName: 'short' }));
    for (const f of this.others) {
      const name = f.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value;
      if (lettered(name)) return name!;
    }
    const a = Math.abs(offset);
    return `${offset < 0 ? '-' : '+'}${pad(Math.floor(a / 3600))}${a % 3600 ? pad(Math.floor((a % 3600) / 60)) : ''}`;
  }

  /** The timestamptz of the zone's wall-clock fields. */
  fromLocal(f: Fields): number {
    const w = wall(f);
    const before = w - this.local(w - US_PER_DAY).offset * US_PER_SEC;
    const after = w - this.local(w + US_PER_DAY).offset * US_PER_SEC;
    const fits = [before, after].filter((t) => wall(this.local(t).fields) === w);
    // in a fold the later reading, in a gap the offset before it
    return fits.length ? Math.max(...fits) : before;
  }
}

/** Fields as if in UTC: microseconds since 1970-01-01 00:00. */
function wall(f: Fields): number {
  const d = new Date(0);
  d.setUTCFullYear(f.year, f.month - 1, f.day);
  d.setUTCHours(f.hour, f.minute, f.second, 0);
  return d.getTime() * 1000 + f.micros;
}

function fieldsOfWall(w: number): Fields {
  const d = new Date(Math.floor(w / 1000));
  const micros = ((w % US_PER_SEC) + US_PER_SEC) % US_PER_SEC;
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), micros };
}

/**
 * A date, timestamp or timestamptz literal as a timestamptz: ISO
 * (`2021-01-05 00:00:00+02`), SQL, German and Postgres styles
 * (`01-05-2021`, `Tue Jan 05 00:00:00 2021 PST`). A value without an offset
 * is read in the session's zone, a zone abbreviation only when it is the
 * session zone's at that time. undefined when the model cannot read it.
 */
export function parseTimestamptz(text: string, s: DateSettings, zone = new Zone(s.timeZone)): number | undefined {
  const read = readFields(text, s);
  if (!read) return undefined;
  const { f, tz } = read;
  if (f.month < 1 || f.month > 12 || f.day < 1 || f.day > daysInMonth(f.year, f.month) || f.hour > 24 || f.minute > 59 || f.second > 60) return undefined;
  if (tz === undefined) return zone.fromLocal(f);
  if (tz === 'z' || tz === 'utc' || tz === 'gmt') return wall(f);
  const o = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(tz);
  if (o) return wall(f) - (Number(o[2]) * 3600 + Number(o[3] ?? 0) * 60) * (o[1] === '-' ? -1 : 1) * US_PER_SEC;
  const t = zone.fromLocal(f);
  return zone.local(t).abbrev.toLowerCase() === tz ? t : undefined;
}

const TIME = '(?:[ t]+(\\d{1,2}):(\\d{2})(?::(\\d{2})(\\.\\d+)?)?)?';
const ZONE = '\\s*(z|[a-z]+|[+-]\\d{1,2}(?::?\\d{2})?)?';
const NUMERIC = new RegExp(`^\\s*(\\d+)([-/.])(\\d+)\\2(\\d+)${TIME}${ZONE}\\s*$`, 'i');
const POSTGRES = new RegExp(`^\\s*(?:[a-z]{3}\\s+)?(?:([a-z]{3})\\s+(\\d{1,2})|(\\d{1,2})\\s+([a-z]{3}))\\s+(\\d{1,2}):(\\d{2})(?::(\\d{2})(\\.\\d+)?)?\\s+(\\d{4})${ZONE}\\s*$`, 'i');

/** The calendar fields and zone of a literal in one of the DateStyles. */
function readFields(text: string, s: DateSettings): { f: Fields; tz?: string } | undefined {
  const frac = (x: string | undefined) => (x ? Math.round(Number(x) * US_PER_SEC) : 0);
  const p = POSTGRES.exec(text);
  if (p) {
    const month = MONTHS.findIndex((m) => m.toLowerCase() === (p[1] ?? p[4]).toLowerCase()) + 1;
    if (!month) return undefined;
    const f = { year: Number(p[9]), month, day: Number(p[2] ?? p[3]), hour: Number(p[5]), minute: Number(p[6]), second: Number(p[7] ?? 0), micros: frac(p[8]) };
    return { f, tz: p[10]?.toLowerCase() };
  }
  const m = NUMERIC.exec(text);
  if (!m) return undefined;
  const [a, b, c] = [m[1], m[3], m[4]];
  let ymd: [number, number, number];
  if (a.length > 2) ymd = [Number(a), Number(b), Number(c)];
  else if (s.order === 'DMY' || m[2] === '.') ymd = [Number(c), Number(b), Number(a)];
  else if (s.order === 'MDY' || c.length > 2) ymd = [Number(c), Number(a), Number(b)];
  else return undefined;
  const f = { year: ymd[0], month: ymd[1], day: ymd[2], hour: Number(m[5] ?? 0), minute: Number(m[6] ?? 0), second: Number(m[7] ?? 0), micros: frac(m[8]) };
  return { f, tz: m[9]?.toLowerCase() };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** timestamptz + interval (timestamptz_pl_interval): months and days on the zone's calendar, then the time part. */
export function addInterval(t: number, i: Interval, zone: Zone): number {
  let v = t;
  if (i.months || i.days) {
    const f = zone.local(v).fields;
    if (i.months) {
      const total = f.year * 12 + (f.month - 1) + i.months;
      f.year = Math.floor(total / 12);
      f.month = total - f.year * 12 + 1;
      f.day = Math.min(f.day, daysInMonth(f.year, f.month));
    }
    if (i.days) {
      const moved = fieldsOfWall(wall({ ...f, hour: 0, minute: 0, second: 0, micros: 0 }) + i.days * US_PER_DAY);
      f.year = moved.year;
      f.month = moved.month;
      f.day = moved.day;
    }
    v = zone.fromLocal(f);
  }
  return v + i.micros;
}

/** date_trunc(field, timestamptz) in the zone. */
export function dateTrunc(field: 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year', t: number, zone: Zone): number {
  const f = zone.local(t).fields;
  const order = ['minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'];
  const at = order.indexOf(field);
  f.second = 0;
  f.micros = 0;
  if (at >= 1) f.minute = 0;
  if (at >= 2) f.hour = 0;
  if (field === 'week') {
    const dow = (new Date(wall(f) / 1000).getUTCDay() + 6) % 7;
    Object.assign(f, { ...fieldsOfWall(wall(f) - dow * US_PER_DAY) });
  }
  if (at >= 4) f.day = 1;
  if (field === 'quarter') f.month = Math.floor((f.month - 1) / 3) * 3 + 1;
  if (field === 'year') f.month = 1;
  return zone.fromLocal(f);
}

const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** HH:MM:SS with the fraction PostgreSQL prints (up to microseconds, no trailing zeros). */
function clock(f: Fields): string {
  const frac = f.micros ? `.${pad(f.micros, 6).replace(/0+$/, '')}` : '';
  return `${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}${frac}`;
}

/** EncodeTimezone: +HH, +HH:MM or +HH:MM:SS. */
function numericZone(offset: number): string {
  const a = Math.abs(offset);
  const [h, m, sec] = [Math.floor(a / 3600), Math.floor((a % 3600) / 60), a % 60];
  return `${offset < 0 ? '-' : '+'}${pad(h)}${m || sec ? `:${pad(m)}` : ''}${sec ? `:${pad(sec)}` : ''}`;
}

function datePart(f: Fields, s: DateSettings): string {
  const y = pad(f.year, 4);
  switch (s.style) {
    case 'ISO':
      return `${y}-${pad(f.month)}-${pad(f.day)}`;
    case 'SQL':
      return s.order === 'DMY' ? `${pad(f.day)}/${pad(f.month)}/${y}` : `${pad(f.month)}/${pad(f.day)}/${y}`;
    case 'German':
      return `${pad(f.day)}.${pad(f.month)}.${y}`;
    case 'Postgres':
      return s.order === 'DMY' ? `${pad(f.day)}-${pad(f.month)}-${y}` : `${pad(f.month)}-${pad(f.day)}-${y}`;
  }
}

/** A timestamptz printed as a value of `type` (date_out, timestamp_out, timestamptz_out) in the session's DateStyle and zone. */
export function formatAs(type: 'date' | 'timestamp' | 'timestamptz', t: number, s: DateSettings, zone = new Zone(s.timeZone)): string {
  const { fields: f, abbrev, offset } = zone.local(t);
  if (type === 'date') return datePart(f, s);
  const withZone = type === 'timestamptz';
  const zonePart = withZone ? (s.style === 'ISO' ? numericZone(offset) : ` ${abbrev}`) : '';
  if (s.style === 'ISO') return `${datePart(f, s)} ${clock(f)}${zonePart}`;
  if (s.style !== 'Postgres') return `${datePart(f, s)} ${clock(f)}${zonePart}`;
  const dow = DAYS[new Date(wall(f) / 1000).getUTCDay()];
  const dayMonth = s.order === 'DMY' ? `${pad(f.day)} ${MONTHS[f.month - 1]}` : `${MONTHS[f.month - 1]} ${pad(f.day)}`;
  return `${dow} ${dayMonth} ${clock(f)} ${pad(f.year, 4)}${zonePart}`;
}

/** to_char(timestamptz, pattern) for the patterns Citus names partitions with: YYYY, IYYY, IW, Q, MM, DD, HH24, MI, SS and "quoted" text. */
export function toChar(t: number, pattern: string, zone: Zone): string {
  const f = zone.local(t).fields;
  const iso = isoWeek(f);
  const fields: Record<string, string> = { YYYY: pad(f.year, 4), IYYY: pad(iso.year, 4), IW: pad(iso.week), Q: String(Math.floor((f.month - 1) / 3) + 1), MM: pad(f.month), DD: pad(f.day), HH24: pad(f.hour), MI: pad(f.minute), SS: pad(f.second) };
  let out = '';
  for (let i = 0; i < pattern.length; ) {
    if (pattern[i] === '"') {
      const end = pattern.indexOf('"', i + 1);
      out += pattern.slice(i + 1, end === -1 ? undefined : end);
      i = end === -1 ? pattern.length : end + 1;
      continue;
    }
    const token = ['HH24', 'IYYY', 'YYYY', 'IW', 'MM', 'DD', 'MI', 'SS', 'Q'].find((k) => pattern.startsWith(k, i));
    out += token ? fields[token] : pattern[i];
    i += token ? token.length : 1;
  }
  return out;
}

/** The ISO 8601 week-numbering year and week of a day. */
function isoWeek(f: Fields): { year: number; week: number } {
  const day = Date.UTC(f.year, f.month - 1, f.day);
  const dow = (new Date(day).getUTCDay() + 6) % 7;
  const thursday = new Date(day + (3 - dow) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000));
  return { year, week };
}
