import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { AddressInfo } from 'net';
import { toYaml } from '../../../lib/synth/render';
import { findTool } from '../../support/tools';
import { freePort, http as request, start, Started, waitFor } from './processes';

/** A running Alertmanager (Debian's prometheus-alertmanager 0.25), clustering off, on 127.0.0.1. */
export class Alertmanager {
  private constructor(
    readonly address: string,
    readonly process: Started,
  ) {}

  static async start(dir: string, config: object): Promise<Alertmanager> {
    const binary = findTool('alertmanager');
    if (!binary) throw new Error('prometheus-alertmanager is missing');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'alertmanager.yml');
    fs.writeFileSync(file, toYaml(config));
    const port = await freePort();
    const p = start('alertmanager', binary, [
      `--config.file=${file}`,
      `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ]);
    const am = new Alertmanager(`127.0.0.1:${port}`, p);
    const exited = p.exited.then((code) => {
      throw new Error(`alertmanager exited (${code}) at start:\n${p.output()}`);
    });
    await Promise.race([waitFor('alertmanager to be ready', async () => ((await request(`http://${am.address}/-/ready`)) ? true : undefined), 30_000), exited]);
    return am;
  }

  /** Every alert it holds, with its state: `suppressed` with `inhibitedBy` when an inhibit rule mutes it. */
  async alerts(): Promise<AlertmanagerAlert[]> {
    return JSON.parse(await request(`http://${this.address}/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true`, { timeoutMs: 10_000 }));
  }

  stop(): Promise<void> {
    return this.process.stop();
  }
}

export interface AlertmanagerAlert {
  labels: Record<string, string>;
  status: { state: 'active' | 'suppressed' | 'unprocessed'; inhibitedBy: string[]; silencedBy: string[] };
  fingerprint: string;
}

/** One notification an integration sent. */
export interface Notification {
  readonly at: number;
  readonly path: string;
  readonly body: Record<string, unknown>;
}

/**
 * The PagerDuty Events API and Slack webhooks, stood in for on 127.0.0.1: it
 * records what Alertmanager posts and answers as they do (PagerDuty 202, Slack 200 "ok").
 */
export class WebhookRecorder {
  readonly notifications: Notification[] = [];
  private server?: http.Server;
  url = '';

  async listen(): Promise<string> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        try {
          this.notifications.push({ at: Date.now(), path: req.url ?? '', body: JSON.parse(body) });
        } catch {
          this.notifications.push({ at: Date.now(), path: req.url ?? '', body: { unparsed: body } });
        }
        if (req.url?.startsWith('/pagerduty')) res.writeHead(202, { 'Content-Type': 'application/json' }).end('{"status":"success","message":"Event processed"}');
        else res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? (this.server.closeAllConnections(), this.server.close(() => resolve())) : resolve()));
  }
}

export { freePort };
