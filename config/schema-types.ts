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

const DNS_LABEL_PATTERN = '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$';
export const DnsLabel = Type.String({
  pattern: DNS_LABEL_PATTERN,
  description: 'A Kubernetes DNS-1123 label: lowercase letters, digits and "-", at most 63 characters.',
});

/** A Kubernetes resource quantity such as `250m`, `1`, `512Mi` or `1Gi`. */
const QUANTITY_PATTERN = '^(\\d+(\\.\\d+)?|\\.\\d+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?\\d+)?$';
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

/**
 * A key of a Secret: k8s.io/apimachinery pkg/util/validation/validation.go
 * IsConfigMapKey (at most 253 of [-._a-zA-Z0-9], not "." and not starting with "..").
 */
export const SecretKey = {
  pattern: '^(?!\\.\\.)(?!\\.$)[-._a-zA-Z0-9]{1,253}$',
  description: 'Key inside the Secret: letters, digits, "-", "_" and "."; not "." or "..".',
} as const;

/** A key of a Secret, with a default Secret name and key. Only a reference: values never go into the repository. */
export const SecretKeyRef = (description: string, name: string, key: string) =>
  Type.Object(
    {
      name: Type.String({ pattern: DNS_LABEL_PATTERN, description: 'Name of the Secret (it must exist in the namespace).', default: name }),
      key: Type.String({ ...SecretKey, default: key }),
    },
    { ...strict, default: {}, description },
  );

/*
 * Label and annotation syntax as the API server checks it
 * (k8s.io/apimachinery pkg/util/validation/validation.go: IsQualifiedName for
 * keys — an optional DNS-1123 subdomain prefix of at most 253 characters and
 * "/", then a name of at most 63 characters; IsValidLabelValue for label
 * values — at most 63 characters; pkg/api/validation/objectmeta.go
 * ValidateLabels and ValidateAnnotations). The total size of annotations is a
 * constraint (lib/config/constraints.ts), since JSON Schema cannot add up a map.
 */
const LABEL_KEY_PATTERN =
  '^(?:(?=[^/]{1,253}/)[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*/)?(?=[^/]{1,63}$)[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?$';
const LABEL_VALUE_PATTERN = '^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$';

const LabelKey = (what: string) => ({
  type: 'string',
  pattern: LABEL_KEY_PATTERN,
  description: `A Kubernetes ${what} key: an optional DNS prefix and "/", then at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit.`,
});
const LabelValue = {
  type: 'string',
  pattern: LABEL_VALUE_PATTERN,
  description: 'A Kubernetes label value: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit (or empty).',
};

/** Labels: keys and values checked as the API server does. */
export const Labels = (description: string, options: { default?: Record<string, string>; minProperties?: number } = {}) =>
  Type.Unsafe<Record<string, string>>({
    type: 'object',
    propertyNames: LabelKey('label'),
    additionalProperties: LabelValue,
    ...(options.default === undefined ? {} : { default: options.default }),
    ...(options.minProperties ? { minProperties: options.minProperties } : {}),
    description,
  });

/** Annotations: keys checked as the API server does; values are any strings. */
export const Annotations = (description: string) =>
  Type.Unsafe<Record<string, string>>({
    type: 'object',
    propertyNames: LabelKey('annotation'),
    additionalProperties: { type: 'string' },
    default: {},
    description,
  });
