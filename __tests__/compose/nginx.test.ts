import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { API } from '../../lib/api/constants';
import { NGINX, SERVICES } from '../../lib/compose/constants';
import { nginxHealthCheck } from '../../lib/compose/compose-file';
import { nginxConf } from '../../lib/compose/nginx-conf';
import { freePort, onFreePort, Started, startServer } from '../support/processes';
import { findTool, missingToolMessage } from '../support/tools';
import { composeEnvironment } from './support/scripts';

/**
 * The rendered nginx.conf served by a real nginx (Debian package nginx) on
 * 127.0.0.1, in front of a local stand-in of the API: redirect, TLS, CORS,
 * rate limit, body size and /metrics as the Ingress has them. Only the
 * addresses and paths of the container are replaced by local ones.
 */
const nginx = findTool('nginx');
const openssl = findTool('openssl');
if (!nginx) console.warn(`nginx.test: ${missingToolMessage('nginx')}`);
if (!openssl) console.warn(`nginx.test: ${missingToolMessage('openssl')}`);

const HOST = 'search.example.com';
const ALLOWED = 'https://app.example.com';

/** Replaces `from` by `to`, failing the test unless `from` occurs `times` times. */
function replace(text: string, from: string, to: string, times = 1): string {
  const count = text.split(from).length - 1;
  if (count !== times) throw new Error(`expected ${times} × ${JSON.stringify(from)} in nginx.conf, found ${count}`);
  return text.split(from).join(to);
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

(nginx && openssl ? describe : describe.skip)('nginx.conf served by a real nginx', () => {
  let dir: string;
  let nginxProcess: Started | undefined;
  let api: http.Server;
  let seen: { url: string; method: string; headers: http.IncomingHttpHeaders }[];
  let httpPort: number;
  let httpsPort: number;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-'));
    fs.chmodSync(dir, 0o755);
    const tls = path.join(dir, 'tls');
    fs.mkdirSync(path.join(tls, NGINX.acmeWebroot, '.well-known', 'acme-challenge'), { recursive: true });
    fs.writeFileSync(path.join(tls, NGINX.acmeWebroot, '.well-known', 'acme-challenge', 'token-1'), 'token-1.key');
    execFileSync(openssl!, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${HOST}`, '-keyout', path.join(tls, NGINX.privateKey), '-out', path.join(tls, NGINX.certificate)], { stdio: 'ignore' });

    api = http.createServer((req, res) => {
      seen.push({ url: req.url ?? '', method: req.method ?? '', headers: req.headers });
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"results":[]}'));
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    const apiPort = (api.address() as net.AddressInfo).port;
    const env = composeEnvironment({
      ingress: { enabled: true, host: HOST, cors: { allowOrigins: [ALLOWED] }, rateLimit: { requestsPerSecond: 1, burstMultiplier: 2, connections: 10 }, maxBodySize: '1k' },
      compose: { httpsPort: 8443, httpPort: 8080 },
    });
    seen = [];
    nginxProcess = await onFreePort(async (port) => {
      [httpPort, httpsPort] = [port, await freePort()];
      let conf = nginxConf(env, ['test']);
      conf = replace(conf, `listen ${NGINX.httpPort} default_server;`, `listen 127.0.0.1:${httpPort} default_server;`);
      conf = replace(conf, `listen ${NGINX.httpsPort} ssl default_server;`, `listen 127.0.0.1:${httpsPort} ssl default_server;`);
      conf = replace(conf, `http://${SERVICES.api}:${API.containerPort}`, `http://127.0.0.1:${apiPort}`);
      conf = replace(conf, ' /tmp/', ` ${dir}/`, 6);
      conf = replace(conf, NGINX.tlsPath, tls, 3);
      fs.writeFileSync(path.join(dir, 'nginx.conf'), conf);
      const accepts = () =>
        new Promise<boolean>((resolve) => {
          const socket = net.connect(httpsPort, '127.0.0.1', () => resolve(socket.end() !== undefined));
          socket.on('error', () => resolve(false));
        });
      return startServer('nginx', nginx!, ['-e', 'stderr', '-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], { port: httpsPort, probe: accepts }, 10_000, { ignoreStdout: true });
    });
  });

  afterAll(async () => {
    await nginxProcess?.stop();
    await new Promise<void>((resolve) => api.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // Each test is a client of its own (127.0.0.2, .3, …: all loopback on Linux), so each has its own rate limit allowance.
  let client = 1;
  beforeEach(() => {
    seen = [];
    client++;
  });

  const request = (secure: boolean, pathAndQuery: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const req = (secure ? https : http).request(
        {
          host: '127.0.0.1',
          port: secure ? httpsPort : httpPort,
          path: pathAndQuery,
          method: options.method ?? 'GET',
          headers: { host: HOST, ...options.headers },
          servername: HOST,
          rejectUnauthorized: false,
          agent: false,
          localAddress: `127.0.0.${client}`,
        },
        (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      req.end(options.body);
    });

  test('plain HTTP is redirected to HTTPS with 308, to the published HTTPS port', async () => {
    const answer = await request(false, '/api/v1/search?q=sale');
    expect(answer.status).toBe(308);
    expect(answer.headers.location).toBe(`https://${HOST}:8443/api/v1/search?q=sale`);
    expect(seen).toHaveLength(0);
  });

  test('nginx answers its own health check and ACME challenges over HTTP', async () => {
    expect((await request(false, NGINX.healthPath)).status).toBe(200);
    const challenge = await request(false, '/.well-known/acme-challenge/token-1');
    expect(challenge).toMatchObject({ status: 200, body: 'token-1.key' });
  });

  test('the Compose health check passes with only wget (alpine images) or only curl (Debian images) in the container, and fails when nginx does not answer', () => {
    const [wget, curl] = [findTool('wget'), findTool('curl')];
    if (!wget || !curl) return console.warn(`nginx.test: ${missingToolMessage(wget ? 'curl' : 'wget')}: the health check test is SKIPPED`);
    const check = replace(nginxHealthCheck(), `127.0.0.1:${NGINX.httpPort}/`, `127.0.0.1:${httpPort}/`, 2);
    const run = (tools: Record<string, string>, command = check) => {
      const bin = fs.mkdtempSync(path.join(dir, 'bin-'));
      const where = (command: string) => execFileSync('/bin/sh', ['-c', 'command -v "$1"', 'sh', command], { encoding: 'utf8' }).trim();
      for (const [name, command] of Object.entries(tools)) fs.symlinkSync(where(command), path.join(bin, name));
      return spawnSync('/bin/sh', ['-c', command], { env: { PATH: bin }, encoding: 'utf8', timeout: 10_000 }).status;
    };
    expect(run({ wget: wget! })).toBe(0);
    expect(run({ curl: curl! })).toBe(0);
    expect(run({})).not.toBe(0);
    // Nothing listens on port 1 of 127.0.0.1 (a privileged port no test opens).
    expect(run({ wget: wget!, curl: curl! }, check.split(`:${httpPort}/`).join(':1/'))).not.toBe(0);
  });

  test('HTTPS proxies to the API with HSTS and the forwarded headers', async () => {
    const answer = await request(true, '/api/v1/search?q=sale');
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('{"results":[]}');
    expect(answer.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ url: '/api/v1/search?q=sale', headers: { host: HOST, 'x-forwarded-proto': 'https', 'x-real-ip': `127.0.0.${client}`, 'x-forwarded-for': `127.0.0.${client}` } });
  });

  test('a client cannot choose the address the API sees: its X-Forwarded-For is replaced, and kept as X-Original-Forwarded-For', async () => {
    const answer = await request(true, '/api/v1/search?q=spoof', { headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect(answer.status).toBe(200);
    const proxied = seen.find((r) => r.url === '/api/v1/search?q=spoof');
    expect(proxied?.headers).toMatchObject({ 'x-forwarded-for': `127.0.0.${client}`, 'x-real-ip': `127.0.0.${client}`, 'x-original-forwarded-for': '203.0.113.7' });
  });

  test('CORS: the headers for an allowed origin only, and a preflight answered by nginx', async () => {
    const allowed = await request(true, '/api/v1/search', { headers: { origin: ALLOWED } });
    expect(allowed.headers).toMatchObject({
      'access-control-allow-origin': ALLOWED,
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-allow-headers': 'Authorization, Content-Type',
      'access-control-max-age': '600',
    });
    // ingress.cors.allowCredentials is false: no Allow-Credentials at all (ingress-nginx writes it only when true).
    expect(allowed.headers['access-control-allow-credentials']).toBeUndefined();
    const other = await request(true, '/api/v1/search', { headers: { origin: 'https://app.example.com.evil.test' } });
    expect(other.status).toBe(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();

    seen = [];
    const preflight = await request(true, '/api/v1/search', { method: 'OPTIONS', headers: { origin: ALLOWED, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(seen).toHaveLength(0);
  });

  test('a preflight from another origin goes to the API, which decides', async () => {
    const answer = await request(true, '/api/v1/search', { method: 'OPTIONS', headers: { origin: 'https://evil.test' } });
    expect(answer.status).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(seen.map((s) => s.method)).toEqual(['OPTIONS']);
  });

  test('/metrics and everything below it are not served to the outside, however the path is spelt', async () => {
    // What the internal Ingress's Prefix path blocks: /metrics and /metrics/… (the old conf blocked the exact path only).
    const blocked = [API.metricsPath, `${API.metricsPath}/`, `${API.metricsPath}/anything`, `${API.metricsPath}?name[]=x`, `/${API.metricsPath}//x`, '/%6detrics/', `/api/..${API.metricsPath}/`];
    for (const p of blocked) expect([p, (await request(true, p)).status]).toEqual([p, 404]);
    expect(seen).toEqual([]);
  });

  test('paths that only start like /metrics still reach the API', async () => {
    for (const p of [`${API.metricsPath}x`, '/metric', `/api${API.metricsPath}`]) expect([p, (await request(true, p)).status]).toEqual([p, 200]);
    expect(seen.map((s) => s.url)).toEqual([`${API.metricsPath}x`, '/metric', `/api${API.metricsPath}`]);
  });

  test('a body above ingress.maxBodySize is refused with 413', async () => {
    const answer = await request(true, '/api/v1/search', { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(4096) });
    expect(answer.status).toBe(413);
    expect(seen).toHaveLength(0);
  });

  test('the rate limit answers 503 beyond the burst, as ingress-nginx does', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await request(true, '/api/v1/search')).status);
    // 1 request/s with a burst of 2 (nodelay): the first three pass at once, the rest of the same second do not.
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.slice(3)).toContain(503);
  });
});

test('ingress.cors.allowCredentials: true adds Access-Control-Allow-Credentials for allowed origins', () => {
  const conf = (allowCredentials: boolean) => nginxConf(composeEnvironment({ ingress: { enabled: true, host: HOST, cors: { allowOrigins: [ALLOWED], allowCredentials } } }), []);
  expect(conf(true)).toContain('add_header Access-Control-Allow-Credentials $cors_allow_credentials always;');
  expect(conf(true)).toMatch(/map \$cors_allowed \$cors_allow_credentials \{\s*default "";\s*"1" "true";/);
  expect(conf(false)).not.toContain('Access-Control-Allow-Credentials');
});
