/**
 * What a cmdlet is to the shell: its parameters as Exchange documents them, the
 * parameters Microsoft documents that mean nothing in umpin (accepted, ignored with a
 * warning), its help, and the code that runs once per pipeline object. The binder turns
 * typed arguments into `BoundParameters` keyed by each parameter's Exchange spelling, so
 * a cmdlet never sees a raw token.
 */
import type { ErrorLanguage } from '../domain/errors.js';
import type { ShellOperations } from './operations.js';

/**
 * How the binder converts an argument. Errors name the parameter and the rule.
 * - string: a scalar as text; a number keeps its typed text (`-Pin 0123` is "0123")
 * - string[]: one value or an array, each as text
 * - multivalued: Exchange's MultiValuedProperty: a value or array replaces the whole list,
 *   a hashtable `@{Add=...; Remove=...}` edits it → `MultiValuedValue`
 * - identity: text, or an object whose Identity property is used (pipeline objects)
 * - bool: $true/$false, 1/0, 'true'/'false'
 * - switch: present means true; `-Name:$false` means false
 * - int: a whole number
 * - unlimited: a whole number or the word Unlimited → number | 'Unlimited'
 * - datetime: a date such as 11/25/2026 or 2026-11-25T10:00 → Date
 * - scriptblock: `{ ... }` → the runtime's script block
 * - object: passed through as it is
 */
export type ParameterType =
  | 'string'
  | 'string[]'
  | 'multivalued'
  | 'identity'
  | 'bool'
  | 'switch'
  | 'int'
  | 'unlimited'
  | 'datetime'
  | 'scriptblock'
  | 'object';

export type MultiValuedValue = { replace: string[] } | { add: string[]; remove: string[] };

export interface ParameterSpec {
  /** Exchange's spelling, e.g. `PINExpired`; matching is case-insensitive and takes unique prefixes */
  name: string;
  type: ParameterType;
  aliases?: readonly string[];
  /** 0-based position for positional arguments (Identity is usually 0) */
  position?: number;
  mandatory?: boolean;
  /** byValue: a piped string (or object, for identity) binds here; byPropertyName: a piped object's property of this name (or an alias) binds here */
  pipeline?: { byValue?: boolean; byPropertyName?: boolean };
  /** one or two sentences for Get-Help */
  help: string;
  /** not in Exchange: Get-Help marks it as a umpin addition */
  umpinAddition?: boolean;
}

/** A parameter Microsoft documents for the cmdlet that has no meaning in umpin. */
export interface IgnoredParameter {
  name: string;
  type: ParameterType;
  /** why it is ignored, shown in the warning and in Get-Help, e.g. "directory-only", "umpin has no fax" */
  reason: string;
}

export interface CmdletExample {
  /** runs verbatim in umpin's shell */
  code: string;
  description: string;
  /** 'microsoft': copied from the cmdlet's reference page, must run verbatim */
  source: 'microsoft' | 'umpin';
  /**
   * Shell commands the example test runs first on the demo organisation (Contoso, dial
   * plan "Contoso" with 5-digit extensions, policy "Contoso Default Policy", tonysmith and
   * 19 more UM-enabled users), to create the objects the example names. Not shown in help.
   */
  setup?: string;
}

/** Default output: a table of these columns, or a list of these properties. */
export interface View {
  kind: 'table' | 'list';
  properties: readonly string[];
}

export interface CmdletContext {
  /** the services, bound to the shell's actor (in-process or, later, over the API) */
  readonly ops: ShellOperations;
  /** write an object to the pipeline */
  emit(value: unknown): void;
  /** a yellow "WARNING: ..." line */
  warn(message: string): void;
  /** the language the session words messages in (its culture) */
  readonly language: ErrorLanguage;
  /**
   * -WhatIf / -Confirm: returns true when the change may go ahead. Under -WhatIf it prints
   * `What if: Performing the operation "<action>" on target "<target>".` and returns false.
   */
  shouldProcess(target: string, action: string): Promise<boolean>;
  /** Ctrl-C */
  readonly signal: AbortSignal;
}

export type BoundParameters = Record<string, unknown>;

export interface CmdletDefinition {
  /** Exchange's spelling, e.g. `Set-UMMailboxPIN` */
  name: string;
  /** other names that run it (PowerShell's aliases such as `?` for Where-Object) */
  aliases?: readonly string[];
  synopsis: string;
  description: string;
  parameters: readonly ParameterSpec[];
  ignoredParameters: readonly IgnoredParameter[];
  examples: readonly CmdletExample[];
  /** set for cmdlets that change something: adds -WhatIf and -Confirm; 'high' asks unless -Confirm:$false */
  confirmImpact?: 'low' | 'medium' | 'high';
  /** the type names this cmdlet emits and their default views */
  outputs?: ReadonlyArray<{ typeName: string; view: View }>;
  /**
   * Runs once per pipeline object (once when nothing is piped), with the command line's
   * parameters and the ones bound from that object. Throwing a UmpinError reports that
   * object's failure and the pipeline goes on with the next (PowerShell's non-terminating
   * error).
   */
  process(ctx: CmdletContext, params: BoundParameters): Promise<void>;
}
