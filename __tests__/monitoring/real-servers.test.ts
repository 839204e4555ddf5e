import { Alertmanager } from '../support/alertmanager';
import { Prometheus } from '../support/prometheus';
import { findTool, missingToolMessage } from '../support/tools';

/* The shared helpers that start a real Prometheus and Alertmanager (npm run e2e, canary, inhibition): a server that cannot start is reported with its own words. */

const prometheus = findTool('prometheus');
const alertmanager = findTool('alertmanager');
if (!prometheus) console.warn(`real-servers.test: ${missingToolMessage('prometheus')}`);
if (!alertmanager) console.warn(`real-servers.test: ${missingToolMessage('alertmanager')}`);

(prometheus ? test : test.skip)('a Prometheus whose configuration it refuses: the start fails with its exit and its message', async () => {
  await expect(Prometheus.start({ global: { scrape_interval: 'soon' } })).rejects.toThrow(/prometheus exited \(\d+\) at start:[\s\S]*soon/);
});

(alertmanager ? test : test.skip)('an Alertmanager whose configuration it refuses: the same', async () => {
  await expect(Alertmanager.start({ route: { receiver: 'nobody' }, receivers: [] })).rejects.toThrow(/alertmanager exited \(\d+\) at start:[\s\S]*nobody/);
});
