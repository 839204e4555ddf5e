import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { toYaml } from '../../../lib/synth/render';
import { AlertmanagerYml } from './alertmanager';

/** A real Alertmanager 0.25 on 127.0.0.1, started by a test and stopped by the same test by its PID. */
export interface RunningAlertmanager {
  readonly url: string;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s) and removes its files. */
  stop(): Promise<void>;
}

/** An alert as `GET /api/v2/alerts` returns it (the fields the tests read). */
export interface ApiAlert {
  labels: Record<string, string>;
  fingerprint: string;
  status: { state: string; inhibitedBy: string[]; silencedBy: string[] };
}

const STARTUP_TIMEOUT_MS = 20_000;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Starts `command` (prometheus-alertmanager) with `config`, listening on a
 * free port of 127.0.0.1, clustering off, storage in a temporary directory;
 * resolves once `/-/ready` answers. The config must have no integrations that
 * reach the network.
 */
export async function startAlertmanager(command: string, config: AlertmanagerYml): Promise<RunningAlertmanager> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alertmanager-'));
  const file = path.join(dir, 'alertmanager.yml');
  fs.writeFileSync(file, toYaml(config));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    command,
    [`--config.file=${file}`, `--storage.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=warn'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    if (child.exitCode === null && child.pid !== undefined) {
      process.kill(child.pid, 'SIGTERM');
      const timer = setTimeout(() => child.exitCode === null && child.pid !== undefined && process.kill(child.pid, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return { url, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`Alertmanager did not become ready within ${STARTUP_TIMEOUT_MS} ms (exit code ${child.exitCode}):\n${stderr}`);
}

export async function postAlerts(am: RunningAlertmanager, alerts: { labels: Record<string, string> }[]): Promise<void> {
  const response = await fetch(`${am.url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
  if (!response.ok) throw new Error(`POST /api/v2/alerts: ${response.status} ${await response.text()}`);
}

export async function getAlerts(am: RunningAlertmanager): Promise<ApiAlert[]> {
  const response = await fetch(`${am.url}/api/v2/alerts`);
  if (!response.ok) throw new Error(`GET /api/v2/alerts: ${response.status} ${await response.text()}`);
  return (await response.json()) as ApiAlert[];
}
