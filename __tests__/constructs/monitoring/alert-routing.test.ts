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

  it('refuses business hours Alertmanager would refuse and unknown receivers, whatever calls it', () => {
    expect(() => render({ businessHours: { ...props.businessHours, end: '09:00' } })).toThrow('AlertRouting "demo": businessHours.start is 09:00, not before end (09:00)');
    expect(() => render({ levels: { ...props.levels, P2: 'pager' as never } })).toThrow('AlertRouting "demo": levels.P2 goes to unknown receiver "pager"');
    expectPropsError(() => render({ metadata: { name: 'Demo' } }), 'AlertRouting', 'metadata.name');
    expect(() => render({ namespace: 'Shop' })).toThrow('AlertRouting "demo": namespace is "Shop", not a namespace name');
  });
});
