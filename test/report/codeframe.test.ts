import { describe, it, expect } from 'vitest';
import { SourceText } from '../../src/ingest/pg/source.js';
import { codeFrame } from '../../src/report/findings/codeframe.js';

describe('codeFrame', () => {
  const src = new SourceText('a.sql', 'SELECT 1;\nSELECT café, x FROM t;\nSELECT 3;\n');

  it('puts the caret under the column, counting code points', () => {
    const frame = codeFrame(src, 2, 14, { context: 0 });
    const [line, caret] = frame.split('\n');
    expect(line).toBe('> 2 | SELECT café, x FROM t;');
    // The caret sits under "x", the 14th character.
    expect(caret.indexOf('^')).toBe(line.indexOf('x'));
  });

  it('shows context lines and widens the gutter for two-digit numbers', () => {
    const text = Array.from({ length: 12 }, (_, i) => `-- line ${i + 1}`).join('\n');
    const frame = codeFrame(new SourceText('b.sql', text), 10, 4, { context: 1 });
    expect(frame.split('\n')).toEqual(['   9 | -- line 9', '> 10 | -- line 10', '     |    ^', '  11 | -- line 11']);
  });

  it('keeps tabs before the caret so it lines up however tabs render', () => {
    const frame = codeFrame(new SourceText('c.sql', '\tuser_id bigint'), 1, 2, { context: 0 });
    expect(frame.split('\n')[1]).toBe('    | \t^');
  });

  it('cuts long lines around the column', () => {
    const long = 'x'.repeat(300) + 'HERE' + 'y'.repeat(300);
    const frame = codeFrame(new SourceText('d.sql', long), 1, 301, { context: 0, maxWidth: 40 });
    const [line, caret] = frame.split('\n');
    expect(line.length).toBeLessThan(60);
    expect(line[caret.indexOf('^')]).toBe('H');
  });

  it('is empty for a line outside the text', () => {
    expect(codeFrame(src, 99, 1)).toBe('');
  });
});
