import { parseEnvironment } from '../../lib/config/load';
import { LEVEL_NAMES } from '../../lib/monitoring/alert-spec';
import { ALERTS } from '../../lib/monitoring/alerts';
import { RECEIVER_CHOICES } from '../../lib/monitoring/routing-policy';
import { toYaml } from '../../lib/yaml/writer';
import { committedEnvironment, find, manifestsOf, minimalEnvironment } from '../support/env';
import { AlertmanagerConfigSpec, Route } from './support/alertmanager';
import { crdErrors } from './support/crd';

type Env = ReturnType<typeof committedEnvironment>;
const configOf = (env: Env) => find(manifestsOf(env), 'AlertmanagerConfig', 'ai-odoo-finder');
const specOf = (env: Env) => (configOf(env) as unknown as { spec: AlertmanagerConfigSpec }).spec;
const production = committedEnvironment('production');
const staging = committedEnvironment('staging');
const spec = specOf(production);

/** The route of a level: the child route whose matchers are exactly `level="<level>"`. */
const levelRoute = (s: AlertmanagerConfigSpec, level: string): Route => {
  const found = s.route!.routes!.filter((r) => JSON.stringify(r.matchers) === JSON.stringify([{ matchType: '=', name: 'level', value: level }]));
  if (found.length !== 1) throw new Error(`expected one route for level ${level}, found ${found.length}`);
  return found[0];
};
const receiverNames = (s: AlertmanagerConfigSpec) => s.receivers!.map((r) => r.name).sort();

describe('AlertmanagerConfig', () => {
  it('is valid against the AlertmanagerConfig CRD (v1alpha1), unknown fields rejected, in every environment', () => {
    for (const env of [production, staging]) {
      expect(configOf(env).apiVersion).toBe('monitoring.coreos.com/v1alpha1');
      expect(crdErrors(configOf(env))).toEqual([]);
    }
  });

  it('routes each level by the `level` label to the receiver the environment gives it; anything else to `none`, which notifies nobody', () => {
    expect.hasAssertions();
    for (const env of [production, staging]) {
      const s = specOf(env);
      expect(s.route!.receiver).toBe('none');
      for (const level of LEVEL_NAMES) expect({ level, receiver: levelRoute(s, level).receiver }).toEqual({ level, receiver: env.monitoring.alertmanager.levels[level] });
      expect(s.receivers!.find((r) => r.name === 'none')).toEqual({ name: 'none' });
    }
  });

  it("follows SPEC-404's playbook in production: P1 pages, P2 notifies the team lead, P3 and P4 make tickets", () => {
    expect(Object.fromEntries(LEVEL_NAMES.map((l) => [l, levelRoute(spec, l).receiver]))).toEqual({ P1: 'paging', P2: 'team-lead', P3: 'ticket', P4: 'ticket' });
  });

  it('every alert of the catalog has a level with a route that notifies someone in production', () => {
    expect(ALERTS.length).toBeGreaterThan(10);
    for (const a of ALERTS) expect({ alert: a.name, receiver: levelRoute(spec, a.level).receiver }).not.toEqual({ alert: a.name, receiver: 'none' });
  });

  it('P4 notifies only inside the business-hours time interval (Monday to Friday, 09:00-17:00 UTC by default); no other level waits', () => {
    expect(levelRoute(spec, 'P4').activeTimeIntervals).toEqual(['business-hours']);
    for (const level of ['P1', 'P2', 'P3']) expect(levelRoute(spec, level).activeTimeIntervals).toBeUndefined();
    expect(spec.muteTimeIntervals).toEqual([{ name: 'business-hours', timeIntervals: [{ weekdays: ['monday:friday'], times: [{ startTime: '09:00', endTime: '17:00' }] }] }]);
  });

  it('business hours come from the environment; with P4 going nowhere no time interval is rendered', () => {
    const custom = specOf(minimalEnvironment({ monitoring: { alertmanager: { businessHours: { weekdays: ['monday:thursday', 'friday'], start: '08:30', end: '16:00' } } } }));
    expect(custom.muteTimeIntervals![0].timeIntervals).toEqual([{ weekdays: ['monday:thursday', 'friday'], times: [{ startTime: '08:30', endTime: '16:00' }] }]);
    const silent = specOf(minimalEnvironment({ monitoring: { alertmanager: { levels: { P4: 'none' } } } }));
    expect(levelRoute(silent, 'P4')).toEqual({ receiver: 'none', matchers: [{ matchType: '=', name: 'level', value: 'P4' }] });
    expect(silent.muteTimeIntervals).toBeUndefined();
  });

  it('alerts without a level (other rules in the namespace) are routed by severity: critical like P2, warning like P3', () => {
    const fallback = spec.route!.routes!.filter((r) => r.matchers!.some((m) => m.name === 'level' && m.value === '') && r.matchers!.some((m) => m.name === 'severity'));
    expect(fallback.map((r) => [r.matchers, r.receiver])).toEqual([
      [[{ matchType: '=', name: 'level', value: '' }, { matchType: '=', name: 'severity', value: 'critical' }], 'team-lead'],
      [[{ matchType: '=', name: 'level', value: '' }, { matchType: '=', name: 'severity', value: 'warning' }], 'ticket'],
    ]);
  });

  it('takes receiver credentials from the configured Secrets, never inline', () => {
    const integrations = (name: string, field: string) => (spec.receivers!.find((r) => r.name === name) as unknown as Record<string, Record<string, unknown>[]>)[field];
    const { alertmanager } = production.monitoring;
    expect(integrations('paging', 'pagerdutyConfigs')[0].routingKey).toEqual(alertmanager.pagerDutyRoutingKey);
    expect(integrations('team-lead', 'slackConfigs')[0]).toMatchObject({ apiURL: alertmanager.teamLeadSlackApiUrl, channel: alertmanager.teamLeadSlackChannel });
    expect(integrations('ticket', 'slackConfigs')[0]).toMatchObject({ apiURL: alertmanager.slackApiUrl, channel: alertmanager.slackChannel });
    for (const c of [...integrations('paging', 'pagerdutyConfigs'), ...integrations('team-lead', 'slackConfigs'), ...integrations('ticket', 'slackConfigs')]) {
      expect(c).not.toHaveProperty('serviceKey');
      expect(c).not.toHaveProperty('url');
    }
    expect(toYaml(configOf(production))).not.toMatch(/hooks\.slack\.com|events\.pagerduty\.com/);
  });

  it('an ExternalSecret provides every key the receivers read (team-lead webhook included)', () => {
    const secret = find(manifestsOf(production), 'ExternalSecret', 'alertmanager-receivers') as unknown as { spec: { data: { secretKey: string }[] } };
    expect(secret.spec.data.map((d) => d.secretKey).sort()).toEqual(['pagerduty-routing-key', 'slack-team-lead-webhook-url', 'slack-webhook-url']);
  });

  it('the Secret names, keys and channels come from the environment', () => {
    const custom = specOf(
      minimalEnvironment({
        monitoring: {
          alertmanager: {
            pagerDutyRoutingKey: { name: 'pd', key: 'rk' },
            teamLeadSlackApiUrl: { name: 'lead', key: 'hook' },
            teamLeadSlackChannel: '#leads',
            slackChannel: '#x',
            levels: { P1: 'paging', P2: 'team-lead' },
          },
        },
      }),
    );
    const text = JSON.stringify(custom.receivers);
    expect(text).toContain('"routingKey":{"key":"rk","name":"pd"}');
    expect(text).toContain('"apiURL":{"key":"hook","name":"lead"},"channel":"#leads"');
    expect(text).toContain('"channel":"#x"');
  });

  describe('per environment', () => {
    it('staging sends every level to the ticket receiver and renders no pager or team-lead receiver (nor asks for their Secrets)', () => {
      const s = specOf(staging);
      for (const level of LEVEL_NAMES) expect(levelRoute(s, level).receiver).toBe('ticket');
      expect(receiverNames(s)).toEqual(['none', 'ticket']);
      const externalSecrets = JSON.stringify(manifestsOf(staging).filter((m) => m.kind === 'ExternalSecret'));
      expect(externalSecrets).not.toContain('pagerduty');
      expect(externalSecrets).not.toContain('team-lead');
    });

    it('production renders the three receivers it uses', () => {
      expect(receiverNames(spec)).toEqual(['none', 'paging', 'team-lead', 'ticket']);
    });

    it('monitoring.alertmanager.levels overrides the tier per level, either way', () => {
      const paged = specOf(minimalEnvironment({ monitoring: { alertmanager: { levels: { P1: 'paging' } } } }));
      expect(LEVEL_NAMES.map((l) => levelRoute(paged, l).receiver)).toEqual(['paging', 'ticket', 'ticket', 'ticket']);
      const quiet = specOf(
        minimalEnvironment({ tier: 'production', image: { repository: 'ghcr.io/ai-odoofinder/api', tag: '1.0.0' }, ingress: { enabled: true, host: 'api.example.com' }, monitoring: { alertmanager: { levels: { P1: 'ticket', P3: 'none' } } } }),
      );
      expect(LEVEL_NAMES.map((l) => levelRoute(quiet, l).receiver)).toEqual(['ticket', 'team-lead', 'none', 'ticket']);
      expect(receiverNames(quiet)).toEqual(['none', 'team-lead', 'ticket']);
      for (const s of [paged, quiet]) expect(crdErrors({ ...configOf(production), spec: s } as never)).toEqual([]);
    });

    it('refuses an unknown receiver, a removed key and impossible business hours with file, key and reason', () => {
      const problems = (alertmanager: object) => {
        const text = `tier: staging\nnamespace: x\nimage: { repository: ghcr.io/ai-odoofinder/api, tag: "1" }\nmonitoring:\n  alertmanager: ${JSON.stringify(alertmanager)}\n`;
        const result = parseEnvironment('config/environments/x.yaml', text);
        return 'problems' in result ? result.problems.map((p) => `${p.file}:${p.line} ${p.key}: ${p.message}`) : [];
      };
      expect(problems({ levels: { P2: 'pagerduty' } })).toEqual([`config/environments/x.yaml:5 monitoring.alertmanager.levels.P2: must be one of: ${RECEIVER_CHOICES.join(', ')}`]);
      expect(problems({ levels: { P5: 'ticket' } })).toEqual([expect.stringContaining('monitoring.alertmanager.levels.P5: unknown key (allowed here: P1, P2, P3, P4)')]);
      expect(problems({ pageOnCritical: true })).toEqual([expect.stringContaining('monitoring.alertmanager.pageOnCritical: unknown key')]);
      expect(problems({ businessHours: { start: '17:00', end: '09:00' } })).toEqual([
        expect.stringMatching(/monitoring\.alertmanager\.businessHours\.start: is 17:00, not before end \(09:00\); Alertmanager refuses/),
      ]);
      expect(problems({ businessHours: { weekdays: ['friday:monday'] } })).toEqual([expect.stringContaining('monitoring.alertmanager.businessHours.weekdays.0: "friday:monday" runs backwards')]);
      expect(problems({ businessHours: { start: '9:00' } })).toEqual([expect.stringContaining('monitoring.alertmanager.businessHours.start: "9:00" is not valid')]);
    });
  });
});
