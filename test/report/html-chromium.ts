/** Headless Chromium, as the HTML report's oracle: load a file, dump its DOM, take a screenshot. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export function chromiumPath(): string | undefined {
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) if (existsSync(p)) return p;
  return undefined;
}

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function run(args: string[]): string {
  const bin = chromiumPath();
  if (!bin) throw new Error('chromium is not installed (apt-get install -y chromium)');
  const profile = mkdtempSync(join(tmpdir(), 'shardwise-chromium-'));
  try {
    return execFileSync(bin, [...FLAGS, `--user-data-dir=${profile}`, ...args], { encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** The DOM after Chromium parsed and laid out the file. */
export function dumpDom(htmlFile: string): string {
  return run(['--dump-dom', pathToFileURL(htmlFile).href]);
}

export function screenshot(htmlFile: string, png: string, size = '1280,1600'): void {
  run([`--screenshot=${png}`, `--window-size=${size}`, '--hide-scrollbars', pathToFileURL(htmlFile).href]);
}
