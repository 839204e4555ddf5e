import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/**
 * A real Prometheus (the Debian `prometheus` package) over a fixed set of
 * samples, for tests that must see what a query really returns. The samples
 * are backfilled with `promtool tsdb create-blocks-from openmetrics`, then
 * Prometheus starts on 127.0.0.1, on a free port, with that data and no
 * scrape jobs. Queries go through its HTTP API, as Argo Rollouts' Prometheus
 * provider sends them.
 */

/** One series: `name{labels}` and one value per minute from `start`. */
export interface Samples {
  readonly series: string;
  readonly values: readonly number[];
}

export interface RunningPrometheus {
  /** Base URL, e.g. `http://127.0.0.1:39123`. */
  readonly url: string;
  /** Unix seconds of the first sample (minute 0). */
  readonly start: number;
  /** An instant query at `start + minute` minutes: the result values, NaN and ±Inf included. */
  query(expr: string, minute: number): Promise<{ resultType: string; values: number[] }>;
  /** Stops the server (by its PID) and removes its data. */
  stop(): void;
}

const READY_TRIES = 100;
const READY_WAIT_MS = 100;

/** Backfills the samples and starts Prometheus on them. Call `stop()` in afterAll. */
export async function startPrometheus(samples: readonly Samples[]): Promise<RunningPrometheus> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prometheus-'));
  // Two hours back, on a minute: inside the default retention, and before "now" as the TSDB expects of backfilled blocks.
  const start = Math.floor(Date.now() / 1000 / 60) * 60 - 2 * 3600;
  const input = path.join(dir, 'samples.om');
  fs.writeFileSync(input, openMetrics(samples, start));
  const data = path.join(dir, 'data');
  const backfill = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', input, data], { encoding: 'utf8', timeout: 60_000 });
  if (backfill.status !== 0) throw new Error(`promtool tsdb create-blocks-from failed:\n${backfill.stdout}${backfill.stderr}`);
  fs.writeFileSync(path.join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1m\n');
  const port = await freePort();
  const log = fs.openSync(path.join(dir, 'prometheus.log'), 'w');
  const child: ChildProcess = spawn(
    'prometheus',
    [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${data}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', log, log] },
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = () => {
    if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGTERM');
    fs.closeSync(log);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(url, child, dir);
  } catch (e) {
    stop();
    throw e;
  }
  return {
    url,
    start,
    stop,
    query: async (expr, minute) => {
      const params = new URLSearchParams({ query: expr, time: String(start + minute * 60) });
      const body = JSON.parse(await get(`${url}/api/v1/query?${params}`)) as { status: string; error?: string; data: { resultType: string; result: unknown } };
      if (body.status !== 'success') throw new Error(`query failed: ${body.error}\n${expr}`);
      const { resultType, result } = body.data;
      if (resultType === 'scalar') return { resultType, values: [Number((result as [number, string])[1])] };
      if (resultType === 'vector') return { resultType, values: (result as { value: [number, string] }[]).map((s) => parseValue(s.value[1])) };
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
export function openMetrics(samples: readonly Samples[], start: number): string {
  const family = (s: Samples) => s.series.replace(/\{.*$/, '');
  const sorted = [...samples].sort((a, b) => (family(a) < family(b) ? -1 : family(a) > family(b) ? 1 : 0));
  const lines = sorted.flatMap((s) => s.values.map((v, i) => `${s.series} ${v} ${start + i * 60}`));
  return `${lines.join('\n')}\n# EOF\n`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitReady(url: string, child: ChildProcess, dir: string): Promise<void> {
  for (let i = 0; i < READY_TRIES; i++) {
    if (child.exitCode !== null) break;
    try {
      await get(`${url}/-/ready`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, READY_WAIT_MS));
    }
  }
  const log = fs.existsSync(path.join(dir, 'prometheus.log')) ? fs.readFileSync(path.join(dir, 'prometheus.log'), 'utf8') : '';
  throw new Error(`Prometheus did not become ready at ${url} within ${(READY_TRIES * READY_WAIT_MS) / 1000}s:\n${log.slice(-2000)}`);
}

function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => (res.statusCode === 200 || res.statusCode === 400 || res.statusCode === 422 ? resolve(body) : reject(new Error(`GET ${url}: ${res.statusCode}`))));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: timeout`)));
    req.on('error', reject);
  });
}
