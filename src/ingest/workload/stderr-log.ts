/**
 * PostgreSQL's stderr log format: `<log_line_prefix><SEVERITY>:  <message>`,
 * a message's further lines start with a tab. The prefix is found by trying
 * the usual `log_line_prefix` settings on the first lines (or given by the
 * caller); its `%p` (pid) or `%c` (session id) keeps sessions apart.
 */
import type { WorkloadBuilder } from './builder.js';
import { forEachLine } from './lines.js';
import { LogInterpreter } from './log-events.js';

const SEVERITIES = 'LOG|ERROR|WARNING|FATAL|PANIC|DETAIL|HINT|CONTEXT|STATEMENT|NOTICE|INFO|DEBUG[1-5]?|LOCATION|QUERY';

/** log_line_prefix values tried, in order of preference when several fit. */
export const KNOWN_PREFIXES: readonly string[] = [
  '%m [%p] ', // PostgreSQL's default since 10
  '%m [%p] %q%u@%d ', // Debian / Ubuntu packages
  '%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ', // pgBadger's recommendation
  '%t [%p]: [%l-1] user=%u,db=%d ',
  '%m [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ',
  '%m [%p]: [%l-1] user=%u,db=%d ',
  '%t [%p]: user=%u,db=%d,app=%a,client=%h ',
  '%m [%p]: user=%u,db=%d,app=%a,client=%h ',
  '%t:%r:%u@%d:[%p]:', // Amazon RDS
  '%m [%p] %u@%d ',
  '%t [%p-%l] %q%u@%d ', // older Debian packages
  '%t [%p] ',
  '%m %c ',
  '%m [%p] %c ',
];

export interface CompiledPrefix {
  readonly prefix: string;
  /** Matches a whole first line: groups `sev` and `msg`, and `pid` / `sid` when the prefix has them. */
  readonly regex: RegExp;
}

const TS = '\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d';
const ZONE = '(?: [A-Za-z0-9+:\\-/_]+)?';

/** Turn a log_line_prefix setting into a regular expression. */
export function compilePrefix(prefix: string): CompiledPrefix {
  let re = '';
  let optionalFrom = -1;
  let hasPid = false;
  let hasSid = false;
  for (let i = 0; i < prefix.length; i++) {
    const ch = prefix[i];
    if (ch !== '%') {
      re += escapeRegex(ch);
      continue;
    }
    // skip a padding spec such as %-10u
    let j = i + 1;
    while (j < prefix.length && /[-0-9]/.test(prefix[j])) j++;
    const esc = prefix[j];
    i = j;
    switch (esc) {
      case 'm':
        re += `${TS}\\.\\d+${ZONE}`;
        break;
      case 't':
      case 's':
        re += `${TS}${ZONE}`;
        break;
      case 'n':
        re += '\\d+(?:\\.\\d+)?';
        break;
      case 'p':
        re += hasPid ? '\\d+' : '(?<pid>\\d+)';
        hasPid = true;
        break;
      case 'c':
        re += hasSid ? '[0-9a-f]+\\.[0-9a-f]+' : '(?<sid>[0-9a-f]+\\.[0-9a-f]+)';
        hasSid = true;
        break;
      case 'l':
      case 'x':
      case 'P':
      case 'Q':
        re += '-?\\d*';
        break;
      case 'v':
        re += '(?:\\d+/\\d+)?';
        break;
      case 'e':
        re += '[0-9A-Z]{5}';
        break;
      case 'q':
        optionalFrom = re.length;
        break;
      case '%':
        re += '%';
        break;
      default: // %u %d %a %h %r %b %i %L and unknown escapes: any text
        re += '.*?';
        break;
    }
  }
  if (optionalFrom >= 0) re = `${re.slice(0, optionalFrom)}(?:${re.slice(optionalFrom)})?`;
  return { prefix, regex: new RegExp(`^${re}(?<sev>${SEVERITIES}):  (?<msg>.*)$`) };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A prefix that fits any line holding `[pid]` somewhere before the severity. */
const FALLBACK: CompiledPrefix = {
  prefix: '',
  regex: new RegExp(`^(?:.*?\\[(?<pid>\\d+)\\].*?)?(?<sev>${SEVERITIES}):  (?<msg>.*)$`),
};

/** The known prefix that fits most of the sample lines (first in list order on a tie), or a loose fallback. */
export function detectPrefix(lines: readonly string[]): CompiledPrefix {
  let best: CompiledPrefix | undefined;
  let bestScore = 0;
  const firstLines = lines.filter((l) => l.length && l[0] !== '\t');
  for (const p of KNOWN_PREFIXES) {
    const c = compilePrefix(p);
    let score = 0;
    for (const l of firstLines) if (c.regex.test(l)) score++;
    if (score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best ?? FALLBACK;
}

export interface StderrOptions {
  /** The server's log_line_prefix, when known; detected otherwise. */
  readonly logLinePrefix?: string;
}

const SAMPLE_LINES = 200;

/**
 * Read a stderr log into the builder. Lines that fit no prefix and are not
 * continuation lines are reported (one diagnostic per line) and skipped.
 */
export async function readStderrLogInto(builder: WorkloadBuilder, file: string, absolute: string, options: StderrOptions = {}): Promise<void> {
  const interp = new LogInterpreter(builder, `${file}\u0000`);
  let compiled: CompiledPrefix | undefined = options.logLinePrefix !== undefined ? compilePrefix(options.logLinePrefix) : undefined;
  const buffered: Array<[string, number]> = [];
  // current entry being assembled
  let cur: { session: string; severity: string; parts: string[]; line: number } | undefined;
  const emit = (): void => {
    if (!cur) return;
    const message = cur.parts.length === 1 ? cur.parts[0] : cur.parts.join('\n');
    interp.event({ session: cur.session, severity: cur.severity, message, location: { file, line: cur.line, column: 1 } });
    cur = undefined;
  };
  const handle = (text: string, line: number, re: RegExp): void => {
    if (text.charCodeAt(0) === 0x09) {
      if (cur) cur.parts.push(text.slice(1));
      return;
    }
    emit();
    if (text.length === 0) return;
    const m = re.exec(text);
    if (!m) {
      builder.report({
        code: 'input-error',
        severity: 'warning',
        message: `log line not understood (expected a log_line_prefix "${compiled?.prefix ?? ''}" followed by a severity such as LOG:)`,
        location: { file, line, column: 1 },
      });
      return;
    }
    const g = m.groups as { pid?: string; sid?: string; sev: string; msg: string };
    cur = { session: g.sid ?? g.pid ?? '', severity: g.sev, parts: [g.msg], line };
  };
  await forEachLine(absolute, (text, line) => {
    if (compiled) {
      handle(text, line, compiled.regex);
      return;
    }
    buffered.push([text, line]);
    if (buffered.length >= SAMPLE_LINES) {
      compiled = detectPrefix(buffered.map(([t]) => t));
      for (const [t, l] of buffered) handle(t, l, compiled.regex);
      buffered.length = 0;
    }
  });
  if (!compiled) {
    compiled = detectPrefix(buffered.map(([t]) => t));
    for (const [t, l] of buffered) handle(t, l, compiled.regex);
  }
  emit();
  interp.finish();
}
