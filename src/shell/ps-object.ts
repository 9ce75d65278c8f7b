/**
 * Objects in the shell's pipelines. Exchange cmdlets emit objects whose property names
 * are Exchange's (`UserID`, `PinExpired`); the type name picks the default view. Property
 * lookup is case-insensitive, as in PowerShell.
 */

export const TYPE_NAME: unique symbol = Symbol('umpin.typeName');

export type PSObject = Record<string, unknown> & { [TYPE_NAME]?: string };

/** An object of a named type, its properties in display order. */
export function psObject(typeName: string, properties: Record<string, unknown>): PSObject {
  const o: PSObject = { ...properties };
  Object.defineProperty(o, TYPE_NAME, { value: typeName, enumerable: false });
  return o;
}

export function typeNameOf(value: unknown): string | undefined {
  return value !== null && typeof value === 'object' ? (value as PSObject)[TYPE_NAME] : undefined;
}

export function isPlainObject(value: unknown): value is PSObject {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    !(value instanceof Map)
  );
}

/** The property's name as the object spells it, found case-insensitively. */
export function propertyName(obj: PSObject, name: string): string | undefined {
  if (Object.hasOwn(obj, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === lower);
}

export function getProperty(value: unknown, name: string): unknown {
  if (!isPlainObject(value)) {
    if (typeof value === 'string' && name.toLowerCase() === 'length') return value.length;
    if (Array.isArray(value)) {
      if (name.toLowerCase() === 'count' || name.toLowerCase() === 'length') return value.length;
      // PowerShell's member enumeration: $list.Name is every element's Name
      return value.map((v) => getProperty(v, name)).filter((v) => v !== undefined);
    }
    return undefined;
  }
  const key = propertyName(value, name);
  return key === undefined ? undefined : value[key];
}
