import { ENVIRONMENTS, loadDistEnvironment } from './support/environment';
import { ApiPod, startApiPod } from './support/simulation';
import { waitFor } from '../support/processes';
import { Prometheus } from '../support/prometheus';
import { serviceMonitorScrapeConfigs, SimulatedPod } from '../support/prometheus-operator/scrape-config';
import { findTool, missingToolMessage } from '../support/tools';

/*
 * The dashboard's `namespace` variable as Grafana fills it, on a real Prometheus
 * scraping the real prometheus_client of an API that has served no search yet
 * (a fresh environment, or staging on a quiet night), while another namespace
 * of the same cluster serves searches. Both environments share one cluster,
 * one Prometheus and one Grafana (dist/argocd: the same destination server).
 *
 * Grafana keeps a variable's saved value only when the variable's query
 * returns it; otherwise it takes the first option, or none when there is none
 * (grafana/scenes packages/scenes/src/variables/variants/MultiValueVariable.ts,
 * getStateUpdateGivenNewOptions and getDefaultSingleState). The query
 * `label_values(search_requests_total{job=...}, namespace)` returned only the
 * busy namespace: the idle environment's dashboard showed the other
 * environment's data under its own title.
 */

const prometheusBinary = findTool('prometheus');
const python = findTool('prometheusClient');
if (!prometheusBinary) console.warn(`dashboard-namespace.e2e: ${missingToolMessage('prometheus')}`);
if (!python) console.warn(`dashboard-namespace.e2e: ${missingToolMessage('prometheusClient')}`);
const run = prometheusBinary && python ? describe : describe.skip;

/** Another namespace of the cluster whose API serves searches. */
const NEIGHBOUR = 'odoo-finder-neighbour';
/** The dashboard's default time range (lib/monitoring/dashboard.ts), the range Grafana asks label values for. */
const RANGE_SECONDS = 6 * 3600;
const POD_NAME = 'ai-odoo-finder-7c9f8d5b4-x2k4z';

/** What Grafana selects for a single-value variable, given its saved value and the options its query returned (see above). */
function grafanaSelection(saved: string, options: readonly string[]): string {
  return options.includes(saved) ? saved : (options[0] ?? '');
}

const environments = ENVIRONMENTS.map((n) => loadDistEnvironment(n));

run('the namespace variable of each dashboard, before its API served a search', () => {
  let idle: ApiPod | undefined;
  let busy: ApiPod | undefined;
  let prometheus: Prometheus | undefined;

  beforeAll(async () => {
    [idle, busy] = await Promise.all([startApiPod('idle', 'idle'), startApiPod('busy', 'healthy')]);
    const pod = (e: (typeof environments)[number], address: string): SimulatedPod[] => [{ name: POD_NAME, labels: e.workload('ai-odoo-finder').labels, container: 'api', address }];
    const apiMonitor = (e: (typeof environments)[number]) => e.serviceMonitors.filter((m) => m.metadata.name === 'ai-odoo-finder');
    const scrapeConfigs = [
      ...environments.flatMap((e) => apiMonitor(e).flatMap((m) => serviceMonitorScrapeConfigs(m, e.env.namespace, e.services, pod(e, idle!.address), '1s'))),
      ...apiMonitor(environments[0]).flatMap((m) => serviceMonitorScrapeConfigs(m, NEIGHBOUR, environments[0].services, pod(environments[0], busy!.address), '1s')),
    ];
    prometheus = await Prometheus.start({ global: { scrape_interval: '1s', scrape_timeout: '1s' }, scrape_configs: scrapeConfigs });
    const ready = async () => {
      const up = await prometheus!.query('count by (namespace) (up == 1)');
      const searches = await prometheus!.query(`count(search_requests_total{namespace="${NEIGHBOUR}"})`);
      return up.result.length === environments.length + 1 && searches.result.length === 1 ? true : undefined;
    };
    // Prometheus applies new targets every 5 s (its scrape manager's reload tick): poll each second.
    await waitFor('every API target scraped and the neighbour serving searches', ready, 30_000, 1000);
    // The idle pod really has no search series: the case this test is about.
    expect((await prometheus.query('count(search_requests_total{namespace!~"' + NEIGHBOUR + '"})')).result).toEqual([]);
  }, 90_000);

  afterAll(async () => {
    await prometheus?.stop();
    await Promise.all([idle?.process.stop(), busy?.process.stop()]);
  });

  it.each(environments.map((e) => [e.name, e] as const))('%s: Grafana keeps the environment namespace selected', async (_, e) => {
    const variable = e.dashboard.templating.list.find((v) => v.name === 'namespace') as unknown as { query: { query: string }; current: { value: string } };
    const selector = /^label_values\((.+), namespace\)$/.exec(variable.query.query)?.[1];
    expect(selector).toBeDefined();
    // What Grafana's Prometheus data source asks for label_values(selector, namespace). Asked again for up to 10 s
    // (a loaded CI machine once answered [] right after the readiness check above); the old query never lists the idle namespace.
    const labelValues = () => {
      const now = Math.floor(Date.now() / 1000);
      return prometheus!.api<string[]>('label/namespace/values', { 'match[]': selector!, start: String(now - RANGE_SECONDS), end: String(now) });
    };
    let options: string[] = [];
    await waitFor(`${e.env.namespace} among the namespace options`, async () => ((options = await labelValues()).includes(e.env.namespace) ? true : undefined), 10_000, 500).catch(() => undefined);
    expect({ query: variable.query.query, options, selected: grafanaSelection(variable.current.value, options) }).toMatchObject({ selected: e.env.namespace });
  });
});
