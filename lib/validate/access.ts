// Safe reads of untrusted YAML: checks run on objects that may also fail the schema.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at `path`, or undefined when any step is missing or of the wrong shape. */
export function get(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const part of path) {
    if (typeof part === 'number') current = Array.isArray(current) ? current[part] : undefined;
    else current = isObject(current) ? current[part] : undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

export function objectAt(value: unknown, ...path: (string | number)[]): JsonObject | undefined {
  const v = get(value, ...path);
  return isObject(v) ? v : undefined;
}

export function arrayAt(value: unknown, ...path: (string | number)[]): unknown[] {
  const v = get(value, ...path);
  return Array.isArray(v) ? v : [];
}

export function stringAt(value: unknown, ...path: (string | number)[]): string | undefined {
  const v = get(value, ...path);
  return typeof v === 'string' ? v : undefined;
}

export function numberAt(value: unknown, ...path: (string | number)[]): number | undefined {
  const v = get(value, ...path);
  return typeof v === 'number' ? v : undefined;
}

/** String-valued entries of a map such as `metadata.labels`; others are left out. */
export function stringMap(value: unknown, ...path: (string | number)[]): Record<string, string> {
  const v = objectAt(value, ...path) ?? {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
