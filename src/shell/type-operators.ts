/**
 * `-is`, `-isnot` and `-as` with the types the shell knows (those a cast takes). Numbers are
 * one kind in the shell, so `[int]` and `[long]` are whole numbers and `[double]` and
 * `[decimal]` any number; `-as` gives $null where a cast would fail, as in PowerShell.
 */
import { cast } from './operators.js';
import { isPlainObject } from './ps-object.js';
import { Hashtable, ScriptBlock, SecureString } from './values.js';

/** `$value -is [type]` */
export function isOfType(value: unknown, type: string): boolean {
  switch (type) {
    case 'int':
    case 'long':
      return typeof value === 'number' && Number.isInteger(value);
    case 'double':
    case 'decimal':
      return typeof value === 'number';
    case 'string':
      return typeof value === 'string';
    case 'bool':
    case 'switch':
      return typeof value === 'boolean';
    case 'datetime':
      return value instanceof Date;
    case 'array':
    case 'object[]':
      return Array.isArray(value);
    case 'string[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'int[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isInteger(v));
    case 'hashtable':
      return value instanceof Hashtable;
    case 'pscustomobject':
      return isPlainObject(value);
    case 'securestring':
      return value instanceof SecureString;
    case 'scriptblock':
      return value instanceof ScriptBlock;
    case 'object':
      return value !== null && value !== undefined;
    default:
      return false;
  }
}

/** `$value -as [type]`: the cast's result, or $null where the cast fails */
export function convertAs(type: string, value: unknown): unknown {
  if (type === 'switch') return typeof value === 'boolean' ? value : null;
  if (type === 'pscustomobject' && !(value instanceof Hashtable) && !isPlainObject(value)) return null;
  if ((type === 'int' || type === 'long' || type === 'double' || type === 'decimal') && value === null) return null;
  try {
    return cast(type, value);
  } catch {
    return null;
  }
}
