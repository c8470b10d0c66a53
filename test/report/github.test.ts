/**
 * GitHub workflow commands. The expected strings are the cases of GitHub's own
 * toolkit tests (actions/toolkit, packages/core/__tests__/command.test.ts);
 * the parser below follows the runner's documented reading of a command line
 * (properties split on `,`, key and value on the first `=`, then unescaped).
 */
import { describe, it, expect } from 'vitest';
import { escapeData, escapeProperty, formatGithub } from '../../src/report/findings/github.js';
import { buildReport } from '../../src/report/model.js';
import { sampleReport } from './sample.js';

function unescapeData(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}
function unescapeProperty(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}

/** Read one workflow command line as the runner does. */
function parseCommand(line: string): { command: string; properties: Record<string, string>; message: string } {
  expect(line.startsWith('::')).toBe(true);
  const end = line.indexOf('::', 2);
  const head = line.slice(2, end);
  const message = unescapeData(line.slice(end + 2));
  const space = head.indexOf(' ');
  const command = space === -1 ? head : head.slice(0, space);
  const properties: Record<string, string> = {};
  if (space !== -1) {
    for (const pair of head.slice(space + 1).split(',')) {
      const eq = pair.indexOf('=');
      properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
    }
  }
  return { command, properties, message };
}

describe('GitHub workflow commands', () => {
  it('escapes messages as GitHub documents', () => {
    expect(escapeData('percent % percent % cr \r cr \r lf \n lf \n')).toBe('percent %25 percent %25 cr %0D cr %0D lf %0A lf %0A');
    expect(escapeData('%25 %25 %0D %0D %0A %0A')).toBe('%2525 %2525 %250D %250D %250A %250A');
    // `:` and `,` are left alone in the message.
    expect(escapeData('a: b, c')).toBe('a: b, c');
  });

  it('escapes property values as GitHub documents', () => {
    expect(escapeProperty('percent % percent % cr \r cr \r lf \n lf \n colon : colon : comma , comma ,')).toBe(
      'percent %25 percent %25 cr %0D cr %0D lf %0A lf %0A colon %3A colon %3A comma %2C comma %2C',
    );
    expect(escapeProperty('%25 %3A %2C')).toBe('%2525 %253A %252C');
  });

  it('writes one annotation per finding that reads back to the finding', () => {
    const report = sampleReport();
    const lines = formatGithub(report).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(report.findings.length);
    lines.forEach((line, i) => {
      const f = report.findings[i];
      const cmd = parseCommand(line);
      expect(cmd.command).toBe(f.severity === 'info' ? 'notice' : f.severity);
      expect(cmd.properties.file).toBe(f.location.file);
      expect(cmd.properties.line).toBe(String(f.location.line));
      expect(cmd.properties.col).toBe(String(f.location.column));
      expect(cmd.properties.title.startsWith(f.ruleId)).toBe(true);
      expect(cmd.message.split('\n')[0]).toBe(f.message);
    });
  });

  it('survives hostile text in paths and messages', () => {
    const report = buildReport({
      tool: { name: 'shardwise', version: '0.1.0' },
      files: [],
      findings: [
        {
          ruleId: 'X01',
          ruleName: 'a,b:c',
          severity: 'error',
          message: '100%\r\nthen ::warning::injected',
          location: { file: 'dir,x/a:b%.sql', line: 1, column: 1 },
        },
      ],
      rules: [],
    });
    const [line] = formatGithub(report).split('\n');
    expect(line).not.toMatch(/[\r\n]/);
    const cmd = parseCommand(line);
    expect(cmd.properties).toEqual({ file: 'dir,x/a:b%.sql', line: '1', col: '1', title: 'X01 a,b:c' });
    expect(cmd.message.startsWith('100%\r\nthen ::warning::injected')).toBe(true);
  });

  it('prints nothing for a clean run', () => {
    expect(formatGithub(buildReport({ tool: { name: 's', version: '1' }, files: ['a.sql'], findings: [], rules: [] }))).toBe('');
  });
});
