import { Environment } from '../../config/schema';
import { loadEnvironments } from '../config/load';
import { monitoringContext, MonitoringContext } from '../monitoring/context';
import { prometheusRuleGroups } from '../monitoring/prometheus-rule-groups';
import { scrapeJobs } from '../monitoring/scrape-jobs';
import { PrometheusApi, PrometheusError, RuleGroupStatus } from './prometheus-api';
import { reviewQueries } from './queries';
import { ReviewResult, runReview, Stage, STAGE_NAMES, STAGES } from './review';

const USAGE = 'usage: npm run verify -- --env <environment> --prometheus <url> [--stage 1h|24h|7d] [--since <time>] [--timeout <seconds>] [--json]';

/** Exit codes of `npm run verify`: each way of failing has its own. */
export const EXIT = {
  ok: 0,
  /** An automatic item failed. */
  failed: 1,
  usage: 2,
  /** Nothing answers at the URL (refused, DNS, timeout). */
  unreachable: 3,
  /** Something answers, but not the Prometheus API. */
  notPrometheus: 4,
  /** Prometheus has none of this environment's rule groups. */
  noRules: 5,
  /** Prometheus has no series of this environment. */
  noData: 6,
} as const;

export interface VerifyOptions {
  envName: string;
  prometheus: string;
  stage: Stage;
  /** Seconds since the epoch. */
  since?: number;
  timeoutSeconds: number;
  json: boolean;
}

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Seconds since the epoch (tests pin it). */
  now: () => number;
}

/** `--since`: RFC 3339 / ISO 8601 time, Unix seconds, or a duration ago such as `90m`, `2h`, `1d`. */
export function parseSince(text: string, now: number): number {
  const ago = /^(\d+)(s|m|h|d)$/.exec(text);
  if (ago) return now - Number(ago[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[ago[2] as 's' | 'm' | 'h' | 'd'];
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new Error(`--since "${text}" is not a time (2026-05-01T12:00:00Z), Unix seconds or a duration ago (90m, 2h, 1d)`);
  return t / 1000;
}

function parseArgs(argv: readonly string[], now: number): VerifyOptions | string {
  const o: Partial<VerifyOptions> & { sinceText?: string } = { stage: '1h', timeoutSeconds: 10, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value`);
      return v;
    };
    try {
      if (a === '--env') o.envName = value();
      else if (a === '--prometheus') o.prometheus = value();
      else if (a === '--stage') {
        const s = value();
        if (!STAGE_NAMES.includes(s as Stage)) return `--stage must be one of ${STAGE_NAMES.join(', ')}, not "${s}"`;
        o.stage = s as Stage;
      } else if (a === '--since') o.sinceText = value();
      else if (a === '--timeout') {
        o.timeoutSeconds = Number(value());
        if (!(o.timeoutSeconds > 0)) return '--timeout must be a positive number of seconds';
      } else if (a === '--json') o.json = true;
      else return `unknown argument "${a}"`;
    } catch (e) {
      return (e as Error).message;
    }
  }
  if (!o.envName) return '--env is required';
  if (!o.prometheus) return '--prometheus is required';
  if (!/^https?:\/\/[^/]/.test(o.prometheus)) return `--prometheus "${o.prometheus}" is not an http(s) URL`;
  if (o.sinceText !== undefined) {
    try {
      o.since = parseSince(o.sinceText, now);
    } catch (e) {
      return (e as Error).message;
    }
    if (o.since > now) return `--since ${o.sinceText} is in the future`;
  }
  return o as VerifyOptions;
}

/** Our rule groups among those Prometheus loaded: same group name, and rules that select this namespace. */
function ownGroups(all: readonly RuleGroupStatus[], ctx: MonitoringContext): RuleGroupStatus[] {
  const names = new Set(prometheusRuleGroups(ctx).map((g) => g.name));
  const ns = `namespace="${ctx.namespace}"`;
  return all.filter((g) => names.has(g.name) && g.rules.some((r) => r.query.includes(ns)));
}

class Stop extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** `npm run verify`: returns the exit code (see EXIT). */
export async function main(argv: readonly string[], root = process.cwd(), io: Partial<Io> = {}): Promise<number> {
  const out = io.out ?? ((s: string) => process.stdout.write(s));
  const err = io.err ?? ((s: string) => console.error(s));
  const now = (io.now ?? (() => Date.now() / 1000))();
  if (argv.includes('--help') || argv.includes('-h')) {
    out(`${USAGE}\n`);
    return EXIT.ok;
  }
  const options = parseArgs(argv, now);
  if (typeof options === 'string') {
    err(`verify: ${options}\n${USAGE}`);
    return EXIT.usage;
  }
  let env: Environment;
  try {
    [env] = loadEnvironments(root, [options.envName]);
  } catch (e) {
    err(`verify: ${(e as Error).message}`);
    return EXIT.usage;
  }
  if (env.target === 'compose') {
    err(`verify: ${env.name} is a Compose environment (target: compose): it has no Prometheus monitoring to review`);
    return EXIT.usage;
  }
  const ctx = monitoringContext(env);
  const prometheus = new PrometheusApi(options.prometheus, options.timeoutSeconds * 1000);
  const since = options.since ?? now - STAGES[options.stage].seconds;
  try {
    const version = await prometheus.version();
    const groups = ownGroups(await prometheus.rules(), ctx);
    if (groups.length === 0) {
      throw new Stop(EXIT.noRules, `Prometheus ${options.prometheus} (${version}) has none of the rule groups of ${env.name} (${prometheusRuleGroups(ctx).map((g) => g.name).join(', ')} selecting namespace ${env.namespace}): is the PrometheusRule synced and selected?`);
    }
    const q = reviewQueries(ctx);
    if (!(await prometheus.value(q.targets(ctx.job))) && !(await prometheus.value(q.searches('1h')))) {
      throw new Stop(EXIT.noData, `Prometheus ${options.prometheus} has no series of ${env.name}: no ${ctx.job} target in namespace ${env.namespace} (is the ServiceMonitor selected?)`);
    }
    const results = await runReview({ env, ctx, prometheus, now, since, groups, jobs: scrapeJobs(env) }, options.stage);
    out(options.json ? `${JSON.stringify(jsonReport(env, options, since, results), null, 2)}\n` : formatReview(env, options, since, results));
    return results.some((r) => r.status === 'fail') ? EXIT.failed : EXIT.ok;
  } catch (e) {
    if (e instanceof Stop) {
      err(`verify: ${e.message}`);
      return e.code;
    }
    if (e instanceof PrometheusError) {
      err(`verify: ${e.message}`);
      return e.kind === 'unreachable' ? EXIT.unreachable : e.kind === 'not-prometheus' ? EXIT.notPrometheus : EXIT.failed;
    }
    throw e;
  }
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The review as Markdown, in the seed's layout (same look as `npm run checklist`). */
function formatReview(env: Environment, o: VerifyOptions, since: number, results: readonly ReviewResult[]): string {
  const lines = [`## AI-OdooFinder: Post-Deployment Review — ${env.name} (Prometheus ${o.prometheus}, release ${iso(since)})`, ''];
  let stage = '';
  for (const r of results) {
    if (r.stage !== stage) {
      if (stage) lines.push('');
      lines.push(`### ${STAGES[r.stage].title}`);
      stage = r.stage;
    }
    if (r.status === 'pass') lines.push(`- [x] ${r.text} — ${r.detail}`);
    else if (r.status === 'fail') lines.push(`- [ ] ${r.text} — FAILED: ${r.detail}`);
    else lines.push(`- [ ] ${r.text} — manual${r.detail ? `: ${r.detail}` : ''}`);
  }
  const count = (s: string) => results.filter((r) => r.status === s).length;
  lines.push('', `${count('pass')} checked against Prometheus, ${count('fail')} failed, ${count('manual')} left for a person.`);
  return `${lines.join('\n')}\n`;
}

function jsonReport(env: Environment, o: VerifyOptions, since: number, results: readonly ReviewResult[]) {
  const count = (s: string) => results.filter((r) => r.status === s).length;
  return {
    environment: env.name,
    namespace: env.namespace,
    prometheus: o.prometheus,
    stage: o.stage,
    since: iso(since),
    items: results.map((r) => ({ stage: r.stage, text: r.text, status: r.status, automatic: r.automatic, detail: r.detail })),
    summary: { pass: count('pass'), fail: count('fail'), manual: count('manual') },
  };
}
