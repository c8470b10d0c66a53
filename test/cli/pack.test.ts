/**
 * The package as a user gets it: `npm pack` (which runs `prepare`, the build
 * into dist/) on a copy of the sources, the tarball installed into an empty
 * directory from the npm cache (the registry only for what the cache lacks),
 * then `npx shardwise analyze` on the Wide World Importers example. It must
 * exit 0, recommend the design the example documents, and print what the
 * sources print for the same command. The copy keeps the build away from the
 * dist/ other tests run.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../lint/support.js';
import { repoRoot } from '../support/corpus.js';

/** What `npm pack` needs of the repository: the manifest, what `files` ships, and what the build reads. */
const SOURCES = ['package.json', 'README.md', 'tsconfig.json', 'tsconfig.build.json', 'bin', 'src', 'scripts', 'rules', 'schemas', 'docs'];
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';

const work = mkdtempSync(join(tmpdir(), 'shardwise-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  // npm settings of an enclosing `npm run` (prefix, workspace) must not leak into these
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return spawnSync(cmd, args, { cwd, env: { ...env, NO_COLOR: '1', CI: '1' }, encoding: 'utf8', timeout: 150_000 });
}

function ok(r: SpawnSyncReturns<string>, what: string): void {
  expect(r.error, what).toBeUndefined();
  expect(r.status, `${what}:\n${r.stderr}`).toBe(0);
}

describe('the npm package', () => {
  it('packs, installs into an empty directory and runs shardwise analyze', { timeout: 180_000 }, async () => {
    const src = join(work, 'src');
    const out = join(work, 'out');
    const app = join(work, 'app');
    for (const f of SOURCES) cpSync(join(repoRoot, f), join(src, f), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules'), join(src, 'node_modules'), 'dir');
    mkdirSync(out);
    mkdirSync(app);

    ok(run(NPM, ['pack', '--pack-destination', out, '--loglevel', 'error'], src), 'npm pack');
    const tarballs = readdirSync(out).filter((f) => f.endsWith('.tgz'));
    expect(tarballs).toHaveLength(1);

    cpSync(join(repoRoot, 'examples', 'wide-world-importers', 'schema.sql'), join(app, 'schema.sql'));
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'shardwise-install-check', private: true }));
    ok(run(NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel', 'error', join(out, tarballs[0])], app), 'npm install');

    const installed = run(NPX, ['--no', '--', 'shardwise', 'analyze', 'schema.sql'], app);
    ok(installed, 'npx shardwise analyze');
    // the design the example's README describes
    expect(installed.stdout).toMatch(/^Design for Citus [\d.]+, 32 shards: 2 distributed \(1 colocation group\), 1 reference, 0 local$/m);
    expect(installed.stdout).toMatch(/^ {2}colocated on devices\.device_id \(integer\): 2 tables, key column device_id\n {4}devices, events$/m);
    expect(installed.stdout).toMatch(/^ {2}reference {2}1 table: device_types$/m);
    // and what the sources print
    const fromSources = await runCli(['analyze', 'schema.sql'], app, { CI: '1' });
    expect(installed.stdout).toBe(fromSources.stdout);

    const version = run(NPX, ['--no', '--', 'shardwise', '--version'], app);
    ok(version, 'npx shardwise --version');
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version);
  });
});
