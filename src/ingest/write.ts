/**
 * Writing outputs without destroying anything: an output is checked before
 * the work starts (never an input or the configuration the run read, compared
 * as files, device and inode, so links count; never a directory; never an
 * existing file that is not the command's own unless the user says so), and
 * written through a temporary file in the same directory and a rename, so a
 * failed write leaves the old file whole. Every file-system error is an
 * InputError: one line, the path, a hint.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { displayPath, InputError } from './files.js';

/** The identity of a file on disk: the same for every name and link that leads to it. */
export interface FileId {
  readonly dev: number;
  readonly ino: number;
}

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** The identities of the paths that exist (following links). */
export function fileIds(paths: readonly string[], cwd: string): FileId[] {
  const out: FileId[] = [];
  for (const p of paths) {
    const st = p ? statOf(isAbsolute(p) ? p : resolve(cwd, p)) : undefined;
    if (st) out.push({ dev: st.dev, ino: st.ino });
  }
  return out;
}

const sameFile = (a: FileId, b: FileId) => a.dev === b.dev && a.ino === b.ino;

/** What a file-system error code means for the user, and what to do. */
function fsProblem(code: string | undefined, shown: string, doing: string): { message: string; hint: string } {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return { message: `${shown}: permission denied (${doing})`, hint: 'choose a path you may write, or change the permissions' };
    case 'ENOENT':
      return { message: `${shown}: the directory does not exist (${doing})`, hint: `create it first (mkdir -p ${displayDir(shown)}), or name a file in an existing directory` };
    case 'ENOTDIR':
      return { message: `${shown}: a part of the path is a file, not a directory (${doing})`, hint: 'check the path' };
    case 'EISDIR':
      return { message: `${shown}: is a directory (${doing})`, hint: 'name a file, not a directory' };
    case 'ENOSPC':
    case 'EDQUOT':
      return { message: `${shown}: no space left on the device (${doing})`, hint: 'free some space, or write elsewhere' };
    case 'EROFS':
      return { message: `${shown}: the file system is read-only (${doing})`, hint: 'write elsewhere' };
    case 'ENAMETOOLONG':
      return { message: `${shown.slice(0, 80)}...: the file name is too long (${doing})`, hint: 'use a shorter path' };
    case 'ELOOP':
      return { message: `${shown}: too many levels of symbolic links (${doing})`, hint: 'check the links on the path' };
    default:
      return { message: `${shown}: cannot ${doing}${code ? ` (${code})` : ''}`, hint: 'check the path and its permissions' };
  }
}

function displayDir(shown: string): string {
  const d = dirname(shown);
  return d === '.' ? shown : d;
}

export function fsError(e: unknown, shown: string, doing: string): InputError {
  const code = (e as NodeJS.ErrnoException)?.code;
  const { message, hint } = fsProblem(code, shown, doing);
  return new InputError(message, { file: shown, hint });
}

export interface OutputRequest {
  /** The option that names the output, for messages: `-o`, `--rollback`, `--plan-out`. */
  readonly flag: string;
  /** The path as given. */
  readonly path: string;
  readonly cwd: string;
  /** Every input of the run and every configuration file it read: never written. */
  readonly inputs: readonly string[];
  /**
   * An existing file: `force`, replace it; `own`, replace it only when `own`
   * says the command wrote it; `never`, refuse.
   */
  readonly replace: 'force' | 'own' | 'never';
  /** Given the first bytes of an existing file: did this command write it? */
  readonly own?: (head: string) => boolean;
  /** The hint when an existing file is refused. */
  readonly refuseHint?: string;
}

function head(path: string, bytes = 512): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.toString('utf8', 0, n);
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Check an output before the work: returns the path to write (a link is
 * followed, so the file it leads to is replaced and the link stays). Throws
 * an InputError naming the problem and what to do.
 */
export function prepareOutput(req: OutputRequest): string {
  const shown = req.path === '' ? "''" : displayPath(req.path, req.cwd);
  if (req.path === '') throw new InputError(`${req.flag} names no file (an empty path)`, { flag: req.flag, hint: `give ${req.flag} a file name` });
  if (req.path.includes('\u0000')) throw new InputError(`${req.flag}: the path holds a NUL character`, { flag: req.flag, hint: 'check the path' });
  const abs = isAbsolute(req.path) ? req.path : resolve(req.cwd, req.path);
  if (/[/\\]$/.test(req.path)) throw new InputError(`${shown}: names a directory (${req.flag} takes a file)`, { file: shown, flag: req.flag, hint: `name a file, e.g. ${req.flag} ${join(req.path, 'out')}` });
  const st = statOf(abs);
  if (st?.isDirectory()) throw new InputError(`${shown}: is a directory (${req.flag} takes a file)`, { file: shown, flag: req.flag, hint: `name a file, e.g. ${req.flag} ${join(shown, 'out')}` });
  const dir = dirname(abs);
  const dst = statOf(dir);
  if (!dst) throw new InputError(`${shown}: the directory ${displayPath(dir, req.cwd)} does not exist`, { file: shown, flag: req.flag, hint: `create it first (mkdir -p ${displayPath(dir, req.cwd)}), or name a file in an existing directory` });
  if (!dst.isDirectory()) throw new InputError(`${shown}: ${displayPath(dir, req.cwd)} is a file, not a directory`, { file: shown, flag: req.flag, hint: 'check the path' });
  if (!st) return abs;
  if (fileIds(req.inputs, req.cwd).some((id) => sameFile(id, st))) {
    throw new InputError(`${req.flag} ${shown} is one of this run's inputs or its configuration (the same file, maybe through a link); it will not be overwritten`, {
      file: shown,
      flag: req.flag,
      hint: `name another file for ${req.flag}`,
    });
  }
  // A terminal, a pipe or /dev/null: written as is.
  if (!st.isFile()) return abs;
  if (req.replace === 'force' || st.size === 0) return realpathSync(abs);
  if (req.replace === 'own' && req.own?.(head(abs))) return realpathSync(abs);
  const why = req.replace === 'own' ? 'was not written by shardwise' : 'may hold your edits';
  throw new InputError(`${shown} exists and ${why}; it was not replaced`, { file: shown, flag: req.flag, hint: req.refuseHint ?? `remove it first, or name a new file for ${req.flag}` });
}

/**
 * Write `content` to `target` (from prepareOutput): a temporary file beside
 * it, then a rename over it. Anything not a regular file (a terminal, a pipe)
 * is written directly.
 */
export function writeOutput(target: string, content: string | Buffer, shown: string): void {
  const st = statOf(target);
  if (st && !st.isFile()) {
    try {
      writeFileSync(target, content);
    } catch (e) {
      throw fsError(e, shown, 'write the output');
    }
    return;
  }
  const tmp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = openSync(tmp, 'wx', st ? st.mode & 0o777 : 0o666);
    try {
      writeFileSync(fd, content);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was created
    }
    throw fsError(e, shown, 'write the output');
  }
}

/** Do two outputs (from prepareOutput) land in one file? */
export function sameOutput(a: string, b: string): boolean {
  if (a === b) return true;
  const x = statOf(a);
  const y = statOf(b);
  return !!x && !!y && sameFile(x, y);
}
