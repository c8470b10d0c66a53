/**
 * A code frame like ESLint's: the offending line with a line or two around it,
 * a gutter of line numbers, `>` on the finding's line and a caret under its
 * column. Written here rather than taken from @babel/code-frame: that package
 * brings a JavaScript highlighter (wrong for SQL) and reads the environment
 * for colour, and what is left is twenty lines.
 */

/** What a frame needs of a source text (`SourceText` has both). */
export interface SourceLines {
  lineText(line: number): string;
  readonly lineCount: number;
}

export interface FrameStyle {
  readonly gutter: (s: string) => string;
  readonly marker: (s: string) => string;
}

const PLAIN: FrameStyle = { gutter: (s) => s, marker: (s) => s };

export interface FrameOptions {
  /** Lines shown before and after the finding's line (default 1). */
  readonly context?: number;
  /** Longest line shown, in characters; longer lines are cut around the column (default 160). */
  readonly maxWidth?: number;
  readonly style?: FrameStyle;
}

/** The frame for a 1-based line:column; empty when the line is outside the text. */
export function codeFrame(source: SourceLines, line: number, column: number, options: FrameOptions = {}): string {
  if (line < 1 || line > source.lineCount) return '';
  const context = options.context ?? 1;
  const maxWidth = options.maxWidth ?? 160;
  const style = options.style ?? PLAIN;
  const first = Math.max(1, line - context);
  const last = Math.min(source.lineCount, line + context);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const chars = Array.from(source.lineText(n).trimEnd());
    // Cut long lines to a window that keeps the column in view.
    const start = chars.length > maxWidth && n === line ? Math.max(0, Math.min(column - 1 - (maxWidth >> 1), chars.length - maxWidth)) : 0;
    const shown = chars.slice(start, start + maxWidth);
    const text = (start > 0 ? '…' : '') + shown.join('') + (start + maxWidth < chars.length ? '…' : '');
    const mark = n === line ? style.marker('>') : ' ';
    const gutter = style.gutter(` ${String(n).padStart(width)} |`);
    out.push(`${mark}${gutter}${text ? ' ' + text : ''}`);
    if (n === line) {
      // Keep tabs before the column so the caret lines up however the terminal renders them.
      const col = Math.max(1, column) - 1 - start;
      const lead = chars.slice(start, start + Math.max(0, col)).map((c) => (c === '\t' ? '\t' : ' ')).join('');
      out.push(` ${style.gutter(` ${' '.repeat(width)} |`)} ${start > 0 ? ' ' : ''}${lead}${style.marker('^')}`);
    }
  }
  return out.join('\n');
}
