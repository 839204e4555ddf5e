import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { toYaml } from '../../lib/yaml/writer';
import { http, onFreePort, Started, startServer } from './processes';
import { findTool, missingToolMessage } from './tools';

/**
 * A real Prometheus (the Debian `prometheus` package, 2.42) on 127.0.0.1, on a
 * free port, and a small client of its HTTP API. Every test that needs one
 * starts it here: `npm run e2e` with scrape jobs and rules, the canary tests
 * over backfilled samples (`startPrometheus`). The test that starts it stops
 * it, by its PID.
 */
export class Prometheus {
  private constructor(
    readonly url: string,
    readonly process: Started,
    private readonly dir: string,
    private readonly removeDir: boolean,
  ) {}

  /**
   * Starts Prometheus with `config` (prometheus.yml as an object) in `dir`
   * (a new temporary directory, removed by `stop()`, when not given).
   * `rules`: rule groups, written to a rule file that the config loads.
   * `storage`: an existing TSDB directory (backfilled data), else `dir/data`.
   * `pickPort`: where the port comes from (default `freePort`; tests of the retry give a taken one).
   */
  static async start(config: Record<string, unknown>, options: { dir?: string; rules?: readonly unknown[]; storage?: string; pickPort?: () => Promise<number> } = {}): Promise<Prometheus> {
    const binary = findTool('prometheus');
    if (!binary) throw new Error(missingToolMessage('prometheus'));
    const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'prometheus-'));
    fs.mkdirSync(dir, { recursive: true });
    let full = config;
    if (options.rules) {
      const rules = path.join(dir, 'rules.yml');
      fs.writeFileSync(rules, toYaml({ groups: options.rules }));
      full = { ...config, rule_files: [rules] };
    }
    fs.writeFileSync(path.join(dir, 'prometheus.yml'), toYaml(full));
    try {
      const { url, p } = await onFreePort(async (port) => {
        const args = [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${options.storage ?? path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'];
        return { url: `http://127.0.0.1:${port}`, p: await startServer('prometheus', binary, args, `http://127.0.0.1:${port}/-/ready`) };
      }, { pick: options.pickPort });
      return new Prometheus(url, p, dir, options.dir === undefined);
    } catch (e) {
      if (options.dir === undefined) fs.rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  async api<T>(apiPath: string, params: Record<string, string> = {}): Promise<T> {
    const body = await http(`${this.url}/api/v1/${apiPath}?${new URLSearchParams(params)}`, { timeoutMs: 10_000, acceptStatus: [400, 422] });
    const parsed = JSON.parse(body) as { status: string; data: T; error?: string };
    if (parsed.status !== 'success') throw new Error(`${apiPath}: ${parsed.error}${params.query ? `\n${params.query}` : ''}`);
    return parsed.data;
  }

  /** An instant query, now or at `timeSec` (Unix seconds). A scalar's `result` is one `[time, value]` pair instead of a list. */
  query(expr: string, timeSec?: number): Promise<{ resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] }> {
    return this.api('query', { query: expr, ...(timeSec === undefined ? {} : { time: String(timeSec) }) });
  }

  queryRange(expr: string, startSec: number, endSec: number, step: string): Promise<{ result: { metric: Record<string, string>; values: [number, string][] }[] }> {
    return this.api('query_range', { query: expr, start: String(startSec), end: String(endSec), step });
  }

  async alerts(): Promise<PrometheusAlert[]> {
    return (await this.api<{ alerts: PrometheusAlert[] }>('alerts')).alerts;
  }

  async rules(): Promise<RuleGroupStatus[]> {
    return (await this.api<{ groups: RuleGroupStatus[] }>('rules')).groups;
  }

  async targets(): Promise<{ labels: Record<string, string>; health: string; scrapeUrl: string; lastError: string }[]> {
    return (await this.api<{ activeTargets: { labels: Record<string, string>; health: string; scrapeUrl: string; lastError: string }[] }>('targets')).activeTargets;
  }

  /** Stops the process by its PID; removes its directory when `start` made it. */
  async stop(): Promise<void> {
    await this.process.stop();
    if (this.removeDir) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface PrometheusAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
  activeAt: string;
  value: string;
}

export interface RuleGroupStatus {
  name: string;
  file: string;
  rules: { name: string; query: string; type: 'alerting' | 'recording'; health: string; lastError?: string; duration?: number; labels?: Record<string, string> }[];
}

/** One series: `name{labels}` and one value per minute from `start`. */
export interface Samples {
  readonly series: string;
  readonly values: readonly number[];
}

/** A Prometheus over a fixed set of samples, with no scrape jobs: for tests that must see what a query really returns. */
export interface RunningPrometheus {
  readonly url: string;
  /** Unix seconds of the first sample (minute 0). */
  readonly start: number;
  /** An instant query at `start + minute` minutes: the result values, NaN and ±Inf included. */
  query(expr: string, minute: number): Promise<{ resultType: string; values: number[] }>;
  /** Stops the server (by its PID) and removes its data. */
  stop(): Promise<void>;
}

/**
 * Backfills the samples with `promtool tsdb create-blocks-from openmetrics`,
 * then starts Prometheus on that data. Queries go through its HTTP API, as
 * Argo Rollouts' Prometheus provider sends them. Call `stop()` in afterAll.
 */
export async function startPrometheus(samples: readonly Samples[]): Promise<RunningPrometheus> {
  const promtool = findTool('promtool');
  if (!promtool) throw new Error(missingToolMessage('promtool'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prometheus-'));
  // Two hours back, on a minute: inside the default retention, and before "now" as the TSDB expects of backfilled blocks.
  const start = Math.floor(Date.now() / 1000 / 60) * 60 - 2 * 3600;
  const input = path.join(dir, 'samples.om');
  fs.writeFileSync(input, openMetrics(samples, start));
  const data = path.join(dir, 'data');
  const backfill = spawnSync(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', input, data], { encoding: 'utf8', timeout: 60_000 });
  let prometheus: Prometheus;
  try {
    if (backfill.status !== 0) throw new Error(`promtool tsdb create-blocks-from failed:\n${backfill.stdout}${backfill.stderr}`);
    prometheus = await Prometheus.start({ global: { scrape_interval: '1m' } }, { dir, storage: data });
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    url: prometheus.url,
    start,
    stop: async () => {
      await prometheus.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
    query: async (expr, minute) => {
      const { resultType, result } = await prometheus.query(expr, start + minute * 60);
      if (resultType === 'scalar') return { resultType, values: [Number((result as unknown as [number, string])[1])] };
      if (resultType === 'vector') return { resultType, values: result.map((s) => parseValue(s.value[1])) };
      throw new Error(`unexpected result type ${resultType}`);
    },
  };
}

/** Go's float formatting in the API: "NaN", "+Inf", "-Inf" or a number. */
function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text); // "NaN" → NaN
}

/** The samples as OpenMetrics text with timestamps (seconds), one series after the other, families kept together. */
function openMetrics(samples: readonly Samples[], start: number): string {
  const family = (s: Samples) => s.series.replace(/\{.*$/, '');
  const sorted = [...samples].sort((a, b) => (family(a) < family(b) ? -1 : family(a) > family(b) ? 1 : 0));
  const lines = sorted.flatMap((s) => s.values.map((v, i) => `${s.series} ${v} ${start + i * 60}`));
  return `${lines.join('\n')}\n# EOF\n`;
}
