import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it, expect } from 'vitest';
import {
  ConfigError,
  findConfigFile,
  isExcluded,
  loadConfig,
  parseConfigText,
  resolveRule,
  type ConfigurableRule,
} from '../../src/config/index.js';

const FK01: ConfigurableRule = { id: 'FK01', name: 'foreign-key.reference-to-distributed', group: 'foreign-key', severity: 'error' };
const FK02: ConfigurableRule = { id: 'FK02', name: 'foreign-key.local-to-reference', group: 'foreign-key', severity: 'warning' };
const UQ01: ConfigurableRule = { id: 'UQ01', name: 'unique.missing-distribution-column', group: 'unique', severity: 'error' };

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'shardwise-config-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function write(rel: string, text: string): string {
  const path = join(root, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('discovery', () => {
  it('finds the nearest .shardwise.yml walking up', () => {
    const top = write('repo/.shardwise.yml', 'fail_on: warning\n');
    mkdirSync(join(root, 'repo/.git'));
    const near = write('repo/db/.shardwise.yml', 'fail_on: info\n');
    mkdirSync(join(root, 'repo/db/migrate/2024'), { recursive: true });
    expect(findConfigFile(join(root, 'repo/db/migrate/2024'))).toBe(near);
    expect(findConfigFile(join(root, 'repo'))).toBe(top);
  });

  it('stops at the git root', () => {
    write('.shardwise.yml', 'fail_on: warning\n');
    mkdirSync(join(root, 'repo/.git'), { recursive: true });
    mkdirSync(join(root, 'repo/sub'), { recursive: true });
    expect(findConfigFile(join(root, 'repo/sub'))).toBeUndefined();
    // Without a .git in between it is found.
    mkdirSync(join(root, 'other/sub'), { recursive: true });
    expect(findConfigFile(join(root, 'other/sub'))).toBe(join(root, '.shardwise.yml'));
  });

  it('gives the defaults when there is no file', () => {
    mkdirSync(join(root, '.git'));
    const c = loadConfig({ cwd: root });
    expect(c).toEqual({ cwd: root, files: [], failOn: 'error', exclude: [], rules: [] });
  });
});

describe('layering', () => {
  it('discovered file < --config < flags', () => {
    mkdirSync(join(root, '.git'));
    write('.shardwise.yml', 'citus: "12.1"\nfail_on: warning\nexclude: ["legacy/**"]\nrules:\n  FK01: off\n  UQ01: warning\n');
    write('ci/strict.yml', 'fail_on: info\nplan: ../shardwise.plan.yaml\nrules:\n  FK01: on\n');
    const c = loadConfig({ cwd: root, configPath: 'ci/strict.yml', overrides: { citus: '13.0', rules: { UQ01: 'off' } } });
    expect(c.files).toEqual([join(root, '.shardwise.yml'), join(root, 'ci/strict.yml')]);
    expect(c.citus).toBe('13.0');
    expect(c.failOn).toBe('info');
    expect(c.plan).toBe(join(root, 'shardwise.plan.yaml'));
    expect(resolveRule(c, FK01)).toMatchObject({ enabled: true, severity: 'error' });
    expect(resolveRule(c, UQ01).enabled).toBe(false);
    expect(c.rules.find((r) => r.selector === 'FK01' && r.layer === 0)?.origin).toEqual({ file: '.shardwise.yml', line: 5, column: 3 });
  });

  it('an explicit --config that is the discovered file applies once', () => {
    write('.shardwise.yml', 'rules:\n  FK01: warning\n');
    mkdirSync(join(root, '.git'));
    const c = loadConfig({ cwd: root, configPath: '.shardwise.yml' });
    expect(c.files).toHaveLength(1);
    expect(c.rules).toHaveLength(1);
  });

  it('a missing --config file is an error with a hint', () => {
    const e = configError(() => loadConfig({ cwd: root, configPath: 'nope.yml' }));
    expect(e.message).toBe('nope.yml:1:1: config file not found');
    expect(e.hint).toMatch(/--config/);
  });

  it('bad flags are reported as coming from the command line', () => {
    mkdirSync(join(root, '.git'));
    const e = configError(() => loadConfig({ cwd: root, overrides: { failOn: 'fatal' as never } }));
    expect(e.message).toMatch(/^command line:1:1: fail_on: /);
  });
});

describe('rule selection', () => {
  function config(rules: string, overrides?: Parameters<typeof loadConfig>[0]['overrides']) {
    write('.shardwise.yml', `rules:\n${rules}`);
    mkdirSync(join(root, '.git'), { recursive: true });
    return loadConfig({ cwd: root, overrides });
  }

  it('matches by id, dotted name, group and glob', () => {
    expect(resolveRule(config('  FK01: off\n'), FK01).enabled).toBe(false);
    expect(resolveRule(config('  foreign-key.reference-to-distributed: info\n'), FK01).severity).toBe('info');
    const byGroup = config('  foreign-key: warning\n');
    expect([resolveRule(byGroup, FK01).severity, resolveRule(byGroup, FK02).severity, resolveRule(byGroup, UQ01).severity]).toEqual([
      'warning',
      'warning',
      'error',
    ]);
    const byGlob = config('  "FK*": off\n');
    expect([resolveRule(byGlob, FK01).enabled, resolveRule(byGlob, FK02).enabled, resolveRule(byGlob, UQ01).enabled]).toEqual([false, false, true]);
    const byNameGlob = config('  "foreign-key.*": info\n');
    expect(resolveRule(byNameGlob, FK02).severity).toBe('info');
    expect(resolveRule(byNameGlob, UQ01).severity).toBe('error');
  });

  it('an id beats a group beats a glob, whatever the order written', () => {
    const c = config('  FK01: info\n  foreign-key: warning\n  "*": off\n');
    expect(resolveRule(c, FK01)).toMatchObject({ enabled: true, severity: 'info' });
    expect(resolveRule(c, FK02)).toMatchObject({ enabled: true, severity: 'warning' });
    expect(resolveRule(c, UQ01).enabled).toBe(false);
  });

  it('flags beat the file even when less specific', () => {
    const c = config('  FK01: info\n', { rules: { 'FK*': 'off' } });
    expect(resolveRule(c, FK01).enabled).toBe(false);
  });

  it('merges options and keeps the default severity for `on`', () => {
    const c = config('  foreign-key:\n    options: { allow: [a], depth: 2 }\n  FK01:\n    severity: on\n    options: { depth: 3 }\n');
    expect(resolveRule(c, FK01)).toMatchObject({ enabled: true, severity: 'error', options: { allow: ['a'], depth: 3 } });
  });
});

describe('exclusions', () => {
  it('globs are relative to the declaring file’s directory', () => {
    mkdirSync(join(root, '.git'));
    write('.shardwise.yml', 'exclude:\n  - "db/legacy/**"\n  - "**/*.down.sql"\n');
    mkdirSync(join(root, 'db/migrate'), { recursive: true });
    const c = loadConfig({ cwd: join(root, 'db'), overrides: { exclude: ['migrate/0001_*.sql'] } });
    expect(isExcluded(c, 'legacy/a.sql')).toBe(true);
    expect(isExcluded(c, 'migrate/0002.down.sql')).toBe(true);
    expect(isExcluded(c, 'migrate/0001_init.sql')).toBe(true);
    expect(isExcluded(c, 'migrate/0002_users.sql')).toBe(false);
    expect(isExcluded(c, join(root, 'db/legacy/b.sql'))).toBe(true);
  });
});

describe('validation errors point at the YAML line:column', () => {
  const cases: Array<[string, string, string, RegExp | undefined]> = [
    ['fail_on: eror\n', 'c.yml:1:10: fail_on: "eror" is not allowed', 'did you mean "error"? use one of: error, warning, info, none', undefined],
    ['citus: 13\n', 'c.yml:1:8: citus: expected a string, got a number (13)', '', /quoted/],
    ['citus: "thirteen"\n', 'c.yml:1:8: citus: "thirteen" is not valid here', '', /Citus version/],
    ['rules:\n  FK01: warn\n', 'c.yml:2:9: rules.FK01: "warn" is not allowed', '', /did you mean "warning"\?/],
    ['rules:\n  FK01:\n    severity: error\n    option: {}\n', 'c.yml:4:5: unknown key "option" in rules.FK01', 'did you mean "options"?', undefined],
    ['rules:\n  "foreign-key.*":\n    options: 3\n', 'c.yml:3:14: rules["foreign-key.*"].options: expected a mapping, got a number (3)', '', /options/],
    ['exclud:\n  - a\n', 'c.yml:1:1: unknown key "exclud"', 'did you mean "exclude"?', undefined],
    ['exclude:\n  - ok\n  - ""\n', 'c.yml:3:5: exclude[1]: "" is not valid here', '', /glob relative/],
    ['rules:\n  "FK 01": off\n', 'c.yml:2:3: rules["FK 01"]: "FK 01" is not a rule id, name, group or glob', '', /glob characters/],
    ['rules: [FK01]\n', 'c.yml:1:8: rules: expected a mapping, got a list', '', /Per rule/],
  ];
  for (const [text, message, hint, hintRe] of cases) {
    it(JSON.stringify(text), () => {
      const e = configError(() => parseConfigText(text, 'c.yml'));
      expect(e.message).toBe(message);
      if (hint) expect(e.hint).toBe(hint);
      if (hintRe) expect(e.hint).toMatch(hintRe);
    });
  }

  it('YAML syntax errors and duplicate keys have positions too', () => {
    const dup = configError(() => parseConfigText('fail_on: error\nfail_on: info\n', 'c.yml'));
    expect(dup.problems[0]).toMatchObject({ line: 2, column: 1 });
    expect(dup.message).toMatch(/unique/i);
    const bad = configError(() => parseConfigText('rules:\n  FK01: [off\n', 'c.yml'));
    expect(bad.problems[0].line).toBeGreaterThanOrEqual(2);
  });

  it('lists every problem, in file order', () => {
    const e = configError(() => parseConfigText('rules:\n  FK01: nope\nfail_on: never\ncolor: true\n', 'c.yml'));
    expect(e.problems.map((p) => `${p.line}:${p.column}`)).toEqual(['2:9', '3:10', '4:1']);
    expect(e.message.split('\n')).toHaveLength(3);
  });

  it('errors in a discovered file name it relative to the working directory', () => {
    mkdirSync(join(root, '.git'));
    write('.shardwise.yml', 'rules:\n  FK01: sometimes\n');
    mkdirSync(join(root, 'db'));
    const e = configError(() => loadConfig({ cwd: root }));
    expect(e.message).toBe('.shardwise.yml:2:9: rules.FK01: "sometimes" is not allowed');
  });

  it('from a subdirectory, a file above is named relative to it too, never by its absolute path', () => {
    mkdirSync(join(root, '.git'));
    write('.shardwise.yml', 'rules:\n  FK01: sometimes\n');
    mkdirSync(join(root, 'db/migrate'), { recursive: true });
    const e = configError(() => loadConfig({ cwd: join(root, 'db/migrate') }));
    expect(e.message).toBe('../../.shardwise.yml:2:9: rules.FK01: "sometimes" is not allowed');
    write('.shardwise.yml', 'rules:\n  FK01: info\n');
    const ok = loadConfig({ cwd: join(root, 'db'), rules: [FK01] });
    expect(ok.rules[0].origin).toEqual({ file: '../.shardwise.yml', line: 2, column: 3 });
    expect(ok.files).toEqual([join(root, '.shardwise.yml')]);
  });

  it('an empty file or one with only comments is valid', () => {
    expect(parseConfigText('', 'c.yml').config).toEqual({});
    expect(parseConfigText('# nothing yet\n', 'c.yml').config).toEqual({});
  });

  it('accepts a full example with $schema', () => {
    const text = [
      '$schema: https://github.com/shardwise/shardwise/raw/main/schemas/config.schema.json',
      'citus: "13.0"',
      'fail_on: warning',
      'schema: db/structure.sql',
      'plan: shardwise.plan.yaml',
      'exclude: ["db/migrate/2019*"]',
      'rules:',
      '  "FK*": error',
      '  unique: warning',
      '  ID01: off',
      '  FK03: { severity: info, options: { ignore: [audit_log] } }',
      '',
    ].join('\n');
    expect(parseConfigText(text, 'c.yml').config.rules?.FK03).toEqual({ severity: 'info', options: { ignore: ['audit_log'] } });
  });
});

describe('rule selectors that match no rule', () => {
  const rules = [FK01, FK02, UQ01];

  it('are config problems at the key, with the near matches as the hint', () => {
    const e = configError(() => parseConfigText('rules:\n  FKX: off\n', 'c.yml', undefined, rules));
    expect(e.message).toBe('c.yml:2:3: rules.FKX: "FKX" is no rule id, name or group');
    expect(e.hint).toBe('near matches: "FK*", FK01, FK02; `shardwise rules` lists every rule');
    const glob = configError(() => parseConfigText('rules:\n  "ZZ*": off\n', 'c.yml', undefined, rules));
    expect(glob.message).toBe('c.yml:2:3: rules["ZZ*"]: "ZZ*" matches no rule id or name');
    const name = configError(() => parseConfigText('rules:\n  foreign-keys: off\n  uniq: off\n  foreign-key.typo: off\n', 'c.yml', undefined, rules));
    expect(name.problems.map((p) => p.hint)).toEqual([
      'near matches: foreign-key; `shardwise rules` lists every rule',
      'near matches: unique, unique.missing-distribution-column; `shardwise rules` lists every rule',
      'near matches: "foreign-key.*"; `shardwise rules` lists every rule',
    ]);
  });

  it('are listed with the other problems of the file, in file order', () => {
    const e = configError(() => parseConfigText('rules:\n  FKX: off\n  FK01: warn\nfail_on: never\n', 'c.yml', undefined, rules));
    expect(e.problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      '2:3 rules.FKX: "FKX" is no rule id, name or group',
      '3:9 rules.FK01: "warn" is not allowed',
      '4:10 fail_on: "never" is not allowed',
    ]);
  });

  it('ids, names, groups and globs that match are fine; without the rule list nothing is checked', () => {
    expect(() => parseConfigText('rules:\n  FK01: off\n  unique.missing-distribution-column: off\n  foreign-key: info\n  "FK*": on\n', 'c.yml', undefined, rules)).not.toThrow();
    expect(() => parseConfigText('rules:\n  FKX: off\n', 'c.yml')).not.toThrow();
  });

  it('loadConfig reports the problems of every file, and of the flags', () => {
    mkdirSync(join(root, '.git'));
    write('.shardwise.yml', 'rules:\n  FKX: off\n');
    write('ci.yml', 'fail_on: sometimes\n');
    const e = configError(() => loadConfig({ cwd: root, configPath: 'ci.yml', rules }));
    expect(e.message.split('\n')).toEqual([
      '.shardwise.yml:2:3: rules.FKX: "FKX" is no rule id, name or group (near matches: "FK*", FK01, FK02; `shardwise rules` lists every rule)',
      'ci.yml:1:10: fail_on: "sometimes" is not allowed (use one of: error, warning, info, none)',
    ]);
    rmSync(join(root, '.shardwise.yml'));
    const flags = configError(() => loadConfig({ cwd: root, rules, overrides: { rules: { UQ1: 'off' } } }));
    expect(flags.message).toBe('command line:1:1: rules.UQ1: "UQ1" is no rule id, name or group');
  });
});
