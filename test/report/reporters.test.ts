import { describe, it, expect } from 'vitest';
import { formatFindings, FINDINGS_FORMATS, formatText } from '../../src/report/findings/index.js';
import { buildReport } from '../../src/report/model.js';
import { expectGolden } from './golden.js';
import { sampleReport, sampleSources, FINDINGS, RULES } from './sample.js';

const EXT: Record<string, string> = { text: 'txt', json: 'json', sarif: 'sarif', github: 'txt', markdown: 'md' };

describe('findings reporters: goldens over a fixed report', () => {
  for (const format of FINDINGS_FORMATS) {
    it(`${format}`, () => {
      const out = formatFindings(sampleReport(), format, { text: { color: false, sources: sampleSources() } });
      expectGolden(`sample.${format}.${EXT[format]}`, out);
    });
  }

  it('text with colour', () => {
    expectGolden('sample.text-color.txt', formatText(sampleReport(), { color: true, sources: sampleSources() }));
  });

  it('text without sources has no frames, and a clean run says so', () => {
    expectGolden('sample.text-nosource.txt', formatText(sampleReport(), { color: false }));
    const clean = buildReport({ tool: { name: 'shardwise', version: '0.1.0' }, files: ['a.sql', 'b.sql'], findings: [], rules: RULES });
    expect(formatText(clean, { color: false })).toBe('✔ no problems in 2 files\n');
  });

  it('colour off means no escape sequences at all, on means some', () => {
    const plain = formatText(sampleReport(), { color: false, sources: sampleSources() });
    expect(plain).not.toMatch(/\x1b\[/);
    expect(formatText(sampleReport(), { color: true, sources: sampleSources() })).toMatch(/\x1b\[31m/);
  });

  it('output does not depend on the order findings arrive in', () => {
    const shuffled = buildReport({
      tool: { name: 'shardwise', version: '0.1.0', informationUri: 'https://github.com/shardwise/shardwise' },
      files: ['migrations/003_clean.sql', 'migrations/002 add, index.sql', 'migrations/001_init.sql'],
      findings: [...FINDINGS].reverse(),
      rules: [...RULES].reverse(),
    });
    for (const format of FINDINGS_FORMATS) {
      expect(formatFindings(shuffled, format)).toBe(formatFindings(sampleReport(), format));
    }
  });
});

describe('buildReport', () => {
  it('sorts, groups by file, counts and fills in rules the findings name', () => {
    const r = sampleReport();
    expect(r.files.map((f) => [f.file, f.findings.length])).toEqual([
      ['migrations/001_init.sql', 3],
      ['migrations/002 add, index.sql', 2],
      ['migrations/003_clean.sql', 0],
    ]);
    expect(r.findings.map((f) => `${f.location.line}:${f.ruleId}`)).toEqual(['3:ID01', '4:FK01', '5:ID01', '1:unused-ignore', '2:UQ01']);
    expect(r.summary).toEqual({ files: 3, filesWithFindings: 2, findings: 5, error: 1, warning: 2, info: 2 });
    expect(r.rules.map((x) => x.id)).toEqual(['FK01', 'ID01', 'UQ01', 'unused-ignore']);
  });
});

describe('toRuleMeta', () => {
  it('takes a rule document and gives it its stable docs URL', async () => {
    const { toRuleMeta } = await import('../../src/report/model.js');
    expect(
      toRuleMeta({ id: 'FK01', name: 'foreign-key.x', group: 'foreign-key', severity: 'error', summary: 'Do it', help: 'Like so' }),
    ).toEqual({ id: 'FK01', name: 'foreign-key.x', group: 'foreign-key', severity: 'error', summary: 'Do it', help: 'Like so', helpUri: 'https://github.com/shardwise/shardwise/blob/main/docs/rules/FK01.md' });
  });
});
