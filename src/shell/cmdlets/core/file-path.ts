/**
 * Where the shell's file cmdlets read and write. Like Exchange's implicit remoting, where
 * Import-Csv and Out-File run on the administrator's machine while the cmdlets run on the
 * server, umpin's shell runs scripts on the machine it was started on, in-process and with
 * --server alike: a path names a file there, relative to the shell's directory. The server
 * never reads or writes a file for the shell.
 */
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { UmpinError } from '../../../domain/errors.js';

export function filePath(cwd: string, path: unknown): string {
  // scripts written on Windows say .\users.csv; PowerShell on Linux takes \ as a separator too.
  // A drive path (C:\users.csv) has no meaning here and stays one file name, as it always has.
  const text = String(path);
  return resolve(cwd, sep === '/' && !/^[A-Za-z]:/.test(text) ? text.replace(/\\/g, '/') : text);
}

export function fileError(operation: 'read' | 'write', path: string, err: unknown): UmpinError {
  const code = (err as NodeJS.ErrnoException).code;
  const rule =
    code === 'ENOENT'
      ? 'it does not exist'
      : code === 'EEXIST'
        ? 'it exists and -NoClobber was given'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : (err as Error).message;
  return new UmpinError({ code: 'UMPIN_SHELL_FILE_ERROR', field: 'Path', params: { operation, path, rule } });
}

/** A text file's content (a leading byte-order mark dropped), or UMPIN_SHELL_FILE_ERROR naming the path as typed. */
export async function readTextFile(cwd: string, path: unknown): Promise<string> {
  try {
    return (await readFile(filePath(cwd, path), 'utf8')).replace(/^\uFEFF/, '');
  } catch (err) {
    throw fileError('read', String(path), err);
  }
}

/** Writes (or appends, or with noClobber only creates) a text file, or UMPIN_SHELL_FILE_ERROR naming the path as typed. */
export async function writeTextFile(
  cwd: string,
  path: unknown,
  body: string,
  opts: { append?: boolean; noClobber?: boolean } = {},
): Promise<void> {
  try {
    if (opts.append) await appendFile(filePath(cwd, path), body, 'utf8');
    else await writeFile(filePath(cwd, path), body, { encoding: 'utf8', flag: opts.noClobber ? 'wx' : 'w' });
  } catch (err) {
    throw fileError('write', String(path), err);
  }
}
