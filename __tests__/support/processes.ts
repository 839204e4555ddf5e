import { ChildProcess, spawn } from 'child_process';
import * as net from 'net';

/**
 * Processes tests start (real Prometheus and Alertmanager, the e2e
 * simulators): each is stopped by its PID by whoever started it (`stop`, or
 * `stopAll` in an afterAll, also after a failure). Every wait is bounded.
 */
export interface Started {
  readonly name: string;
  readonly pid: number;
  /** Everything it printed (stdout and stderr), for error messages. */
  output(): string;
  /** Still running? */
  alive(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
  /** Resolves with the exit code when it exits by itself. */
  readonly exited: Promise<number | null>;
}

const running = new Set<Started>();

/** Starts a program; stdin stays open (a closed stdin tells our simulators their parent is gone). */
export function start(name: string, command: string, args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Started {
  const child: ChildProcess = spawn(command, [...args], { cwd: options.cwd, env: options.env ? { ...process.env, ...options.env } : undefined, stdio: ['pipe', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stopping: Promise<void> | undefined;
  const started: Started = {
    name,
    pid: child.pid,
    output: () => out,
    alive: () => child.exitCode === null && child.signalCode === null,
    exited,
    stop(graceMs = 5_000) {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          process.kill(child.pid!, 'SIGTERM');
          const timer = setTimeout(() => child.exitCode === null && child.signalCode === null && process.kill(child.pid!, 'SIGKILL'), graceMs);
          await exited;
          clearTimeout(timer);
        }
        child.stdin?.destroy();
        running.delete(started);
      })();
      return stopping;
    },
  };
  running.add(started);
  return started;
}

/** Stops every process this test file started and has not stopped yet. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop()));
}

/** A port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` every `intervalMs` until it returns a value other than undefined; throws after `timeoutMs`,
 * or as soon as `signal` is aborted (the caller gave up: no poll may outlive it and keep jest from exiting).
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 250, signal?: AbortSignal): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (let i = 0; Date.now() < deadline && i < 100_000; i++) {
    if (signal?.aborted) throw new Error(`stopped waiting for ${what}`);
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
}

/** The first line a process prints on stdout, parsed as JSON (our simulators print their port so). */
export async function firstJsonLine<T>(p: Started, timeoutMs = 15_000): Promise<T> {
  return waitFor(`${p.name} to print its port`, async () => {
    const line = p.output().split('\n').find((l) => l.startsWith('{'));
    return line ? (JSON.parse(line) as T) : undefined;
  }, timeoutMs, 50);
}

/** GET or POST with a timeout; throws on a non-2xx status other than those of `acceptStatus` (an API's error answers). */
export async function http(url: string, init: { method?: string; body?: string; headers?: Record<string, string>; timeoutMs?: number; acceptStatus?: readonly number[] } = {}): Promise<string> {
  const response = await fetch(url, { method: init.method ?? 'GET', body: init.body, headers: init.headers, signal: AbortSignal.timeout(init.timeoutMs ?? 5_000) });
  const text = await response.text();
  if (!response.ok && !init.acceptStatus?.includes(response.status)) throw new Error(`${init.method ?? 'GET'} ${url}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return text;
}

/**
 * Starts a server and waits (at most `timeoutMs`) until `readyUrl` answers.
 * When it exits first or does not get ready, it is stopped and the error carries its output.
 */
export async function startServer(name: string, command: string, args: readonly string[], readyUrl: string, timeoutMs = 30_000): Promise<Started> {
  const p = start(name, command, args);
  const exited = p.exited.then((code) => {
    throw new Error(`${name} exited (${code}) at start:\n${p.output()}`);
  });
  // When the server exits first, the race is over but the poll would go on until its timeout.
  const polling = new AbortController();
  const ready = waitFor(`${name} to be ready`, async () => ((await http(readyUrl)) ? true : undefined), timeoutMs, 100, polling.signal);
  try {
    await Promise.race([ready, exited]);
  } catch (e) {
    await p.stop();
    throw e;
  } finally {
    polling.abort();
    ready.catch(() => undefined);
  }
  return p;
}
