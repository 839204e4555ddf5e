import * as http from 'http';
import { AddressInfo } from 'net';

/** What the datastore exporters report; faults change it. */
export interface DatastoreState {
  pgUp: number;
  connections: number;
  maxConnections: number;
  redisUp: number;
  memoryUsed: number;
  memoryMax: number;
  /** Keys evicted per second (the counter grows by it). */
  evictionsPerSecond: number;
  /** Seconds since the epoch of the last successful backup (kube-state-metrics' CronJob status), or undefined: never. */
  lastBackup?: number;
}

/** One simulated exporter pod: an HTTP server on 127.0.0.1 serving its /metrics, which can be stopped like a pod. */
class ExporterPod {
  private server?: http.Server;
  address = '';

  constructor(private readonly body: () => string) {}

  async listen(): Promise<string> {
    this.server = http.createServer((req, res) => {
      if (req.url !== '/metrics') res.writeHead(404).end();
      else res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(this.body());
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.address = `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.address;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server?.listening ? (this.server.closeAllConnections(), this.server.close(() => resolve())) : resolve()));
  }
}

/**
 * postgres_exporter and redis_exporter, simulated: the series our datastore
 * alerts and panels read, named and labelled as postgres_exporter 0.15
 * (pg_up, pg_stat_activity_count{datname,state}, pg_settings_max_connections)
 * and redis_exporter 1.62 (exporter/exporter.go metric maps) export them.
 */
export class DatastoreSimulator {
  readonly state: DatastoreState;
  private evicted = 0;
  private lastTick = Date.now();
  readonly postgresql = new ExporterPod(() => this.postgresMetrics());
  readonly redis = new ExporterPod(() => this.redisMetrics());

  constructor(database: string) {
    this.database = database;
    this.state = { pgUp: 1, connections: 12, maxConnections: 100, redisUp: 1, memoryUsed: 60_000_000, memoryMax: 209_715_200, evictionsPerSecond: 0, lastBackup: Date.now() / 1000 - 5 * 3600 };
  }

  private readonly database: string;

  async listen(): Promise<void> {
    await Promise.all([this.postgresql.listen(), this.redis.listen()]);
  }

  async close(): Promise<void> {
    await Promise.all([this.postgresql.stop(), this.redis.stop()]);
  }

  private postgresMetrics(): string {
    const s = this.state;
    const lines = ['# TYPE pg_up gauge', `pg_up ${s.pgUp}`];
    if (s.pgUp) {
      const active = Math.round(s.connections / 3);
      lines.push(
        '# TYPE pg_stat_activity_count gauge',
        `pg_stat_activity_count{datname="${this.database}",state="active"} ${active}`,
        `pg_stat_activity_count{datname="${this.database}",state="idle"} ${s.connections - active}`,
        '# TYPE pg_settings_max_connections gauge',
        `pg_settings_max_connections{server="postgresql:5432"} ${s.maxConnections}`,
      );
    }
    return `${lines.join('\n')}\n`;
  }

  private redisMetrics(): string {
    const s = this.state;
    const now = Date.now();
    this.evicted += (s.evictionsPerSecond * (now - this.lastTick)) / 1000;
    this.lastTick = now;
    const lines = ['# TYPE redis_up gauge', `redis_up ${s.redisUp}`];
    if (s.redisUp) {
      lines.push(
        '# TYPE redis_memory_used_bytes gauge',
        `redis_memory_used_bytes ${s.memoryUsed}`,
        '# TYPE redis_memory_max_bytes gauge',
        `redis_memory_max_bytes ${s.memoryMax}`,
        '# TYPE redis_evicted_keys_total counter',
        `redis_evicted_keys_total ${Math.floor(this.evicted)}`,
        '# TYPE redis_connected_clients gauge',
        `redis_connected_clients 7`,
      );
    }
    return `${lines.join('\n')}\n`;
  }

  /** kube-state-metrics' series of the backup CronJob (kube_cronjob_created, kube_cronjob_status_last_successful_time). */
  cronJobMetrics(namespace: string, cronJob: string): string {
    const labels = `namespace="${namespace}",cronjob="${cronJob}"`;
    const created = Date.now() / 1000 - 30 * 86400;
    return [
      '# TYPE kube_cronjob_created gauge',
      `kube_cronjob_created{${labels}} ${created.toFixed(0)}`,
      ...(this.state.lastBackup !== undefined ? ['# TYPE kube_cronjob_status_last_successful_time gauge', `kube_cronjob_status_last_successful_time{${labels}} ${this.state.lastBackup.toFixed(0)}`] : []),
      '',
    ].join('\n');
  }
}
