import { arrayAt, isObject, stringAt, stringMap } from './access';

/**
 * Whether a `LabelSelector` (matchLabels + matchExpressions) selects these labels.
 * An empty selector selects everything; an absent one (undefined) nothing.
 */
export function selects(selector: unknown, labels: Record<string, string>): boolean {
  if (!isObject(selector)) return false;
  const matchLabels = stringMap(selector, 'matchLabels');
  if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) return false;
  return arrayAt(selector, 'matchExpressions').every((e) => {
    const key = stringAt(e, 'key') ?? '';
    const values = arrayAt(e, 'values').filter((v): v is string => typeof v === 'string');
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (stringAt(e, 'operator')) {
      case 'In':
        return has && values.includes(labels[key]);
      case 'NotIn':
        return !has || !values.includes(labels[key]);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
}

/** Whether a plain map selector (a Service's `spec.selector`) selects these labels; an empty one selects nothing. */
export function mapSelects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

/**
 * Labels that a `LabelSelector` selects: its matchLabels, the first value of each
 * `In`, an empty value for each `Exists`. For an absent or empty selector, none.
 */
export function witnessLabels(selector: unknown): Record<string, string> {
  if (!isObject(selector)) return {};
  const labels = { ...stringMap(selector, 'matchLabels') };
  for (const e of arrayAt(selector, 'matchExpressions')) {
    const key = stringAt(e, 'key');
    const first = arrayAt(e, 'values').find((v): v is string => typeof v === 'string');
    const operator = stringAt(e, 'operator');
    if (key === undefined || key in labels) continue;
    if (operator === 'In' && first !== undefined) labels[key] = first;
    else if (operator === 'Exists') labels[key] = '';
  }
  return labels;
}

/** Whether a `LabelSelector` is empty (`{}` or `{matchLabels: {}}`): it selects every pod, as a default-deny NetworkPolicy's does. */
export function selectsEverything(selector: unknown): boolean {
  return isObject(selector) && Object.keys(stringMap(selector, 'matchLabels')).length === 0 && arrayAt(selector, 'matchExpressions').length === 0;
}
