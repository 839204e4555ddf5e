import * as http from 'http';
import * as net from 'net';
import { ALERTS } from '../../lib/monitoring/alerts';
import { alertLabels } from '../../lib/monitoring/prometheus-rule-groups';
import { find, manifestsOf, minimalEnvironment } from '../support/env';
import { findTool, missingToolMessage } from '../support/tools';
import { AlertmanagerConfigSpec, AlertmanagerYml, KUBE_PROMETHEUS_STACK_BASE, operatorEquivalent } from './support/alertmanager';
import { Alertmanager } from '../support/alertmanager';

const alertmanager = findTool('alertmanager');
if (!alertmanager) console.warn(missingToolMessage('alertmanager', 'the business-hours test against a running Alertmanager is SKIPPED'));

const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const day = (offset: number) => DAYS[(new Date().getUTCDay() + offset + 7) % 7];

/**
 * P4 waits for business hours: two environments whose generated time
 * interval (operator conversion included) covers now, and does not, each
 * with a P4 and a P3 alert firing; a webhook on 127.0.0.1 stands in for the
 * ticket receiver. Alertmanager's TimeActiveStage (notify/notify.go) must drop
 * the P4 notification outside the interval and only there.
 */
(alertmanager ? describe : describe.skip)('business hours in a running Alertmanager', () => {
  const p4 = ALERTS.find((a) => a.level === 'P4')!;
  const p3 = ALERTS.find((a) => a.level === 'P3')!;
  // Whole days around today (UTC), and a day three days away: a run across midnight keeps its meaning.
  const open = { namespace: 'open-now', weekdays: [day(-1), day(0), day(1)] };
  const closed = { namespace: 'closed-now', weekdays: [day(3)] };
  const received: { receiver: string; alerts: { labels: Record<string, string> }[] }[] = [];
  let server: http.Server;
  let am: Alertmanager;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const webhook = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`;

    let config: AlertmanagerYml = KUBE_PROMETHEUS_STACK_BASE;
    for (const { namespace, weekdays } of [open, closed]) {
      const env = minimalEnvironment({ namespace, monitoring: { alertmanager: { businessHours: { weekdays, start: '00:00', end: '24:00' } } } });
      const spec = (find(manifestsOf(env), 'AlertmanagerConfig') as unknown as { spec: AlertmanagerConfigSpec }).spec;
      // Only the timing changes: notify within a second instead of 30 s.
      const fast = { ...spec, route: { ...spec.route!, groupWait: '1s', groupInterval: '1s' } };
      config = operatorEquivalent(fast, namespace, 'ai-odoo-finder', config);
    }
    config = {
      ...config,
      receivers: config.receivers.map((r) => (r.name === 'null' ? r : { name: r.name, webhook_configs: [{ url: webhook, send_resolved: false }] })),
    };
    am = await Alertmanager.start(config);
  }, 30_000);

  afterAll(async () => {
    await am?.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('sends P4 only inside the interval, while P3 goes out at any time', async () => {
    await am.post(
      [open, closed].flatMap(({ namespace }) => [p4, p3].map((a) => ({ labels: { ...alertLabels(a), alertname: a.name, namespace } }))),
    );
    const notified = () => new Set(received.flatMap((n) => n.alerts.map((a) => `${a.labels.namespace}/${a.labels.alertname}`)));
    const wanted = [`${open.namespace}/${p4.name}`, `${open.namespace}/${p3.name}`, `${closed.namespace}/${p3.name}`];
    for (let i = 0; i < 60 && !wanted.every((w) => notified().has(w)); i++) await new Promise((r) => setTimeout(r, 250));
    // Several group intervals more, for a P4 notification outside the interval to show up if it were sent.
    await new Promise((r) => setTimeout(r, 3_000));
    expect([...notified()].sort()).toEqual(wanted.sort());
    expect(received.every((n) => n.receiver.endsWith('/ticket'))).toBe(true);
  }, 40_000);
});
