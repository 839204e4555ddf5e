import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { AddressInfo } from 'net';
import { Alertmanager } from '../support/alertmanager';
import { freePort, isAddressInUse, listensOn, onFreePort, sleep, startServer } from '../support/processes';
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

/** A port held by a plain listener of this test, answering every request with 200 (as another Prometheus on it would). */
async function heldPort(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer((_request, response) => response.writeHead(200).end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('a port another process took between the look and the bind (CI lost a run to it)', () => {
  test('freePort never hands out the same port twice in one process', async () => {
    const ports = await Promise.all(Array.from({ length: 40 }, () => freePort()));
    expect(new Set(ports).size).toBe(40);
  });

  test('listensOn tells our listener from another process\'s', async () => {
    const held = await heldPort();
    try {
      if (listensOn(process.pid, held.port) === undefined) return; // no /proc here
      expect(listensOn(process.pid, held.port)).toBe(true);
      expect(listensOn(process.pid, await freePort())).toBe(false);
      expect(listensOn(1, held.port)).toBe(false);
    } finally {
      await held.close();
    }
  });

  test('onFreePort tries again on a new port after "address already in use", and only then', async () => {
    const tried: number[] = [];
    const ports = [101, 102, 103];
    const started = await onFreePort(async (port) => {
      tried.push(port);
      if (port < 103) throw new Error(`listen tcp 127.0.0.1:${port}: bind: address already in use`);
      return port;
    }, { pick: async () => ports.shift()! });
    expect([started, tried]).toEqual([103, [101, 102, 103]]);
    await expect(onFreePort(async () => Promise.reject(new Error('bad config')), { pick: async () => 1 })).rejects.toThrow('bad config');
    let calls = 0;
    await expect(onFreePort(async () => Promise.reject(new Error(`EADDRINUSE: address already in use (${++calls})`)), { attempts: 3, pick: async () => 1 })).rejects.toThrow('(3)');
  });

  (prometheus ? test : test.skip)('Prometheus on a taken port: not "ready" because the other server answers, restarted on a free port', async () => {
    const held = await heldPort();
    try {
      const binary = prometheus!;
      // Its own words on a taken port are what onFreePort looks for.
      // A scratch data folder: it exits at the bind, but as root it would create any path it is given first.
      const data = fs.mkdtempSync(path.join(os.tmpdir(), 'prometheus-taken-port-'));
      const refused = await startServer('prometheus', binary, ['--config.file=/dev/null', `--web.listen-address=127.0.0.1:${held.port}`, `--storage.tsdb.path=${data}`], `http://127.0.0.1:${held.port}/-/ready`, 10_000)
        .then(async (wrongly) => void (await wrongly.stop()), (e: Error) => e)
        .finally(() => fs.rmSync(data, { recursive: true, force: true }));
      expect(refused).toBeInstanceOf(Error);
      expect(isAddressInUse(refused)).toBe(true);
      const picks = [held.port];
      const p = await Prometheus.start({ global: { scrape_interval: '1m' } }, { pickPort: async () => picks.shift() ?? freePort() });
      try {
        expect(p.url).not.toContain(`:${held.port}`);
        expect(listensOn(p.process.pid, Number(new URL(p.url).port))).not.toBe(false);
        expect(await p.rules()).toEqual([]);
      } finally {
        await p.stop();
      }
    } finally {
      await held.close();
    }
  });

  (alertmanager ? test : test.skip)('Alertmanager on a taken port: the same', async () => {
    const held = await heldPort();
    try {
      const picks = [held.port];
      const am = await Alertmanager.start({ route: { receiver: 'nobody' }, receivers: [{ name: 'nobody' }] }, { pickPort: async () => picks.shift() ?? freePort() });
      try {
        expect(am.url).not.toContain(`:${held.port}`);
        expect(picks).toEqual([]);
        expect(await am.alerts()).toEqual([]);
      } finally {
        await am.stop();
      }
    } finally {
      await held.close();
    }
  });
});
