import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
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

export interface StartOptions {
  cwd?: string;
  /** Added to this process's environment. */
  env?: Record<string, string>;
  /** stdout to /dev/null: Node's pipes are sockets, which nginx cannot `open("/dev/stdout")` (ENXIO). */
  ignoreStdout?: boolean;
}

/** Starts a program; stdin stays open (a closed stdin tells our simulators their parent is gone). */
export function start(name: string, command: string, args: readonly string[], options: StartOptions = {}): Started {
  const child: ChildProcess = spawn(command, [...args], { cwd: options.cwd, env: options.env ? { ...process.env, ...options.env } : undefined, stdio: ['pipe', options.ignoreStdout ? 'ignore' : 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
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

// Ports this process has handed out: the kernel may give the same free port to two
// looks in a row, and two servers started side by side must not both be told it.
const handedOut = new Set<number>();

/** A port that was free on 127.0.0.1 a moment ago, and not handed out before by this process. */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port: p } = server.address() as net.AddressInfo;
        server.close(() => resolve(p));
      });
    });
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('no free port on 127.0.0.1 that was not handed out already (50 looks)');
}

/** The bind failure of Go (Prometheus, Alertmanager), nginx, Redis and Node: another process has the port. */
export const isAddressInUse = (error: unknown): boolean => /address already in use/i.test(error instanceof Error ? error.message : String(error));

/**
 * Starts a server on a free port. Between the look (`freePort`) and the server's own bind,
 * another process (another test file, an outgoing connection) may take the port: then the
 * start fails with "address already in use" and is tried again on a new port, at most
 * `attempts` times. Any other failure is thrown at once. CI lost a whole run to this race.
 */
export async function onFreePort<T>(startOn: (port: number) => Promise<T>, options: { attempts?: number; pick?: () => Promise<number> } = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  const pick = options.pick ?? freePort;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn(await pick());
    } catch (e) {
      if (attempt >= attempts || !isAddressInUse(e)) throw e;
    }
  }
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
 * Whether process `pid` holds the listening TCP socket of `port` (its fds against
 * /proc/net/tcp and tcp6, state 0A = LISTEN); undefined where there is no /proc to tell.
 */
export function listensOn(pid: number, port: number): boolean | undefined {
  if (!fs.existsSync('/proc/self/net/tcp')) return undefined;
  try {
    const inodes = new Set<string>();
    for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
      const link = /^socket:\[(\d+)\]$/.exec(readLink(`/proc/${pid}/fd/${fd}`));
      if (link) inodes.add(link[1]);
    }
    const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
    for (const table of ['tcp', 'tcp6']) {
      for (const line of fs.readFileSync(`/proc/${pid}/net/${table}`, 'utf8').split('\n').slice(1)) {
        const f = line.trim().split(/\s+/);
        if (f.length > 9 && f[1].endsWith(`:${hexPort}`) && f[3] === '0A' && inodes.has(f[9])) return true;
      }
    }
    return false;
  } catch {
    return false; // gone, or not ours to read
  }
}

const readLink = (file: string): string => {
  try {
    return fs.readlinkSync(file);
  } catch {
    return '';
  }
};

/** How a server shows it is ready: an HTTP URL that answers 2xx, or a probe of its own with the port it listens on. */
export type Readiness = string | { port: number; probe: () => Promise<boolean> };

/**
 * Starts a server and waits (at most `timeoutMs`) until it is ready and holds its port itself.
 * When it exits first or does not get ready, it is stopped and the error carries its output.
 */
export async function startServer(name: string, command: string, args: readonly string[], ready: Readiness, timeoutMs = 30_000, options: StartOptions = {}): Promise<Started> {
  const p = start(name, command, args, options);
  const exited = p.exited.then((code) => {
    throw new Error(`${name} exited (${code}) at start:\n${p.output()}`);
  });
  const { port, probe } = typeof ready === 'string' ? { port: Number(new URL(ready).port), probe: async () => Boolean(await http(ready)) } : ready;
  // When the server exits first, the race is over but the poll would go on until its timeout.
  const polling = new AbortController();
  // Another server on the same port would answer too: ready means ours answers.
  const isReady = waitFor(`${name} to be ready`, async () => ((await probe()) && listensOn(p.pid, port) !== false ? true : undefined), timeoutMs, 100, polling.signal);
  try {
    await Promise.race([isReady, exited]);
  } catch (e) {
    await p.stop();
    throw e;
  } finally {
    polling.abort();
    isReady.catch(() => undefined);
  }
  return p;
}
