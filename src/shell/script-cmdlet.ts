/**
 * `$PSCmdlet` of a script or function declared with `[CmdletBinding()]`: what its
 * `ShouldProcess(target, action)` needs to answer as PowerShell's does, and the "yes to all"
 * or "no to all" given so far, which hold for the rest of that script or function run.
 */
import type { CmdletBinding } from './ast.js';

export class ScriptCmdlet {
  yesToAll = false;
  noToAll = false;

  constructor(
    /** the script's file name or the function's name: ShouldProcess's action when none is given */
    readonly name: string,
    readonly binding: CmdletBinding,
  ) {}

  toString(): string {
    return this.name;
  }
}

/** a switch's value as the command line or a call gives it: bare is on; `-X:$false` (text or not) is off */
export function switchValue(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value === 'string') return !['$false', 'false', '0', ''].includes(value.trim().toLowerCase());
  if (value === null || value === false || value === 0) return false;
  return true;
}
