import { describe, it, expect } from 'vitest';
import { formatMarkdown, GITHUB_COMMENT_LIMIT, MARKDOWN_MARKER } from '../../src/report/findings/markdown.js';
import { buildReport } from '../../src/report/model.js';
import type { Finding } from '../../src/rules/finding.js';
import { sampleReport } from './sample.js';

function manyFindings(n: number, rules: number): Finding[] {
  return Array.from({ length: n }, (_, i) => ({
    ruleId: `R${String(i % rules).padStart(3, '0')}`,
    severity: i % 3 === 0 ? 'error' : 'warning',
    message: `finding ${i}: ${'a long explanation of what Citus does with this table '.repeat(2)}`,
    location: { file: `migrations/${String(i % 40).padStart(3, '0')}.sql`, line: i + 1, column: 1 },
  }));
}

describe('Markdown reporter', () => {
  it('starts with the marker a CI job finds its comment by', () => {
    expect(formatMarkdown(sampleReport()).startsWith(MARKDOWN_MARKER + '\n')).toBe(true);
    const clean = buildReport({ tool: { name: 's', version: '1' }, files: ['a.sql'], findings: [], rules: [] });
    expect(formatMarkdown(clean)).toBe(`${MARKDOWN_MARKER}\n## shardwise\n\n✅ No problems in 1 file.\n\nNo problems found.\n`);
  });

  it('keeps each finding on one table row, pipes escaped', () => {
    const md = formatMarkdown(sampleReport());
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Severity'));
    expect(rows).toHaveLength(sampleReport().findings.length);
    // Unescaped pipes split cells: every row has exactly the 5 cell borders.
    for (const r of rows) expect(r.replace(/\\\|/g, '').split('|')).toHaveLength(6);
  });

  it('falls back to a per-rule summary over GitHub’s 65,536-character limit', () => {
    const report = buildReport({ tool: { name: 's', version: '1' }, files: [], findings: manyFindings(2000, 12), rules: [] });
    const md = formatMarkdown(report);
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(md.startsWith(MARKDOWN_MARKER)).toBe(true);
    expect(md).toContain('summarised per rule');
    expect(md).toContain('| Rule | Severity | Findings | Files |');
    const rows = md.split('\n').filter((l) => l.startsWith('| [R'));
    expect(rows).toHaveLength(12);
    // Errors first, then by count.
    expect(rows[0]).toMatch(/^\| \[R000\]\(.*\) \| 🔴 error \| 167 \|/);
    const total = rows.reduce((n, r) => n + Number(r.split('|')[3]), 0);
    expect(total).toBe(2000);
  });

  it('uses the full table right up to the limit and the summary just past it', () => {
    const report = buildReport({ tool: { name: 's', version: '1' }, files: [], findings: manyFindings(30, 5), rules: [] });
    const full = formatMarkdown(report);
    expect(formatMarkdown(report, { maxLength: full.length })).toBe(full);
    const over = formatMarkdown(report, { maxLength: full.length - 1 });
    expect(over).toContain('summarised per rule');
    expect(over.length).toBeLessThan(full.length);
  });

  it('cuts the summary itself when even it does not fit, saying how many rules are left out', () => {
    const report = buildReport({ tool: { name: 's', version: '1' }, files: [], findings: manyFindings(400, 200), rules: [] });
    const md = formatMarkdown(report, { maxLength: 3000 });
    expect(md.length).toBeLessThanOrEqual(3000);
    const shown = md.split('\n').filter((l) => l.startsWith('| [R')).length;
    expect(md).toContain(`…and ${200 - shown} more rules.`);
  });
});
