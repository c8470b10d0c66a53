/** .shardwise.yml problems as `shardwise lint` prints them: relative paths, every problem, exit 2. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../lint/support.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'shardwise-config-cli-'));
  mkdirSync(join(root, '.git'));
  mkdirSync(join(root, 'db/migrate'), { recursive: true });
  writeFileSync(join(root, 'db/migrate/001_notes.sql'), 'CREATE TABLE notes (id bigint PRIMARY KEY);\n');
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('config problems on the command line', () => {
  it('from a subdirectory: the file named relative to it, with every problem and its hint', async () => {
    writeFileSync(join(root, '.shardwise.yml'), ['# shardwise settings', 'citus: "13.0"', 'rules:', '  FKX: off', '  unique: warning', '', '', 'fail_on: sometimes', ''].join('\n'));
    const run = await runCli(['lint', '--', 'migrate/001_notes.sql'], join(root, 'db'));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toContain(root);
    expect(run.stderr.split('\n')).toEqual([
      '../.shardwise.yml:4:3: rules.FKX: "FKX" is no rule id, name or group',
      '  hint: near matches: "FK*", FK01, FK02; `shardwise rules` lists every rule',
      '../.shardwise.yml:8:10: fail_on: "sometimes" is not allowed',
      '  hint: use one of: error, warning, info, none',
      '',
    ]);
  });

  it('an unknown selector alone stops the run too, rather than configuring nothing', async () => {
    writeFileSync(join(root, '.shardwise.yml'), 'rules:\n  MIG2: off\n');
    const run = await runCli(['lint', '--', 'db/migrate'], root);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('.shardwise.yml:2:3: rules.MIG2: "MIG2" is no rule id, name or group\n  hint: near matches: "MIG*", MIG02, MIG01; `shardwise rules` lists every rule\n');
    writeFileSync(join(root, '.shardwise.yml'), 'rules:\n  MIG02: off\n');
    const ok = await runCli(['lint', '--', 'db/migrate'], root);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
  });

  it('analyze reads the same configuration: an unknown selector stops it as it stops lint', async () => {
    writeFileSync(join(root, '.shardwise.yml'), 'rules:\n  MIG2: off\n');
    const run = await runCli(['analyze', 'db/migrate/001_notes.sql'], root);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('.shardwise.yml:2:3: rules.MIG2: "MIG2" is no rule id, name or group');
  });
});
