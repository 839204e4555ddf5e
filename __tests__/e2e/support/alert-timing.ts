import { RuleGroupObject } from './environment';

/**
 * Longest `for:` the e2e waits out in real time. Alerts with a longer `for:`
 * are loaded with `for: COMPRESSED_FOR` in the fault runs, expression, labels
 * and annotations unchanged (`compressedFor` changes nothing else, and a test
 * checks that); the healthy run loads the rules exactly as in dist/.
 */
export const LONGEST_REAL_FOR_SECONDS = 120;
export const COMPRESSED_FOR = '10s';

export function durationSeconds(d: string): number {
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
  let total = 0;
  const re = /(\d+)(ms|s|m|h|d|w|y)/g;
  let matched = '';
  for (let m = re.exec(d); m; m = re.exec(d)) {
    total += Number(m[1]) * units[m[2]];
    matched += m[0];
  }
  if (matched !== d) throw new Error(`not a Prometheus duration: "${d}"`);
  return total;
}

/** The rule groups with every `for:` above LONGEST_REAL_FOR_SECONDS replaced by COMPRESSED_FOR. */
export function compressedFor(groups: readonly RuleGroupObject[]): RuleGroupObject[] {
  return groups.map((g) => ({
    ...g,
    rules: g.rules.map((r) => (r.for && durationSeconds(r.for) > LONGEST_REAL_FOR_SECONDS ? { ...r, for: COMPRESSED_FOR } : r)),
  }));
}
