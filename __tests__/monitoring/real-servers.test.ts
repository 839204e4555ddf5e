import * as http from 'http';
import { AddressInfo } from 'net';
import { Alertmanager } from '../support/alertmanager';
import { sleep, startServer } from '../support/processes';
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

test('a server that exits at start leaves no readiness poll behind (it kept jest from exiting for 30 s)', async () => {
  let polls = 0;
  const server = http.createServer((_request, response) => {
    polls++;
    response.writeHead(503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    // Exits once the poll has asked a few times.
    const script = 'setTimeout(() => process.exit(3), 400)';
    await expect(startServer('quitter', process.execPath, ['-e', script], `http://127.0.0.1:${port}/-/ready`)).rejects.toThrow(/quitter exited \(3\) at start/);
    expect(polls).toBeGreaterThan(0);
    const atExit = polls;
    await sleep(500);
    expect(polls - atExit).toBeLessThanOrEqual(1);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
