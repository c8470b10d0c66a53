/** The findings reporters: each a pure function (report, options) -> string. */
import type { Report } from '../model.js';
import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatMarkdown, type MarkdownOptions } from './markdown.js';
import { formatSarif } from './sarif.js';
import { formatText, type TextOptions } from './text.js';

export * from './codeframe.js';
export * from './github.js';
export * from './json.js';
export * from './markdown.js';
export * from './sarif.js';
export * from './text.js';

export const FINDINGS_FORMATS = ['text', 'json', 'sarif', 'github', 'markdown'] as const;
export type FindingsFormat = (typeof FINDINGS_FORMATS)[number];

export function isFindingsFormat(s: string): s is FindingsFormat {
  return (FINDINGS_FORMATS as readonly string[]).includes(s);
}

export interface FindingsFormatOptions {
  readonly text?: TextOptions;
  readonly markdown?: MarkdownOptions;
}

/** Render a report in one of the formats; text defaults to no colour. */
export function formatFindings(report: Report, format: FindingsFormat, options: FindingsFormatOptions = {}): string {
  switch (format) {
    case 'text':
      return formatText(report, options.text ?? { color: false });
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report);
    case 'github':
      return formatGithub(report);
    case 'markdown':
      return formatMarkdown(report, options.markdown);
  }
}
