import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { toYaml } from '../../lib/yaml/writer';
import { http, onFreePort, Started, startServer } from './processes';
import { findTool, missingToolMessage } from './tools';

/**
 * A real Alertmanager (Debian's prometheus-alertmanager, 0.25) on 127.0.0.1,
 * on a free port, clustering off, and a small client of its API v2. Every
 * test that needs one starts it here (`npm run e2e`, the inhibition and
 * business-hours tests); the test that starts it stops it, by its PID.
 */
export class Alertmanager {
  private constructor(
    /** host:port */
    readonly address: string,
    readonly process: Started,
    private readonly dir: string,
    private readonly removeDir: boolean,
  ) {}

  get url(): string {
    return `http://${this.address}`;
  }

  /**
   * Starts Alertmanager with `config` (alertmanager.yml as an object; its
   * integrations must not reach the network) in `dir` (a new temporary
   * directory, removed by `stop()`, when not given); resolves once `/-/ready` answers.
   */
  static async start(config: object, options: { dir?: string; pickPort?: () => Promise<number> } = {}): Promise<Alertmanager> {
    const binary = findTool('alertmanager');
    if (!binary) throw new Error(missingToolMessage('alertmanager'));
    const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'alertmanager-'));
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'alertmanager.yml');
    fs.writeFileSync(file, toYaml(config));
    try {
      const { address, p } = await onFreePort(async (port) => {
        const at = `127.0.0.1:${port}`;
        const args = [`--config.file=${file}`, `--storage.path=${path.join(dir, 'data')}`, `--web.listen-address=${at}`, '--cluster.listen-address=', '--log.level=warn'];
        return { address: at, p: await startServer('alertmanager', binary, args, `http://${at}/-/ready`) };
      }, { pick: options.pickPort });
      return new Alertmanager(address, p, dir, options.dir === undefined);
    } catch (e) {
      if (options.dir === undefined) fs.rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  /** Sends alerts as Prometheus would (POST /api/v2/alerts). */
  async post(alerts: readonly { labels: Record<string, string> }[]): Promise<void> {
    await http(`${this.url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts), timeoutMs: 10_000 });
  }

  /** Every alert it holds, with its state: `suppressed` with `inhibitedBy` when an inhibit rule mutes it. */
  async alerts(): Promise<AlertmanagerAlert[]> {
    return JSON.parse(await http(`${this.url}/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true`, { timeoutMs: 10_000 }));
  }

  /** Stops the process by its PID; removes its directory when `start` made it. */
  async stop(): Promise<void> {
    await this.process.stop();
    if (this.removeDir) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** An alert as `GET /api/v2/alerts` returns it (the fields the tests read). */
export interface AlertmanagerAlert {
  labels: Record<string, string>;
  status: { state: 'active' | 'suppressed' | 'unprocessed'; inhibitedBy: string[]; silencedBy: string[] };
  fingerprint: string;
}
