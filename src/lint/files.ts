/**
 * Which migration files to lint, in which order. Files named on the command
 * line keep the order given; a directory or a glob expands to its `.sql`
 * files sorted as the migration frameworks apply them: by the version in the
 * name (Flyway `V1__x.sql`, `V1.1__x.sql`, `V1_2__x.sql`; golang-migrate
 * `000001_x.up.sql`; Rails/Django/Alembic-style `20240101120000_x.sql`,
 * `0001_x.sql`), numerically, then by name. Down migrations
 * (`.down.sql`, Flyway `U1__x.sql`) are left out; Flyway repeatables
 * (`R__x.sql`) come last, as Flyway runs them.
 */
import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';

/** A file name's migration version as digit groups (`V1.10__x` -> ['1','10']), or undefined. */
export function migrationVersion(name: string): string[] | undefined {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const flyway = /^[Vv](\d+(?:[._]\d+)*)__/.exec(base);
  if (flyway) return flyway[1].split(/[._]/);
  const numbered = /^(\d+)(?=[_.-])/.exec(base);
  if (numbered) return [numbered[1]];
  return undefined;
}

function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
}

function compareVersion(a: string[], b: string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === undefined) return -1;
    if (b[i] === undefined) return 1;
    const c = compareDigits(a[i], b[i]);
    if (c) return c;
  }
  return 0;
}

/** Is this a down / undo migration, which is never applied going forward? */
export function isDownMigration(name: string): boolean {
  const base = name.slice(name.lastIndexOf('/') + 1);
  return /\.down\.sql$/i.test(base) || /^U\d+(?:[._]\d+)*__/.test(base);
}

/** Sort migration file names in the order their framework applies them. */
export function sortMigrations(names: readonly string[]): string[] {
  const rank = (n: string) => {
    const base = n.slice(n.lastIndexOf('/') + 1);
    if (/^R__/.test(base)) return 2;
    return migrationVersion(n) ? 0 : 1;
  };
  return [...names].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    if (ra !== rb) return ra - rb;
    const va = migrationVersion(a);
    const vb = migrationVersion(b);
    const c = va && vb ? compareVersion(va, vb) : 0;
    if (c) return c;
    const ba = a.slice(a.lastIndexOf('/') + 1);
    const bb = b.slice(b.lastIndexOf('/') + 1);
    return ba < bb ? -1 : ba > bb ? 1 : a < b ? -1 : a > b ? 1 : 0;
  });
}

/** Problems with an argument (no such path, a glob matching nothing): the user's to fix. */
export class MigrationPathError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'MigrationPathError';
  }
}

function posix(p: string): string {
  return p.split(sep).join('/');
}

function walk(dir: string, out: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile()) out.push(p);
  }
}

/**
 * Expand the command line's FILE arguments to absolute paths, in lint order.
 * Explicit files are kept as given (any extension: a non-SQL file is then a
 * located finding); directories and globs give their sorted `.sql` files.
 */
export function expandMigrationArgs(args: readonly string[], cwd: string): string[] {
  const out: string[] = [];
  for (const arg of args) {
    const abs = isAbsolute(arg) ? arg : resolve(cwd, arg);
    if (picomatch.scan(arg).isGlob) {
      const scan = picomatch.scan(arg);
      const base = resolve(cwd, scan.base || '.');
      const all: string[] = [];
      try {
        walk(base, all);
      } catch {
        throw new MigrationPathError(`${arg}: no such directory ${posix(relative(cwd, base)) || '.'}`, 'check the glob');
      }
      const match = picomatch(posix(isAbsolute(arg) ? arg : resolve(cwd, arg)), { dot: false });
      const hits = all.filter((p) => match(posix(p)) && !isDownMigration(posix(p)));
      if (!hits.length) throw new MigrationPathError(`${arg}: no file matches`, 'quote the glob so that shardwise expands it, or check the pattern');
      out.push(...sortMigrations(hits.map(posix)));
      continue;
    }
    let st;
    try {
      st = statSync(abs);
    } catch {
      throw new MigrationPathError(`${arg}: no such file or directory`, 'check the path');
    }
    if (st.isDirectory()) {
      const all: string[] = [];
      walk(abs, all);
      out.push(...sortMigrations(all.map(posix).filter((p) => /\.sql$/i.test(p) && !isDownMigration(p))));
    } else out.push(posix(abs));
  }
  return [...new Set(out)];
}
