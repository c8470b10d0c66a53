/** The configuration: what `.shardwise.yml` holds, and what loading and layering it gives. */
import type { Severity } from '../rules/finding.js';

export type FailOn = Severity | 'none';
/** `off`, `on` (the rule's default severity) or a severity. */
export type RuleLevel = 'off' | 'on' | Severity;

/** One file's content, as schemas/config.schema.json validates it. */
export interface ConfigFile {
  readonly $schema?: string;
  readonly citus?: string;
  readonly fail_on?: FailOn;
  readonly schema?: string;
  readonly plan?: string;
  readonly exclude?: readonly string[];
  readonly rules?: Readonly<Record<string, RuleLevel | RuleSettingObject>>;
}

export interface RuleSettingObject {
  readonly severity?: RuleLevel;
  readonly options?: Readonly<Record<string, unknown>>;
}

/** What the command line sets; it overrides every file. */
export interface ConfigOverrides {
  readonly citus?: string;
  readonly failOn?: FailOn;
  readonly schema?: string;
  readonly plan?: string;
  /** Added to the files' exclusions (relative to the working directory). */
  readonly exclude?: readonly string[];
  readonly rules?: Readonly<Record<string, RuleLevel | RuleSettingObject>>;
}

/** Where a setting came from: a config file position, or the command line. */
export interface Origin {
  /** Path as shown to the user (relative to the working directory when inside it), or `command line`. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** How a selector kind ranks: an exact id or name beats a group, a group beats a glob. */
export type SelectorKind = 'glob' | 'group' | 'exact';

export interface RuleSetting {
  /** As written: id, dotted name, group or glob. */
  readonly selector: string;
  readonly level?: RuleLevel;
  readonly options?: Readonly<Record<string, unknown>>;
  /** 0 for the discovered file, 1 for --config, 2 for the command line. */
  readonly layer: number;
  /** Position in its layer. */
  readonly order: number;
  readonly origin: Origin;
}

export interface ExcludePattern {
  readonly pattern: string;
  /** Absolute directory the glob is relative to (its file's directory, or the working directory). */
  readonly base: string;
  readonly origin: Origin;
}

/** The layered configuration; plain data (see ./rules.ts for the questions asked of it). */
export interface ResolvedConfig {
  /** Absolute working directory. */
  readonly cwd: string;
  /** Absolute paths of the files applied, lowest layer first. */
  readonly files: readonly string[];
  readonly citus?: string;
  readonly failOn: FailOn;
  /** Absolute paths. */
  readonly schema?: string;
  readonly plan?: string;
  readonly exclude: readonly ExcludePattern[];
  /** In application order: by layer, then order within the layer. */
  readonly rules: readonly RuleSetting[];
}

export interface ConfigProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly hint?: string;
}

/**
 * A configuration the user must fix. `message` lists every problem as
 * `file:line:column: what`; `hint` says what would be accepted.
 */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];
  readonly hint?: string;
  constructor(problems: readonly ConfigProblem[]) {
    const first = problems[0];
    super(
      problems
        .map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}${p.hint && problems.length > 1 ? ` (${p.hint})` : ''}`)
        .join('\n'),
    );
    this.name = 'ConfigError';
    this.problems = problems;
    this.hint = problems.length === 1 ? first?.hint : undefined;
  }
}
