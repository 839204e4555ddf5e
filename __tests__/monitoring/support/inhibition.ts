import { AlertmanagerYml } from './alertmanager';

/** An alert's labels. */
export type LabelSet = Readonly<Record<string, string>>;

/** One label matcher as Alertmanager 0.25 reads and applies it. */
interface LabelMatcher {
  readonly name: string;
  readonly matches: (value: string) => boolean;
}

// prometheus/alertmanager v0.25.0 pkg/labels/parse.go: the matcher syntax ('=~' before '=').
const MATCHER = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(=~|=|!=|!~)\s*([\s\S]*?)\s*$/;

/**
 * A matcher string (`name="value"`, `name =~ a|b`, …) parsed like
 * pkg/labels/parse.go ParseMatcher (optional quotes, `\"`, `\\` and `\n`
 * escapes) and applied like pkg/labels/matcher.go: regexes are anchored
 * (`^(?:re)$`), and a missing label is the empty string (Matchers.Matches reads
 * `lset[name]`). JavaScript's regex engine stands in for Go's RE2, which
 * agrees on the alternations and classes used here.
 */
export function parseMatcher(text: string): LabelMatcher {
  const m = MATCHER.exec(text);
  if (!m) throw new Error(`bad matcher format: ${text}`);
  const [, name, op, raw] = m;
  const quoted = raw.startsWith('"');
  if (quoted && (!raw.endsWith('"') || raw.length < 2)) throw new Error(`matcher value lacks its closing quote: ${text}`);
  const value = (quoted ? raw.slice(1, -1) : raw).replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
  const re = op === '=~' || op === '!~' ? new RegExp(`^(?:${value})$`, 's') : undefined;
  const test: Record<string, (v: string) => boolean> = {
    '=': (v) => v === value,
    '!=': (v) => v !== value,
    '=~': (v) => re!.test(v),
    '!~': (v) => !re!.test(v),
  };
  return { name, matches: test[op] };
}

const allMatch = (matchers: readonly LabelMatcher[], labels: LabelSet) => matchers.every((m) => m.matches(labels[m.name] ?? ''));

/**
 * The firing alert that mutes `target`, or undefined: Alertmanager 0.25's
 * inhibit/inhibit.go, rule by rule in order.
 * - Inhibitor.Mutes: a rule applies when its target matchers match the target.
 * - The rule's source cache holds the firing alerts its source matchers match
 *   (Inhibitor.run / processAlert; resolved alerts are skipped in hasEqual).
 * - InhibitRule.hasEqual: a cached source mutes the target when every `equal`
 *   label has the same value on both (`a.Labels[n] != lset[n]`: a label
 *   missing on both sides counts as equal); when the target also matches the
 *   source side, sources that also match the target side are disregarded
 *   (excludeTwoSidedMatch).
 */
export function mutingAlert(config: Pick<AlertmanagerYml, 'inhibit_rules'>, firing: readonly LabelSet[], target: LabelSet): LabelSet | undefined {
  for (const rule of config.inhibit_rules ?? []) {
    const source = (rule.source_matchers ?? []).map(parseMatcher);
    const targetSide = (rule.target_matchers ?? []).map(parseMatcher);
    if (!allMatch(targetSide, target)) continue;
    const excludeTwoSided = allMatch(source, target);
    const muting = firing.find(
      (a) => allMatch(source, a) && (rule.equal ?? []).every((n) => (a[n] ?? '') === (target[n] ?? '')) && !(excludeTwoSided && allMatch(targetSide, a)),
    );
    if (muting) return muting;
  }
  return undefined;
}
