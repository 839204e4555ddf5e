/*
 * Names, label keys and label values as the API server checks them
 * (k8s.io/apimachinery pkg/util/validation/validation.go: IsDNS1123Label,
 * IsDNS1123Subdomain, IsDNS1035Label, IsQualifiedName, IsValidLabelValue).
 * The validator (lib/validate/api-rules.ts) reads dist/ with them, and the
 * constructs check their props with them (lib/props.ts).
 */

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Service names: a DNS label that starts with a letter. */
export const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** An object name most kinds accept: a DNS-1123 subdomain of at most 253 characters. */
export function isObjectName(name: string): boolean {
  return DNS_SUBDOMAIN.test(name) && name.length <= 253;
}

/** A label or annotation key: `[prefix/]name`, the name at most 63 characters, the prefix a DNS subdomain. */
export function isQualifiedKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  return QUALIFIED_NAME.test(name) && name.length <= 63 && (prefix === undefined || (DNS_SUBDOMAIN.test(prefix) && prefix.length <= 253));
}

/** A label value: at most 63 letters, digits, '-', '_' or '.', alphanumeric at both ends, or empty. */
export function isLabelValue(value: string): boolean {
  return LABEL_VALUE.test(value) && value.length <= 63;
}
