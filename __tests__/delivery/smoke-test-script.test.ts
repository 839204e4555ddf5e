import { spawn, spawnSync } from 'child_process';
import * as http from 'http';
import { AddressInfo } from 'net';
import { HOOKS } from '../../lib/delivery/constants';
import { SMOKE_TEST_START_SECONDS } from '../../lib/delivery/smoke-test-job';
import { find, manifestsOf, minimalEnvironment } from '../support/env';

/**
 * Runs the smoke test's Python, exactly as rendered into the Job, against a
 * local stand-in of the API. Skipped, with a note, where there is no python3.
 */
// /usr/bin/python3 first: a `python3` on PATH may be a pyenv shim, a bash script that forks ~10 processes a run.
const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import urllib.request'], { stdio: 'ignore' }).status === 0);
if (!python) console.warn('smoke-test-script.test: no python3: the smoke test script is not run');

const job = find(manifestsOf(minimalEnvironment()), 'Job', HOOKS.smokeTest.name).spec as { activeDeadlineSeconds: number; template: { spec: { containers: { command: string[] }[] } } };
const command = job.template.spec.containers[0].command;

test('the script gets the Job deadline less the pod start-up as its budget', () => {
  expect(command.slice(3)).toEqual(['http://ai-odoo-finder:80', '/api/v1/search?q=sale&limit=1', String(job.activeDeadlineSeconds - SMOKE_TEST_START_SECONDS)]);
});

(python ? describe : describe.skip)('the smoke test script', () => {
  let server: http.Server;
  let search: { status: number; body: string };
  let healthHangs: boolean;
  let requests: string[];
  let base: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      requests.push(req.url ?? '');
      if (req.url === '/health' && healthHangs) return; // never answers; closed with the server
      if (req.url === '/health') res.writeHead(200).end('{"status":"ok"}');
      else if (req.url?.startsWith('/api/v1/search')) res.writeHead(search.status).end(search.body);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  beforeEach(() => {
    requests = [];
    healthHangs = false;
  });

  /** Runs the rendered command with the local base URL in place of the Service's. */
  const run = (budget = command[5]): Promise<{ code: number | null; output: string }> =>
    new Promise((resolve) => {
      const [, flag, script, , searchPath] = command;
      const child = spawn(python!, [flag, script, base, searchPath, budget]);
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      child.on('close', (code) => resolve({ code, output }));
    });

  test('passes when /health answers and the search returns JSON', async () => {
    search = { status: 200, body: '{"results":[{"name":"sale"}]}' };
    const { code, output } = await run();
    expect(output).toContain('GET /api/v1/search?q=sale&limit=1: 200');
    expect(code).toBe(0);
    expect(requests).toEqual(['/health', '/api/v1/search?q=sale&limit=1']);
  });

  test('fails when the search fails', async () => {
    search = { status: 500, body: 'boom' };
    const { code, output } = await run();
    expect(output).toContain('HTTP Error 500');
    expect(code).not.toBe(0);
  });

  test('fails when the search answers something that is not JSON', async () => {
    search = { status: 200, body: '<html>maintenance</html>' };
    const { code, output } = await run();
    expect(output).toContain('JSONDecodeError');
    expect(code).not.toBe(0);
  });

  test('an API that never answers fails the test with its own message within its budget, not at the Job deadline', async () => {
    healthHangs = true;
    const { code, output } = await run('2');
    expect(output).toContain('smoke test failed: /health did not answer within 2 s');
    expect(output).toMatch(/GET \/health attempt 1: .*timed out/);
    expect(code).toBe(1);
  });
});
