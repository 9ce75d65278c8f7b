/**
 * Where the shell's file cmdlets read and write. Like Exchange's implicit remoting, where
 * Import-Csv and Out-File run on the administrator's machine while the cmdlets run on the
 * server, umpin's shell runs scripts on the machine it was started on, in-process and with
 * --server alike: a path names a file there, relative to the shell's directory. The server
 * never reads or writes a file for the shell.
 */
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
