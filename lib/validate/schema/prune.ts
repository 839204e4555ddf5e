import { isObject } from '../access';

type Schema = Record<string, unknown>;

/** The field names a pruned object schema listed, for "did you mean" hints. */
export const KNOWN_FIELDS = 'x-known-fields';

/**
 * The part of a (ref-free) schema that these values reach: properties no value
 * has are dropped, list items and map values are pruned by every element.
 * Validating the values against it finds exactly what the whole schema finds
 * (`required` and `additionalProperties: false` are kept, and judge present
 * fields only), but it compiles in a fraction of the time: a large CRD schema
 * is mostly fields an object does not use.
 */
export function pruneSchema(schema: unknown, values: readonly unknown[]): Schema {
  if (!isObject(schema)) return schema as Schema;
  const s: Schema = { ...schema };
  const objects = values.filter(isObject);
  const properties = isObject(schema.properties) ? schema.properties : undefined;
  if (properties) {
    const present = new Set(objects.flatMap((o) => Object.keys(o)));
    s.properties = Object.fromEntries(
      Object.entries(properties)
        .filter(([key]) => present.has(key))
        .map(([key, sub]) => [key, pruneSchema(sub, objects.filter((o) => key in o).map((o) => o[key]))]),
    );
    s[KNOWN_FIELDS] = Object.keys(properties);
  }
  if (isObject(schema.items)) s.items = pruneSchema(schema.items, values.flatMap((v) => (Array.isArray(v) ? v : [])));
  if (isObject(schema.additionalProperties)) {
    const known = new Set(Object.keys(properties ?? {}));
    s.additionalProperties = pruneSchema(schema.additionalProperties, objects.flatMap((o) => Object.entries(o).filter(([k]) => !known.has(k)).map(([, v]) => v)));
  }
  return s;
}
