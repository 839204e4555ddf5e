/**
 * The label selector of `kubectl -l`, parsed as apimachinery does
 * (k8s.io/apimachinery pkg/labels/selector.go, `Parse`): requirements
 * separated by commas, each `key`, `!key`, `key=value`, `key==value`,
 * `key!=value`, `key in (a,b)` or `key notin (a,b)`. kubectl itself cannot run
 * here without an API server, so the tests read runbook selectors with this.
 * Returns a predicate over an object's labels, or the reason it does not parse.
 */
export function parseLabelSelector(text: string): { matches: (labels: Record<string, string>) => boolean } | { error: string } {
  const requirements: Array<(labels: Record<string, string>) => boolean> = [];
  const key = String.raw`(?:[A-Za-z0-9.-]+/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`;
  const value = String.raw`(?:[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?`;
  const set = new RegExp(String.raw`^\s*(${key})\s+(in|notin)\s*\(\s*((?:${value}\s*,\s*)*${value})\s*\)\s*(?:,|$)`);
  const equality = new RegExp(String.raw`^\s*(${key})\s*(==|!=|=)\s*(${value})\s*(?:,|$)`);
  const exists = new RegExp(String.raw`^\s*(!?)\s*(${key})\s*(?:,|$)`);
  let rest = text;
  if (rest.trim() === '') return { error: 'is empty: it would select every object' };
  while (rest.trim() !== '') {
    let m: RegExpExecArray | null;
    if ((m = set.exec(rest))) {
      const [, k, op, list] = [m[0], m[1], m[3], m[4]];
      const values = list.split(',').map((v) => v.trim());
      requirements.push(op === 'in' ? (l) => k in l && values.includes(l[k]) : (l) => !(k in l) || !values.includes(l[k]));
    } else if ((m = equality.exec(rest))) {
      const [k, op, v] = [m[1], m[3], m[4]];
      requirements.push(op === '!=' ? (l) => l[k] !== v : (l) => l[k] === v);
    } else if ((m = exists.exec(rest))) {
      const [not, k] = [m[1], m[2]];
      requirements.push(not ? (l) => !(k in l) : (l) => k in l);
    } else {
      return { error: `cannot be parsed at "${rest.trim()}"` };
    }
    rest = rest.slice(m[0].length);
  }
  return { matches: (labels) => requirements.every((r) => r(labels)) };
}
