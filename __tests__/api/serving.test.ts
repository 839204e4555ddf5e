import { spawnSync } from 'child_process';
import { SERVING, SHUTDOWN_SECONDS } from '../../lib/api/serving';
import { committedEnvironment, find, kubernetesEnvironmentNames, manifestsOf } from '../support/env';
import { findTool, missingToolMessage } from '../support/tools';

/*
 * The API's connections and shutdown against the proxy in front of it: uvicorn
 * keeps an idle connection open longer than ingress-nginx reuses it (else a
 * request sent as uvicorn closes the connection gets a reset: a 502), finishes
 * a request as long as the proxy waits for it, and the kubelet's SIGKILL comes
 * after that and the app's cleanup. uvicorn's own CLI reads the settings.
 */

const uvicorn = findTool('uvicorn');
if (!uvicorn) console.warn(`serving.test: ${missingToolMessage('uvicorn')}`);

type Obj = Record<string, any>;

/** What uvicorn's CLI makes of an environment: the keyword arguments its `main` passes to `uvicorn.run` (run is replaced, nothing is served). */
function uvicornReads(env: Record<string, string>): Record<string, unknown> {
  const script = [
    'import importlib, json, sys',
    'importlib.import_module("uvicorn.main")',
    'm = sys.modules["uvicorn.main"]',
    'seen = {}',
    'm.run = lambda app, **kw: seen.update(kw)',
    'm.main.main(args=["app:app"], standalone_mode=False)',
    'print(json.dumps({k: v for k, v in seen.items() if k.startswith("timeout")}))',
  ].join('\n');
  const run = spawnSync(uvicorn!, ['-c', script], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, encoding: 'utf8', timeout: 30_000 });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

describe.each(kubernetesEnvironmentNames().map((n) => [n] as const))('%s: the API behind ingress-nginx', (name) => {
  const manifests = manifestsOf(committedEnvironment(name));
  const settings = find(manifests, 'ConfigMap', 'ai-odoo-finder-config').data as Record<string, string>;
  const pod = (find(manifests, 'Deployment', 'ai-odoo-finder').spec as Obj).template.spec;
  const drain = Number(pod.containers[0].lifecycle.preStop.exec.command[1]);
  const ingress = find(manifests, 'Ingress', 'ai-odoo-finder');

  it('SIGKILL comes after the preStop drain, a request as long as the proxy waits for it, and the app\'s cleanup', () => {
    expect(Number(ingress.metadata.annotations!['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBe(SERVING.proxyReadTimeoutSeconds);
    expect(Number(settings.UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN)).toBe(SERVING.proxyReadTimeoutSeconds);
    expect(pod.terminationGracePeriodSeconds).toBe(drain + SHUTDOWN_SECONDS);
    expect(pod.terminationGracePeriodSeconds - drain).toBeGreaterThan(Number(settings.UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN));
  });

  (uvicorn ? it : it.skip)('uvicorn\'s CLI keeps idle connections longer than ingress-nginx reuses them (its default was 5 s)', () => {
    const read = uvicornReads(settings);
    expect(read.timeout_keep_alive).toBe(Number(settings.UVICORN_TIMEOUT_KEEP_ALIVE));
    expect(read.timeout_keep_alive).toBeGreaterThan(SERVING.proxyKeepAliveSeconds);
    // Without the setting (the output before): uvicorn's default, far below the proxy's 60 s.
    expect(uvicornReads({}).timeout_keep_alive).toBeLessThan(SERVING.proxyKeepAliveSeconds);
    // uvicorn 0.24 and later read the graceful shutdown too (Debian's 0.17 has no such option).
    if ('timeout_graceful_shutdown' in read) expect(read.timeout_graceful_shutdown).toBe(SERVING.proxyReadTimeoutSeconds);
  });
});
