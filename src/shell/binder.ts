/**
 * Parameter binding by PowerShell's rules: case-insensitive names, unique prefixes and
 * aliases, `-Name value` and `-Name:value`, switches, positional arguments, then values
 * from pipeline objects (by value, by property name). Every refusal names the parameter
 * and the rule and carries a stable code; nothing is guessed.
 */
import { UmpinError } from '../domain/errors.js';
import type { CommandArgument, Expression, SplatArgument, Span } from './ast.js';
import type { BoundParameters, CmdletDefinition, MultiValuedValue, ParameterSpec, ParameterType } from './cmdlet.js';
import { getProperty, isPlainObject, propertyName } from './ps-object.js';
import { ArgNumber, Hashtable, ScriptBlock, SecureString, plain, revealSecret, toText } from './values.js';

export type ErrorActionPreference = 'Stop' | 'Continue' | 'SilentlyContinue' | 'Ignore' | 'Inquire';

/** PowerShell's common parameters: the runtime acts on these itself. */
export interface CommonParameters {
  whatIf: boolean;
  /** undefined: not given (Remove-* asks); true: ask; false: don't ask */
  confirm: boolean | undefined;
  errorAction: ErrorActionPreference;
  warningAction: ErrorActionPreference;
  verbose: boolean;
}

interface CommonSpec {
  name: string;
  type: ParameterType;
  aliases: readonly string[];
  shouldProcessOnly?: boolean;
}

const COMMON: readonly CommonSpec[] = [
  { name: 'WhatIf', type: 'switch', aliases: ['wi'], shouldProcessOnly: true },
  { name: 'Confirm', type: 'switch', aliases: ['cf'], shouldProcessOnly: true },
  { name: 'Verbose', type: 'switch', aliases: ['vb'] },
  { name: 'Debug', type: 'switch', aliases: ['db'] },
  { name: 'ErrorAction', type: 'string', aliases: ['ea'] },
  { name: 'WarningAction', type: 'string', aliases: ['wa'] },
  { name: 'InformationAction', type: 'string', aliases: ['infa'] },
  { name: 'ErrorVariable', type: 'string', aliases: ['ev'] },
  { name: 'WarningVariable', type: 'string', aliases: ['wv'] },
  { name: 'InformationVariable', type: 'string', aliases: ['iv'] },
  { name: 'OutVariable', type: 'string', aliases: ['ov'] },
  { name: 'OutBuffer', type: 'int', aliases: ['ob'] },
  { name: 'PipelineVariable', type: 'string', aliases: ['pv'] },
];

const ACTIONS: readonly ErrorActionPreference[] = ['Stop', 'Continue', 'SilentlyContinue', 'Ignore', 'Inquire'];

/** Parameters whose values are secrets: masked wherever the shell echoes a command line. */
export const SECRET_PARAMETERS: ReadonlySet<string> = new Set(['pin']);

type Target =
  | { kind: 'param'; spec: ParameterSpec }
  | { kind: 'ignored'; name: string; type: ParameterType; reason: string }
  | { kind: 'common'; spec: CommonSpec };

function targetsOf(def: CmdletDefinition): Array<{ names: string[]; target: Target }> {
  return [
    ...def.parameters.map((spec) => ({
      names: [spec.name, ...(spec.aliases ?? [])],
      target: { kind: 'param', spec } as Target,
    })),
    ...def.ignoredParameters.map((p) => ({
      names: [p.name],
      target: { kind: 'ignored', name: p.name, type: p.type, reason: p.reason } as Target,
    })),
    ...COMMON.filter((c) => !c.shouldProcessOnly || def.confirmImpact !== undefined).map((spec) => ({
      names: [spec.name, ...spec.aliases],
      target: { kind: 'common', spec } as Target,
    })),
  ];
}

function targetName(t: Target): string {
  return t.kind === 'ignored' ? t.name : t.spec.name;
}

function targetType(t: Target): ParameterType {
  return t.kind === 'ignored' ? t.type : t.spec.type;
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

export function closest(name: string, candidates: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const d = distance(lower, c.toLowerCase());
    if (!best || d < best.d) best = { c, d };
  }
  return best && best.d <= Math.max(2, Math.floor(lower.length / 3)) ? best.c : undefined;
}

function resolveName(def: CmdletDefinition, typed: string): Target {
  const all = targetsOf(def);
  const lower = typed.toLowerCase();
  const exact = all.find((t) => t.names.some((n) => n.toLowerCase() === lower));
  if (exact) return exact.target;
  const matches = all.filter((t) => t.names.some((n) => n.toLowerCase().startsWith(lower)));
  if (matches.length === 1) return matches[0]!.target;
  if (matches.length > 1) {
    throw new UmpinError({
      code: 'UMPIN_SHELL_AMBIGUOUS_PARAMETER',
      field: typed,
      params: { cmdlet: def.name, name: typed, candidates: matches.map((m) => `-${targetName(m.target)}`).join(', ') },
    });
  }
  const suggestion = closest(
    typed,
    all.map((t) => targetName(t.target)),
  );
  throw new UmpinError({
    code: 'UMPIN_SHELL_UNKNOWN_PARAMETER',
    field: typed,
    params: { cmdlet: def.name, name: typed, suggestion },
  });
}

function invalid(cmdlet: string, field: string, rule: string): UmpinError {
  return new UmpinError({ code: 'UMPIN_SHELL_ARGUMENT_INVALID', field, params: { cmdlet, field, rule } });
}

const BOOLEAN_TEXT: Record<string, boolean> = {
  true: true,
  false: false,
  $true: true,
  $false: false,
  '1': true,
  '0': false,
  yes: true,
  no: false,
};

function describe(v: unknown): string {
  if (v instanceof ArgNumber) return 'a number';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Hashtable) return 'a hashtable';
  if (v instanceof ScriptBlock) return 'a script block';
  if (isPlainObject(v)) return 'an object';
  return typeof v === 'string' ? `the text '${v}'` : typeof v;
}

function asText(v: unknown, cmdlet: string, field: string): string {
  if (v instanceof ArgNumber) return v.text;
  if (Array.isArray(v)) {
    if (v.length === 1) return asText(v[0], cmdlet, field);
    throw invalid(cmdlet, field, 'it takes one value, not a list');
  }
  // PowerShell binds a script block to a text parameter as its text: -Filter { UMEnabled -eq $true }
  if (v instanceof ScriptBlock) return v.ast.text.trim();
  if (v instanceof Hashtable) throw invalid(cmdlet, field, `it takes text, not ${describe(v)}`);
  return toText(v);
}

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [v];
}

function parseDate(text: string): Date | null {
  const t = text.trim();
  // en-US, as Exchange's documentation writes them: 11/25/2026, 11/25/2026 5:00 PM
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)?)?$/i.exec(t);
  if (us) {
    let h = Number(us[4] ?? 0);
    if (us[7]) h = (h % 12) + (us[7].toUpperCase() === 'PM' ? 12 : 0);
    const d = new Date(Number(us[3]), Number(us[1]) - 1, Number(us[2]), h, Number(us[5] ?? 0), Number(us[6] ?? 0));
    return d.getMonth() === Number(us[1]) - 1 ? d : null;
  }
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(t)) {
    const d = new Date(t.length === 10 ? `${t}T00:00:00` : t.replace(' ', 'T'));
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

/**
 * Converts one argument to the parameter's type. `lenient` is for text from a CSV file
 * bound by property name, where `TRUE` is the only way to write a Boolean.
 */
export function convert(type: ParameterType, v: unknown, cmdlet: string, field: string, lenient = false): unknown {
  if (v === null || v === undefined) {
    if (type === 'switch' || type === 'bool') throw invalid(cmdlet, field, 'it takes $true or $false, not $null');
    if (type === 'multivalued') return { replace: [] } satisfies MultiValuedValue;
    return null;
  }
  switch (type) {
    case 'string':
      return asText(v, cmdlet, field);
    case 'identity':
      if (isPlainObject(v)) {
        const id = getProperty(v, 'Identity');
        if (id === undefined || id === null) throw invalid(cmdlet, field, 'the object has no Identity property');
        return toText(id);
      }
      return asText(v, cmdlet, field);
    case 'string[]':
      return asList(v).map((x) => asText(x, cmdlet, field));
    case 'multivalued': {
      if (v instanceof Hashtable) {
        const edit = { add: [] as string[], remove: [] as string[] };
        for (const key of v.keys()) {
          const k = key.toLowerCase();
          if (k !== 'add' && k !== 'remove')
            throw invalid(cmdlet, field, `a hashtable here takes the keys Add and Remove, not '${key}'`);
          edit[k].push(...asList(v.get(key)).map((x) => asText(x, cmdlet, field)));
        }
        return edit satisfies MultiValuedValue;
      }
      return { replace: asList(v).map((x) => asText(x, cmdlet, field)) } satisfies MultiValuedValue;
    }
    case 'bool':
    case 'switch': {
      const x = Array.isArray(v) && v.length === 1 ? v[0] : v;
      if (typeof x === 'boolean') return x;
      if (x instanceof ArgNumber || typeof x === 'number') return Number(x) !== 0;
      if (typeof x === 'string' && lenient && BOOLEAN_TEXT[x.trim().toLowerCase()] !== undefined)
        return BOOLEAN_TEXT[x.trim().toLowerCase()];
      throw invalid(
        cmdlet,
        field,
        `it accepts only Boolean values and numbers, such as $true, $false, 1 or 0, not ${describe(x)}`,
      );
    }
    case 'int': {
      const x = Array.isArray(v) && v.length === 1 ? v[0] : v;
      const n =
        x instanceof ArgNumber
          ? x.value
          : typeof x === 'number'
            ? x
            : typeof x === 'string' && /^\s*[+-]?\d+\s*$/.test(x)
              ? Number(x)
              : NaN;
      if (!Number.isInteger(n)) throw invalid(cmdlet, field, `it takes a whole number, not ${describe(x)}`);
      return n;
    }
    case 'unlimited': {
      const x = Array.isArray(v) && v.length === 1 ? v[0] : v;
      if (typeof x === 'string' && x.trim().toLowerCase() === 'unlimited') return 'Unlimited';
      try {
        return convert('int', x, cmdlet, field);
      } catch {
        throw invalid(cmdlet, field, `it takes a whole number or Unlimited, not ${describe(x)}`);
      }
    }
    case 'datetime': {
      const x = Array.isArray(v) && v.length === 1 ? v[0] : v;
      if (x instanceof Date) return x;
      const d = typeof x === 'string' ? parseDate(x) : null;
      if (!d)
        throw invalid(cmdlet, field, `it takes a date such as 11/25/2026 or 2026-11-25T17:00, not ${describe(x)}`);
      return d;
    }
    case 'scriptblock':
      if (!(v instanceof ScriptBlock))
        throw invalid(cmdlet, field, `it takes a script block { ... }, not ${describe(v)}`);
      return v;
    case 'object':
      return plain(v);
  }
}

export interface BoundCommand {
  params: BoundParameters;
  common: CommonParameters;
  /** one warning per ignored parameter that was given */
  warnings: string[];
  /** spans of values bound to secret parameters, for masking echoed command lines */
  secretSpans: Span[];
}

export type Evaluate = (e: Expression) => Promise<unknown>;

/** Binds the command line's arguments. Pipeline objects bind later, per object. */
export async function bindArguments(
  def: CmdletDefinition,
  /** splatted arguments (`@params`) already spread into named and positional ones */
  args: readonly Exclude<CommandArgument, SplatArgument>[],
  evaluate: Evaluate,
  /** the session's $ErrorActionPreference, which -ErrorAction overrides */
  errorAction: ErrorActionPreference = 'Continue',
  /** $WhatIfPreference and $ConfirmPreference as they apply to this cmdlet, which -WhatIf and -Confirm override */
  preferences: { whatIf?: boolean; confirm?: boolean | undefined } = {},
): Promise<BoundCommand> {
  const params: BoundParameters = {};
  const common: CommonParameters = {
    whatIf: preferences.whatIf ?? false,
    confirm: preferences.confirm,
    errorAction,
    warningAction: 'Continue',
    verbose: false,
  };
  const warnings: string[] = [];
  const secretSpans: Span[] = [];
  const given = new Set<string>();
  const positional: Array<{ value: Expression; span: Span }> = [];

  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.kind === 'argument') {
      positional.push({ value: a.value, span: a.span });
      continue;
    }
    const target = resolveName(def, a.name);
    const name = targetName(target);
    if (given.has(name.toLowerCase()))
      throw new UmpinError({
        code: 'UMPIN_SHELL_PARAMETER_REPEATED',
        field: name,
        params: { cmdlet: def.name, field: name },
      });
    given.add(name.toLowerCase());
    const type = targetType(target);
    let valueExpr: Expression | null = a.value;
    let valueSpan: Span | null = a.value?.span ?? null;
    if (!valueExpr && type !== 'switch') {
      const next = args[i + 1];
      if (next?.kind !== 'argument')
        throw new UmpinError({
          code: 'UMPIN_SHELL_ARGUMENT_MISSING',
          field: name,
          params: { cmdlet: def.name, field: name, type },
        });
      valueExpr = next.value;
      valueSpan = next.span;
      i++;
    }
    if (SECRET_PARAMETERS.has(name.toLowerCase()) && valueSpan) secretSpans.push(valueSpan);
    const raw = secretText(name, valueExpr ? await evaluate(valueExpr) : true);
    const value = convert(type, raw, def.name, name);
    if (target.kind === 'param') params[name] = value;
    else if (target.kind === 'ignored')
      warnings.push(`-${name} is accepted for compatibility and ignored: ${target.reason}.`);
    else applyCommon(common, name, value, def.name);
  }

  // Positional arguments fill the positions whose parameters are still free, in order.
  // Parameters sharing a position are alternatives (parameter sets): the first whose
  // type takes the value wins, e.g. Where-Object's { script } or Property name.
  const positions = [...new Set(def.parameters.filter((p) => p.position !== undefined).map((p) => p.position!))].sort(
    (a, b) => a - b,
  );
  let slot = 0;
  for (const [index, p] of positional.entries()) {
    while (slot < positions.length && def.parameters.some((x) => x.position === positions[slot] && x.name in params))
      slot++;
    const candidates = slot < positions.length ? def.parameters.filter((x) => x.position === positions[slot]) : [];
    const raw = secretText(candidates[0]?.name ?? '', await evaluate(p.value));
    if (candidates.length === 0) {
      throw new UmpinError({
        code: 'UMPIN_SHELL_POSITIONAL_UNEXPECTED',
        params: {
          cmdlet: def.name,
          value: typeof raw === 'string' ? raw.slice(0, 60) : undefined,
          position: index + 1,
        },
      });
    }
    let firstError: unknown = null;
    for (const spec of candidates) {
      try {
        params[spec.name] = convert(spec.type, raw, def.name, spec.name);
        if (SECRET_PARAMETERS.has(spec.name.toLowerCase())) secretSpans.push(p.span);
        firstError = null;
        break;
      } catch (err) {
        firstError ??= err;
      }
    }
    if (firstError) throw firstError;
    slot++;
  }
  return { params, common, warnings, secretSpans };
}

/** a secure string read with Read-Host -AsSecureString binds its text to a secret parameter (-Pin), and only there */
function secretText(parameter: string, value: unknown): unknown {
  if (!(value instanceof SecureString) || !SECRET_PARAMETERS.has(parameter.toLowerCase())) return value;
  return revealSecret(value) ?? value;
}

function applyCommon(common: CommonParameters, name: string, value: unknown, cmdlet: string): void {
  switch (name) {
    case 'WhatIf':
      common.whatIf = value as boolean;
      return;
    case 'Confirm':
      common.confirm = value as boolean;
      return;
    case 'Verbose':
      common.verbose = value as boolean;
      return;
    case 'ErrorAction':
    case 'WarningAction': {
      const action = ACTIONS.find((x) => x.toLowerCase() === String(value).toLowerCase());
      if (!action) throw invalid(cmdlet, name, `it takes one of ${ACTIONS.join(', ')}`);
      if (name === 'ErrorAction') common.errorAction = action;
      else common.warningAction = action;
      return;
    }
    default:
      return; // the other common parameters change nothing umpin shows
  }
}

/**
 * Binds one pipeline object: a string or number to the by-value parameter, an object's
 * properties to the parameters that take them by property name (or the by-value
 * identity parameter from its Identity). Parameters given on the command line win.
 */
export function bindPipelineObject(
  def: CmdletDefinition,
  fromCommandLine: BoundParameters,
  input: unknown,
): BoundParameters {
  const params: BoundParameters = { ...fromCommandLine };
  const free = def.parameters.filter((p) => !(p.name in fromCommandLine));
  const obj = Array.isArray(input) && input.length === 1 ? input[0] : input;
  if (isPlainObject(obj)) {
    let bound = false;
    for (const spec of free) {
      if (!spec.pipeline?.byPropertyName) continue;
      const key = [spec.name, ...(spec.aliases ?? [])].map((n) => propertyName(obj, n)).find((k) => k !== undefined);
      if (key === undefined || obj[key] === undefined) continue;
      params[spec.name] = convert(spec.type, obj[key], def.name, spec.name, true);
      bound = true;
    }
    const identity = free.find((p) => p.pipeline?.byValue && p.type === 'identity');
    if (identity && !(identity.name in params) && getProperty(obj, 'Identity') !== undefined) {
      params[identity.name] = convert('identity', obj, def.name, identity.name);
      bound = true;
    }
    if (!bound)
      throw invalid(
        def.name,
        free.find((p) => p.pipeline)?.name ?? 'InputObject',
        'the piped object has no property that any of its parameters takes',
      );
    return params;
  }
  const byValue = free.find((p) => p.pipeline?.byValue);
  if (!byValue) throw invalid(def.name, 'InputObject', `it takes no pipeline input of ${describe(obj)}`);
  params[byValue.name] = convert(byValue.type, obj, def.name, byValue.name, true);
  return params;
}

export function checkMandatory(def: CmdletDefinition, params: BoundParameters): void {
  const missing = def.parameters.find((p) => p.mandatory && (params[p.name] === undefined || params[p.name] === null));
  if (missing)
    throw new UmpinError({
      code: 'UMPIN_SHELL_PARAMETER_MISSING',
      field: missing.name,
      params: { cmdlet: def.name, field: missing.name },
    });
}

/** Whether a cmdlet takes objects from the pipeline at all. */
export function takesPipelineInput(def: CmdletDefinition): boolean {
  return def.parameters.some((p) => p.pipeline?.byValue || p.pipeline?.byPropertyName);
}
