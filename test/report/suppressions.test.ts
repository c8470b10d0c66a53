import { beforeAll, describe, it, expect } from 'vitest';
import { loadParser, readScript } from '../../src/ingest/pg/index.js';
import type { Finding } from '../../src/rules/finding.js';
import { applySuppressions, parseDirective, parseSuppressions } from '../../src/report/suppressions.js';

beforeAll(async () => {
  await loadParser();
});

const KNOWN = ['FK01', 'FK02', 'UQ01', 'foreign-key.reference-to-distributed'];

function finding(ruleId: string, line: number, column = 1, file = 'm.sql', ruleName?: string): Finding {
  return { ruleId, ...(ruleName ? { ruleName } : {}), severity: 'error', message: `${ruleId} at ${line}`, location: { file, line, column } };
}

describe('parseDirective', () => {
  it('reads rules, separators and the reason', () => {
    expect(parseDirective('-- shardwise-ignore FK01, UQ01 -- the table is tiny')).toEqual({
      kind: 'statement',
      rules: [
        { rule: 'FK01', offset: 20 },
        { rule: 'UQ01', offset: 26 },
      ],
      reason: 'the table is tiny',
    });
    expect(parseDirective('--shardwise-ignore-file')).toEqual({ kind: 'file', rules: [] });
    expect(parseDirective('/* shardwise-ignore FK01 */')).toEqual({ kind: 'statement', rules: [{ rule: 'FK01', offset: 20 }] });
    expect(parseDirective('-- shardwise-ignore-file FK01 FK02')?.rules.map((r) => r.rule)).toEqual(['FK01', 'FK02']);
  });

  it('ignores look-alikes', () => {
    expect(parseDirective('-- shardwise-ignored FK01')).toBeUndefined();
    expect(parseDirective('-- see shardwise-ignore FK01')).toBeUndefined();
    expect(parseDirective('-- shardwise-ignore-files')).toBeUndefined();
  });
});

describe('parseSuppressions', () => {
  it('ties an ignore to the next statement, with exact positions', () => {
    const sql = [
      'CREATE TABLE a (id int);',
      '-- shardwise-ignore FK01, UQ01 -- legacy',
      'CREATE TABLE b (',
      '  a_id int REFERENCES a',
      ');',
      'CREATE TABLE c (id int);',
      '',
    ].join('\n');
    const [s] = parseSuppressions(readScript('m.sql', sql));
    expect(s).toEqual({
      kind: 'statement',
      file: 'm.sql',
      rules: [
        { rule: 'FK01', location: { file: 'm.sql', line: 2, column: 21 } },
        { rule: 'UQ01', location: { file: 'm.sql', line: 2, column: 27 } },
      ],
      reason: 'legacy',
      location: { file: 'm.sql', line: 2, column: 1 },
      target: { start: { file: 'm.sql', line: 3, column: 1 }, end: { file: 'm.sql', line: 5, column: 2 } },
    });
  });

  it('a comment inside a statement applies to that statement', () => {
    const sql = 'CREATE TABLE b (\n  -- shardwise-ignore FK01\n  a_id int REFERENCES a\n);\nSELECT 1;\n';
    const [s] = parseSuppressions(readScript('m.sql', sql));
    expect(s.target).toEqual({ start: { file: 'm.sql', line: 1, column: 1 }, end: { file: 'm.sql', line: 4, column: 2 } });
  });

  it('never reads -- inside strings or dollar-quoted bodies, and counts columns after multi-byte text', () => {
    const sql = [
      "SELECT '-- shardwise-ignore FK01';",
      'CREATE FUNCTION f() RETURNS int AS $$',
      '  -- shardwise-ignore FK02',
      '  SELECT 1 $$ LANGUAGE sql;',
      "SELECT 'é'; /* shardwise-ignore UQ01 */",
      'SELECT 2;',
      '',
    ].join('\n');
    const sups = parseSuppressions(readScript('m.sql', sql));
    expect(sups).toHaveLength(1);
    expect(sups[0].rules[0]).toEqual({ rule: 'UQ01', location: { file: 'm.sql', line: 5, column: 33 } });
    expect(sups[0].target?.start.line).toBe(6);
  });

  it('finds directives around psql meta-commands and COPY data', () => {
    const sql = [
      '\\connect db',
      'COPY t (a) FROM stdin;',
      "it's -- shardwise-ignore FK01",
      '\\.',
      '-- shardwise-ignore-file UQ01',
      'SELECT 1;',
      '',
    ].join('\n');
    const sups = parseSuppressions(readScript('m.sql', sql));
    expect(sups.map((s) => [s.kind, s.location.line])).toEqual([['file', 5]]);
  });
});

describe('applySuppressions', () => {
  const sql = [
    '-- shardwise-ignore-file UQ01',
    'CREATE TABLE a (id int);',
    '-- shardwise-ignore FK01, FK02 -- reviewed',
    'CREATE TABLE b (',
    '  a_id int REFERENCES a',
    ');',
    '-- shardwise-ignore FK99',
    'CREATE TABLE c (id int);',
    '-- shardwise-ignore',
    'CREATE TABLE d (id int);',
    '-- shardwise-ignore foreign-key.reference-to-distributed',
    'CREATE TABLE e (id int REFERENCES a);',
    '-- shardwise-ignore FK01',
    '',
  ].join('\n');

  it('drops covered findings and reports unused and unknown ignores', async () => {
    const sups = parseSuppressions(readScript('m.sql', sql));
    const findings = [
      finding('UQ01', 2),
      finding('FK01', 5, 3),
      finding('FK01', 8), // not covered: the ignore above names FK99 only
      finding('FK01', 12, 1, 'm.sql', 'foreign-key.reference-to-distributed'),
      finding('UQ01', 1, 1, 'other.sql'),
    ];
    const out = applySuppressions(findings, sups, KNOWN);
    expect(out.suppressed.map((f) => `${f.location.file}:${f.location.line} ${f.ruleId}`)).toEqual(['m.sql:2 UQ01', 'm.sql:5 FK01', 'm.sql:12 FK01']);
    expect(out.findings.map((f) => `${f.location.file}:${f.location.line} ${f.ruleId}`)).toEqual(['m.sql:8 FK01', 'other.sql:1 UQ01']);
    expect(out.extra.map((f) => `${f.location.line}:${f.location.column} ${f.ruleId} ${f.message}`)).toEqual([
      '3:27 unused-ignore shardwise-ignore FK02 suppresses nothing: the next statement has no FK02 finding',
      '7:21 unknown-ignore shardwise-ignore names FK99, which is not a shardwise rule, so it suppresses nothing',
      '9:1 unused-ignore shardwise-ignore suppresses nothing: the next statement has no finding',
      '13:1 unused-ignore shardwise-ignore has no statement after it, so it suppresses nothing',
    ]);
    for (const e of out.extra) {
      expect(e.severity).toBe('warning');
      expect(e.url).toBe(`https://github.com/shardwise/shardwise/blob/main/docs/rules/README.md#${e.ruleId}`);
    }
  });

  it('a file-wide ignore with no rule silences everything, but never the ignore findings', () => {
    const sups = parseSuppressions(readScript('m.sql', '-- shardwise-ignore-file\nSELECT 1;\n-- shardwise-ignore FK01\nSELECT 2;\n'));
    const out = applySuppressions([finding('UQ01', 2), finding('syntax-error', 4)], sups, KNOWN);
    expect(out.findings).toEqual([]);
    expect(out.suppressed).toHaveLength(2);
    expect(out.extra.map((f) => f.ruleId)).toEqual(['unused-ignore']);
    const again = applySuppressions(out.extra, sups, KNOWN);
    expect(again.findings).toEqual(out.extra);
  });

  it('an unused file-wide rule is reported at the rule', () => {
    const sups = parseSuppressions(readScript('m.sql', '-- shardwise-ignore-file FK01 UQ01\nSELECT 1;\n'));
    const out = applySuppressions([finding('FK01', 2)], sups, KNOWN);
    expect(out.extra.map((f) => `${f.location.line}:${f.location.column} ${f.message}`)).toEqual([
      '1:31 shardwise-ignore-file UQ01 suppresses nothing: this file has no UQ01 finding',
    ]);
  });
});
