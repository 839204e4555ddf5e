import { AlertRouting, AlertRoutingProps } from '../../../lib/monitoring/alert-routing';
import { at, expectPropsError, only, synthConstruct, WORKLOAD } from '../../support/constructs';

const props: AlertRoutingProps = {
  metadata: WORKLOAD.metadata,
  namespace: 'shop',
  levels: { P1: 'paging', P2: 'team-lead', P3: 'ticket', P4: 'none' },
  pagerDutyRoutingKey: { name: 'pagerduty', key: 'routing-key' },
  teamLead: { apiUrl: { name: 'slack', key: 'lead' }, channel: '#leads' },
  ticket: { apiUrl: { name: 'slack', key: 'tickets' }, channel: '#tickets' },
  businessHours: { weekdays: ['monday:friday'], start: '09:00', end: '17:00' },
};
const render = (p: Partial<AlertRoutingProps> = {}) => only(synthConstruct((chart) => new AlertRouting(chart, 'Routing', { ...props, ...p })), 'AlertmanagerConfig');

describe('AlertRouting', () => {
  const config = render();

  it('renders one AlertmanagerConfig', () => {
    expect(config).toMatchSnapshot();
  });

  it('routes each level to its receiver and renders only the receivers some level uses', () => {
    const routes = at(config, 'spec', 'route', 'routes');
    for (const [level, receiver] of Object.entries(props.levels)) {
      expect(routes).toContainEqual(expect.objectContaining({ receiver, matchers: [{ name: 'level', value: level, matchType: '=' }] }));
    }
    expect(at(config, 'spec', 'receivers').map((r: { name: string }) => r.name)).toEqual(['paging', 'team-lead', 'ticket', 'none']);
    const ticketsOnly = render({ levels: { P1: 'ticket', P2: 'ticket', P3: 'ticket', P4: 'ticket' } });
    expect(at(ticketsOnly, 'spec', 'receivers').map((r: { name: string }) => r.name)).toEqual(['ticket', 'none']);
  });

  it('matches only its own namespace on the top route, whatever matcher strategy the operator runs', () => {
    expect(at(config, 'spec', 'route', 'matchers')).toEqual([{ name: 'namespace', value: 'shop', matchType: '=' }]);
  });

  it('has one inhibit rule: a critical alert mutes the warnings of its own problem', () => {
    expect(at(config, 'spec', 'inhibitRules')).toHaveLength(1);
    expect(at(config, 'spec', 'inhibitRules', 0, 'equal')).toEqual(['problem', 'namespace']);
  });

  it('sends superseded alerts of other rules to none, before the level="" routes that would take them by severity', () => {
    const routes = at(render({ superseded: [{ alertname: 'KubeHpaMaxedOut', labels: { horizontalpodautoscaler: 'api' } }, { alertname: 'KubePodNotReady', regex: { pod: 'api-.+' } }] }), 'spec', 'route', 'routes');
    const receivers = routes.map((r: { receiver: string; matchers: Array<{ name: string; value: string }> }) => `${r.receiver} ${r.matchers.map((m) => `${m.name}${JSON.stringify(m.value)}`).join(',')}`);
    expect(receivers.slice(4)).toEqual([
      'none alertname"KubeHpaMaxedOut",level"",horizontalpodautoscaler"api"',
      'none alertname"KubePodNotReady",level"",pod"api-.+"',
      'team-lead level"",severity"critical"',
      'ticket level"",severity"warning"',
    ]);
    expect(routes[5].matchers[2]).toEqual({ name: 'pod', value: 'api-.+', matchType: '=~' });
    expect(at(config, 'spec', 'route', 'routes')).toHaveLength(6);
  });

  it('refuses business hours Alertmanager would refuse and unknown receivers, whatever calls it', () => {
    expect(() => render({ businessHours: { ...props.businessHours, end: '09:00' } })).toThrow('AlertRouting "demo": businessHours.start is 09:00, not before end (09:00)');
    expect(() => render({ levels: { ...props.levels, P2: 'pager' as never } })).toThrow('AlertRouting "demo": levels.P2 goes to unknown receiver "pager"');
    expectPropsError(() => render({ metadata: { name: 'Demo' } }), 'AlertRouting', 'metadata.name');
    expect(() => render({ namespace: 'Shop' })).toThrow('AlertRouting "demo": namespace is "Shop", not a namespace name');
    expect(() => render({ superseded: [{ alertname: 'KubePodNotReady' }] })).toThrow('AlertRouting "demo": superseded.0 (KubePodNotReady) names no label: it would silence that alert for every object of the namespace');
    expect(() => render({ superseded: [{ alertname: 'a b', labels: { pod: 'x' } }] })).toThrow('AlertRouting "demo": superseded.0.alertname is "a b", not an alert name');
  });
});
