import * as http from 'http';
import { AddressInfo } from 'net';

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

