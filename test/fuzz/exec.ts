/**
 * One case through the CLI's entry point, main(argv, io), in this process,
 * in a fresh directory: exit code, output, time, and what happened to the
 * files. Used by the fuzz children and by the fixture tests.
 */
import { createHash } from 'node:crypto';
import { chmodSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { RunResult, WireCase } from './protocol.js';

/** Output kept per stream; the rest is counted. */
const KEEP = 256 * 1024;

function capture() {
  let text = '';
  let bytes = 0;
  return {
    write(chunk: string) {
      const s = String(chunk);
      bytes += Buffer.byteLength(s);
      if (text.length < KEEP) text += s.slice(0, KEEP - text.length);
      return true;
    },
    get text() {
      return text;
    },
    get bytes() {
      return bytes;
    },
  };
}

/** Every file and link under root: relative path -> its kind and a digest of its bytes. */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const p = join(dir, name);
      const rel = relative(root, p);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out.set(rel, 'link');
      else if (st.isDirectory()) {
        out.set(rel, 'dir');
        walk(p);
      } else {
        let digest = 'unreadable';
        try {
          digest = createHash('sha1').update(readFileSync(p)).digest('hex');
        } catch {
          // unreadable: compared by kind only
        }
        out.set(rel, `file:${digest}`);
      }
    }
  };
  walk(root);
  return out;
}

export function setUpCase(c: WireCase): string {
  const dir = mkdtempSync(join(tmpdir(), 'shardwise-fuzz-'));
  for (const d of c.dirs ?? []) mkdirSync(join(dir, d), { recursive: true });
  for (const [path, b64] of Object.entries(c.files)) {
    const p = join(dir, path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, Buffer.from(b64, 'base64'));
  }
  for (const l of c.links ?? []) {
    if (l.kind === 'symlink') symlinkSync(l.target, join(dir, l.path));
    else linkSync(join(dir, l.target), join(dir, l.path));
  }
  return dir;
}

function tearDown(dir: string): void {
  try {
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // a temporary directory left behind is not a finding
  }
}

export async function runCase(c: WireCase): Promise<RunResult> {
  const dir = setUpCase(c);
  const before = snapshot(dir);
  const out = capture();
  const err = capture();
  const stray = capture();
  const realOut = process.stdout.write.bind(process.stdout);
  const realErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string) => stray.write(String(chunk))) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => stray.write(String(chunk))) as typeof process.stderr.write;
  const t0 = performance.now();
  let code: number | undefined;
  let thrown: string | undefined;
  try {
    code = await main([...c.argv], { stdout: out, stderr: err, env: { HOME: dir, PATH: process.env.PATH, PGCONNECT_TIMEOUT: '2' }, cwd: dir });
  } catch (e) {
    thrown = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
  } finally {
    process.stdout.write = realOut;
    process.stderr.write = realErr;
  }
  const ms = performance.now() - t0;
  const after = snapshot(dir);
  const changed: string[] = [];
  const removed: string[] = [];
  const created: string[] = [];
  for (const [p, fp] of before) {
    const now = after.get(p);
    if (now === undefined) removed.push(p);
    else if (now !== fp) changed.push(p);
  }
  for (const p of after.keys()) if (!before.has(p)) created.push(p);
  tearDown(dir);
  return {
    id: c.id,
    ...(code !== undefined ? { code } : {}),
    ...(thrown !== undefined ? { thrown } : {}),
    stdout: out.text,
    stderr: err.text,
    stdoutBytes: out.bytes,
    stderrBytes: err.bytes,
    stray: stray.text,
    ms,
    changed,
    removed,
    created,
  };
}
