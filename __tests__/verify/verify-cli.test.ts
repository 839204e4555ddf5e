import * as http from 'http';
import { AddressInfo } from 'net';
import { monitoringContext } from '../../lib/monitoring/context';
import { prometheusRuleGroups } from '../../lib/monitoring/prometheus-rule-groups';
import { EXIT, main, parseSince } from '../../lib/verify/cli';
import { reviewQueries } from '../../lib/verify/queries';
import { committedEnvironment, ROOT } from '../support/env';

/**
 * `npm run verify`'s error paths against stand-in servers (its checks run
 * against a real Prometheus in `npm run e2e`).
 */
type Handler = (url: URL, res: http.ServerResponse) => void;

async function serve(handler: Handler): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => handler(new URL(req.url ?? '/', 'http://x'), res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

const json = (res: http.ServerResponse, data: unknown) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ status: 'success', data }));

const production = committedEnvironment('production');
const ctx = monitoringContext(production);
/** /api/v1/rules as Prometheus lists our groups for production. */
const ourGroups = prometheusRuleGroups(ctx).map((g) => ({
  name: g.name,
  file: '/etc/prometheus/rules/odoo-finder-ai-odoo-finder.yaml',
  rules: g.rules.map((r) => ({ name: r.alert ?? r.record, query: r.expr, type: r.alert ? 'alerting' : 'recording', health: 'ok' })),
}));

/** A stand-in Prometheus: buildinfo, the given rule groups, and `query` answered by `value(expr)`. */
const prometheus = (groups: unknown[], value: (expr: string) => number | undefined): Handler => (url, res) => {
  if (url.pathname === '/api/v1/status/buildinfo') json(res, { version: '2.42.0' });
  else if (url.pathname === '/api/v1/rules') json(res, { groups });
  else if (url.pathname === '/api/v1/alerts') json(res, { alerts: [] });
  else if (url.pathname === '/api/v1/query') {
    const v = value(url.searchParams.get('query') ?? '');
    json(res, { resultType: 'vector', result: v === undefined ? [] : [{ metric: {}, value: [0, String(v)] }] });
  } else res.writeHead(404).end('404 page not found');
};

async function run(args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args, ROOT, { out: (s) => (out += s), err: (s) => (err += s), now: () => 1_800_000_000 });
  return { code, out, err };
}

describe('npm run verify: errors', () => {
  it('usage: missing --env or --prometheus, a bad stage, a bad --since, an unknown environment', async () => {
    expect((await run(['--prometheus', 'http://x'])).code).toBe(EXIT.usage);
    expect((await run(['--env', 'production'])).code).toBe(EXIT.usage);
    expect(await run(['--env', 'production', '--prometheus', 'http://x', '--stage', '2h'])).toMatchObject({ code: EXIT.usage, err: expect.stringContaining('--stage must be one of 1h, 24h, 7d') });
    expect(await run(['--env', 'production', '--prometheus', 'http://x', '--since', 'yesterday'])).toMatchObject({ code: EXIT.usage, err: expect.stringContaining('is not a time') });
    expect(await run(['--env', 'production', '--prometheus', 'x:9090'])).toMatchObject({ code: EXIT.usage, err: expect.stringContaining('not an http(s) URL') });
    expect(await run(['--env', 'nope', '--prometheus', 'http://x'])).toMatchObject({ code: EXIT.usage, err: expect.stringContaining('nope') });
    expect(await run(['--env', 'local', '--prometheus', 'http://x'])).toMatchObject({ code: EXIT.usage, err: expect.stringContaining('Compose environment') });
  });

  it('--since takes an RFC 3339 time, Unix seconds or a duration ago', () => {
    expect(parseSince('2027-01-15T08:00:00Z', 0)).toBe(Date.parse('2027-01-15T08:00:00Z') / 1000);
    expect(parseSince('1800000000', 0)).toBe(1_800_000_000);
    expect(parseSince('90m', 10_000)).toBe(10_000 - 5400);
    expect(parseSince('1d', 100_000)).toBe(100_000 - 86400);
  });

  it('an unreachable URL: exit 3, one line', async () => {
    const s = await serve(() => undefined);
    const url = s.url;
    await s.close();
    const r = await run(['--env', 'production', '--prometheus', url]);
    expect(r).toMatchObject({ code: EXIT.unreachable, out: '' });
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^verify: cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });

  it('a server that never answers: exit 3 after --timeout, never hangs', async () => {
    const s = await serve(() => undefined);
    try {
      const started = Date.now();
      const r = await run(['--env', 'production', '--prometheus', s.url, '--timeout', '0.3']);
      expect(r).toMatchObject({ code: EXIT.unreachable, err: expect.stringContaining('no answer within 0.3s') });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await s.close();
    }
  });

  it('a URL that is not the Prometheus API (a web page): exit 4', async () => {
    const s = await serve((_, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>Grafana</html>'));
    try {
      expect(await run(['--env', 'production', '--prometheus', s.url])).toMatchObject({ code: EXIT.notPrometheus, err: expect.stringContaining('not the Prometheus API') });
    } finally {
      await s.close();
    }
  });

  it('a Prometheus without our rules (or with another environment\'s): exit 5, naming the groups', async () => {
    const staging = prometheusRuleGroups(monitoringContext(committedEnvironment('staging'))).map((g) => ({ name: g.name, file: 'x', rules: g.rules.map((r) => ({ name: r.alert ?? r.record, query: r.expr, type: 'alerting', health: 'ok' })) }));
    const s = await serve(prometheus(staging, () => 1));
    try {
      const r = await run(['--env', 'production', '--prometheus', s.url]);
      expect(r).toMatchObject({ code: EXIT.noRules, out: '' });
      expect(r.err).toContain('has none of the rule groups of production (ai-odoo-finder.slo.rules');
      expect(r.err).toContain('selecting namespace odoo-finder');
    } finally {
      await s.close();
    }
  });

  it('a Prometheus with our rules but no series of the environment: exit 6', async () => {
    const s = await serve(prometheus(ourGroups, () => undefined));
    try {
      expect(await run(['--env', 'production', '--prometheus', s.url])).toMatchObject({ code: EXIT.noData, err: expect.stringContaining('has no series of production') });
    } finally {
      await s.close();
    }
  });

  it('replicas are read from the HPA and the pods, not the Deployment (at 0 under a canary Rollout): a pod not ready fails the check', async () => {
    const q = reviewQueries(monitoringContext(committedEnvironment('production')));
    const answer = (ready: number, notReady: number) => (expr: string) =>
      expr.includes('kube_deployment') ? 0 : expr === q.replicasWanted() ? 3 : expr === q.replicasReady() ? ready : expr === q.podsNotReady() ? notReady : 1;
    const failing = await serve(prometheus(ourGroups, answer(2, 1)));
    const passing = await serve(prometheus(ourGroups, answer(3, 0)));
    try {
      const bad = await run(['--env', 'production', '--prometheus', failing.url]);
      expect(bad.code).toBe(EXIT.failed);
      expect(bad.out).toContain('- [ ] All services healthy — FAILED: 2 of 3 replicas ready; 1 API pod(s) Pending or not ready');
      const good = await run(['--env', 'production', '--prometheus', passing.url]);
      expect(good.out).toMatch(/- \[x\] All services healthy — .*3\/3 replicas ready/);
    } finally {
      await Promise.all([failing.close(), passing.close()]);
    }
  });

  it('a check whose query fails counts as failed (exit 1) and the others still run', async () => {
    const s = await serve(prometheus(ourGroups, (expr) => (expr.includes('kube_horizontalpodautoscaler') ? Number.NaN : 1)));
    try {
      const r = await run(['--env', 'production', '--prometheus', s.url]);
      expect(r.code).toBe(EXIT.failed);
      expect(r.out).toContain('- [ ] All services healthy — FAILED: kube-state-metrics reports nothing for HorizontalPodAutoscaler ai-odoo-finder');
      expect(r.out).toContain('- [ ] No errors in logs — manual: kubectl -n odoo-finder logs deploy/ai-odoo-finder --since=1h | grep -i error');
      expect(r.out).toMatch(/\d+ checked against Prometheus, \d+ failed, \d+ left for a person\./);
    } finally {
      await s.close();
    }
  });
});
