/**
 * loadConfig: the discovered `.shardwise.yml`, under an explicit `--config`
 * file, under the command line's flags.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { displayPath } from '../ingest/files.js';
import { findConfigFile } from './discover.js';
import {
  ConfigError,
  type ConfigFile,
  type ConfigProblem,
  type ConfigOverrides,
  type ExcludePattern,
  type FailOn,
  type Origin,
  type ResolvedConfig,
  type RuleLevel,
  type RuleSetting,
} from './model.js';
import { optionProblems } from './options.js';
import { configValidator, parseConfigText, selectorProblems, type ParsedConfig, type Validator } from './parse.js';
import type { ConfigurableRule } from './rules.js';

export interface LoadConfigOptions {
  /** Working directory: discovery starts here; relative paths resolve against it. */
  readonly cwd: string;
  /** `--config FILE`: applied above the discovered file. */
  readonly configPath?: string;
  /** The command line's settings: applied above every file. */
  readonly overrides?: ConfigOverrides;
  /** Skip discovery (e.g. `--no-config-lookup`). */
  readonly discover?: boolean;
  /** The rules there are: with them, a `rules:` selector that matches none is a problem. */
  readonly rules?: readonly ConfigurableRule[];
}

export const DEFAULT_FAIL_ON: FailOn = 'error';
export const COMMAND_LINE = 'command line';

export function loadConfig(options: LoadConfigOptions): ResolvedConfig {
  const cwd = resolve(options.cwd);
  // Compiled on first use: most runs have no configuration file.
  let compiled: Validator | undefined;
  const validate: Validator = (value) => (compiled ??= configValidator())(value);
  const layers: Array<{ file: string; parsed: ParsedConfig; display: string; layer: number }> = [];

  const discovered = options.discover === false ? undefined : findConfigFile(cwd);
  const explicit = options.configPath !== undefined ? resolve(cwd, options.configPath) : undefined;
  if (explicit !== undefined) assertReadable(explicit, options.configPath!, cwd);
  // Every problem of every file at once, so that one run shows all there is to fix.
  const problems: ConfigProblem[] = [];
  const read = (file: string, layer: number) => {
    try {
      layers.push({ ...readLayer(file, cwd, validate, options.rules), layer });
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems.push(...e.problems);
    }
  };
  if (discovered && discovered !== explicit) read(discovered, 0);
  if (explicit) read(explicit, 1);
  if (problems.length) throw new ConfigError(problems);

  let citus: string | undefined;
  let failOn: FailOn = DEFAULT_FAIL_ON;
  let schema: string | undefined;
  let plan: string | undefined;
  const exclude: ExcludePattern[] = [];
  const rules: RuleSetting[] = [];

  const apply = (config: ConfigFile, base: string, layer: number, origin: (path: (string | number)[], prefer?: 'key' | 'value') => Origin) => {
    if (config.citus !== undefined) citus = config.citus;
    if (config.fail_on !== undefined) failOn = config.fail_on;
    if (config.schema !== undefined) schema = resolve(base, config.schema);
    if (config.plan !== undefined) plan = resolve(base, config.plan);
    (config.exclude ?? []).forEach((pattern, i) => exclude.push({ pattern, base, origin: origin(['exclude', i]) }));
    Object.entries(config.rules ?? {}).forEach(([selector, setting], order) => {
      const s = typeof setting === 'string' ? { severity: setting as RuleLevel } : setting;
      rules.push({
        selector,
        ...(s.severity !== undefined ? { level: s.severity } : {}),
        ...(s.options !== undefined ? { options: s.options } : {}),
        layer,
        order,
        origin: origin(['rules', selector], 'key'),
      });
    });
  };

  for (const l of layers) {
    apply(l.parsed.config, dirname(l.file), l.layer, (path, prefer) => ({ file: l.display, ...l.parsed.positionOf(path, prefer) }));
  }

  if (options.overrides) {
    const flags = overridesToFile(options.overrides);
    // No flag given: an empty configuration, valid by the schema.
    const errors = Object.keys(flags).length ? validate(flags) : [];
    if (errors.length > 0) {
      throw new ConfigError(
        errors
          .filter((e) => e.keyword !== 'if')
          .map((e) => ({
            file: COMMAND_LINE,
            line: 1,
            column: 1,
            message: `${e.instancePath.slice(1).replace(/\//g, '.') || 'flags'}: ${e.message ?? 'is not valid'}`,
            hint: 'check the value given on the command line; `shardwise <command> --help` lists the flags',
          })),
      );
    }
    const unknown = options.rules
      ? [...selectorProblems(flags, options.rules, COMMAND_LINE, () => ({ line: 1, column: 1 })), ...optionProblems(flags, options.rules, COMMAND_LINE, () => ({ line: 1, column: 1 }))]
      : [];
    if (unknown.length) throw new ConfigError(unknown);
    apply(flags, cwd, 2, () => ({ file: COMMAND_LINE, line: 1, column: 1 }));
  }

  return {
    cwd,
    files: layers.map((l) => l.file),
    ...(citus !== undefined ? { citus } : {}),
    failOn,
    ...(schema !== undefined ? { schema } : {}),
    ...(plan !== undefined ? { plan } : {}),
    exclude,
    rules,
  };
}

function overridesToFile(o: ConfigOverrides): ConfigFile {
  const out: Record<string, unknown> = {};
  if (o.citus !== undefined) out.citus = o.citus;
  if (o.failOn !== undefined) out.fail_on = o.failOn;
  if (o.schema !== undefined) out.schema = o.schema;
  if (o.plan !== undefined) out.plan = o.plan;
  if (o.exclude !== undefined) out.exclude = [...o.exclude];
  if (o.rules !== undefined) out.rules = { ...o.rules };
  return out as ConfigFile;
}

function readLayer(file: string, cwd: string, validate: Validator, rules?: readonly ConfigurableRule[]): { file: string; parsed: ParsedConfig; display: string } {
  const display = displayPath(file, cwd);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError([
      { file: display, line: 1, column: 1, message: `cannot read the config file: ${(e as Error).message}`, hint: 'check its permissions' },
    ]);
  }
  return { file, parsed: parseConfigText(text, display, validate, rules), display };
}

function assertReadable(abs: string, asGiven: string, cwd: string): void {
  let ok = false;
  try {
    ok = statSync(abs).isFile();
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new ConfigError([
      {
        file: asGiven,
        line: 1,
        column: 1,
        message: 'config file not found',
        hint: '--config names a file relative to the working directory; omit it to use the nearest .shardwise.yml',
      },
    ]);
  }
}
