/**
 * The shell's own cmdlets (Where-Object, Select-Object, Import-Csv, Get-Help, ...). Unlike
 * Exchange cmdlets they see the whole input at once (sorting and measuring need it) and
 * can run script blocks; they change nothing in umpin, so they never call a service.
 */
import type { UmpinError } from '../domain/errors.js';
import type { BoundParameters, CmdletDefinition, View } from './cmdlet.js';
import type { Host } from './host.js';
import type { ScriptBlock } from './values.js';

export interface BuiltinContext {
  readonly host: Host;
  readonly signal: AbortSignal;
  /** the directory relative paths are resolved against */
  readonly cwd: string;
  /** runs a script block with `$_` set to `item`; returns what it wrote to the pipeline */
  invoke(block: ScriptBlock, item: unknown): Promise<unknown[]>;
  /** every command the shell knows, for Get-Help and Get-Command */
  readonly commands: readonly ShellCommand[];
  /** the default view of an output type */
  view(typeName: string | undefined): View | undefined;
  warn(message: string): void;
  /** -Verbose was given, or $VerbosePreference is Continue */
  readonly verbose: boolean;
  /** a non-terminating error of this command (Write-Error), under its -ErrorAction */
  writeError(err: UmpinError): void;
  /** a script's own text with the session's PIN values hidden, for messages */
  mask(text: string): string;
  /** -WhatIf/-Confirm (or the preferences a script set): false when the change must not be made */
  shouldProcess(target: string, action: string): Promise<boolean>;
}

export interface BuiltinDefinition extends Omit<CmdletDefinition, 'process'> {
  /** `input` is null when nothing is piped in, else every piped object */
  run(ctx: BuiltinContext, params: BoundParameters, input: unknown[] | null): Promise<unknown[]>;
}

export type ShellCommand =
  | { kind: 'exchange'; definition: CmdletDefinition }
  | { kind: 'builtin'; definition: BuiltinDefinition };
