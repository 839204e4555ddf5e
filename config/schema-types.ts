import { TSchema, Type } from '@sinclair/typebox';

/** Building blocks of the environment schema (`schema.ts` and its section files). */

/** Every object rejects unknown keys, so that a typo is an error, not a no-op. */
export const strict = { additionalProperties: false } as const;

/** One of a few strings (a JSON Schema `enum`: editors offer the choices, errors list them). */
export function Choice<const T extends string>(values: readonly T[], options: { default?: T; description?: string }) {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });
}

/** An object whose keys all have defaults, so the whole section may be left out. */
export function section<T extends Record<string, TSchema>>(properties: T, description: string) {
  return Type.Object(properties, { ...strict, default: {}, description });
}

export const DNS_LABEL_PATTERN = '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$';
export const DnsLabel = Type.String({
  pattern: DNS_LABEL_PATTERN,
  description: 'A Kubernetes DNS-1123 label: lowercase letters, digits and "-", at most 63 characters.',
});

/** A Kubernetes resource quantity such as `250m`, `1`, `512Mi` or `1Gi`. */
export const QUANTITY_PATTERN = '^(\\d+(\\.\\d+)?|\\.\\d+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?\\d+)?$';
export const Quantity = (description: string, def: string) =>
  Type.String({ pattern: QUANTITY_PATTERN, description: `${description} A Kubernetes quantity, e.g. "250m", "1", "512Mi".`, default: def });

/** Container requests and limits, each with its default. */
export const Resources = (description: string, requests: [cpu: string, memory: string], limits: [cpu: string, memory: string]) =>
  section(
    {
      requests: section({ cpu: Quantity('CPU request.', requests[0]), memory: Quantity('Memory request.', requests[1]) }, 'Container requests.'),
      limits: section({ cpu: Quantity('CPU limit.', limits[0]), memory: Quantity('Memory limit.', limits[1]) }, 'Container limits.'),
    },
    description,
  );

/** A key of a Secret, with a default Secret name and key. Only a reference: values never go into the repository. */
export const SecretKeyRef = (description: string, name: string, key: string) =>
  Type.Object(
    {
      name: Type.String({ pattern: DNS_LABEL_PATTERN, description: 'Name of the Secret (it must exist in the namespace).', default: name }),
      key: Type.String({ pattern: '^[-._a-zA-Z0-9]+$', description: 'Key inside the Secret.', default: key }),
    },
    { ...strict, default: {}, description },
  );

export const LABEL_KEY_PATTERN = '^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$';

/** Labels or annotations: a map of string values under Kubernetes key names. */
export const StringMap = (description: string) =>
  Type.Record(Type.String({ pattern: LABEL_KEY_PATTERN }), Type.String(), { default: {}, description });
