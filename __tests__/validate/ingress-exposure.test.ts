import * as fs from 'fs';
import * as path from 'path';
import { parse, stringify } from 'yaml';
import { SourceFile, validateFolder } from '../../lib/validate/validate';
import { committedEnvironment, kubernetesEnvironmentNames, ROOT } from '../support/env';
import { Obj, schemaStore } from './fixtures';

const RULE = 'ingress-metrics-exposed';
const INTERNAL = 'ingress-ai-odoo-finder-internal.yaml';

/** The committed dist/<env>/, with files left out or changed. */
function folder(env: string, change: (file: string, object: Obj) => Obj | undefined = (_f, o) => o): SourceFile[] {
  const dir = path.join(ROOT, 'dist', env);
  return fs.readdirSync(dir).sort().flatMap((name) => {
    const changed = change(name, parse(fs.readFileSync(path.join(dir, name), 'utf8')));
    return changed === undefined ? [] : [{ file: `dist/${env}/${name}`, text: stringify(changed) }];
  });
}
const exposed = (env: string, files: SourceFile[]) => validateFolder(schemaStore(), env, files, false).filter((f) => f.rule === RULE);
const withInternal = (env: string, edit: (o: Obj) => void) => folder(env, (name, o) => (name === INTERNAL ? (edit(o), o) : o));

// Every committed environment with an Ingress; the two committed ones have one.
const WITH_INGRESS = kubernetesEnvironmentNames().filter((name) => committedEnvironment(name).ingress.enabled);

describe.each(WITH_INGRESS)('ingress-metrics-exposed: %s', (env) => {
  it('the committed folder takes /metrics back with a second Ingress that denies every address', () => {
    const files = folder(env);
    const internal = parse(files.find((f) => f.file.endsWith(INTERNAL))!.text);
    expect(internal.metadata.annotations['nginx.ingress.kubernetes.io/denylist-source-range']).toBe('0.0.0.0/0,::/0');
    expect(internal.spec.rules[0].http.paths).toEqual([expect.objectContaining({ path: '/metrics', pathType: 'Prefix' })]);
    expect(exposed(env, files)).toEqual([]);
  });

  it('fails on the old output: the Ingress routes / to the pods that serve /metrics', () => {
    const findings = exposed(env, folder(env, (name, o) => (name === INTERNAL ? undefined : o)));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', file: `dist/${env}/ingress-ai-odoo-finder.yaml`, path: ['spec', 'rules', 0, 'http', 'paths', 0] });
    expect(findings[0].message).toMatch(/\/ reaches Service "ai-odoo-finder(-stable)?" on the port where its pods serve their metrics at \/metrics \(ServiceMonitor "ai-odoo-finder"\)/);
  });

  it.each<[string, (o: Obj) => void]>([
    ['denies IPv4 only', (o) => void (o.metadata.annotations['nginx.ingress.kubernetes.io/denylist-source-range'] = '0.0.0.0/0')],
    ['is an Exact path (leaves /metrics/ open)', (o) => void (o.spec.rules[0].http.paths[0].pathType = 'Exact')],
    ['is of another ingress class', (o) => void (o.spec.ingressClassName = 'internal-nginx')],
    ['is for another host', (o) => void (o.spec.rules[0].host = 'other.example.com')],
    ['blocks another path', (o) => void (o.spec.rules[0].http.paths[0].path = '/metric')],
  ])('still fails when the blocking Ingress %s', (_what, edit) => {
    // The public Ingress is flagged; a half-blocking one (IPv4 only) is itself a way in and is flagged too.
    expect(exposed(env, withInternal(env, edit))).toContainEqual(expect.objectContaining({ file: `dist/${env}/ingress-ai-odoo-finder.yaml`, severity: 'error' }));
  });
});

describe('ingress-metrics-exposed: what counts as exposed', () => {
  const publicIngress = (edit: (o: Obj) => void) =>
    folder('staging', (name, o) => (name === INTERNAL ? undefined : name === 'ingress-ai-odoo-finder.yaml' ? (edit(o), o) : o));

  it('an Ingress that routes only other paths exposes nothing', () => {
    expect(exposed('staging', publicIngress((o) => void (o.spec.rules[0].http.paths[0] = { ...o.spec.rules[0].http.paths[0], path: '/api', pathType: 'Prefix' })))).toEqual([]);
    expect(exposed('staging', publicIngress((o) => void (o.spec.rules[0].http.paths[0] = { ...o.spec.rules[0].http.paths[0], path: '/metrics', pathType: 'Exact' })))).toHaveLength(1);
  });

  it('a scrape path of the ServiceMonitor other than /metrics is the one checked', () => {
    const files = folder('staging', (name, o) => {
      if (name === 'servicemonitor-ai-odoo-finder.yaml') o.spec.endpoints[0].path = '/internal/stats';
      return o;
    });
    const findings = exposed('staging', files);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('serve their metrics at /internal/stats');
  });
});
