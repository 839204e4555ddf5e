import { parse, stringify } from 'yaml';
import { SourceFile, validateFolder } from '../../lib/validate/validate';
import { toYaml } from '../../lib/yaml/writer';
import { committedEnvironment, kubernetesEnvironmentNames, manifestsOf, minimalEnvironment, ROOT } from '../support/env';
import { committedObjects, stringifyOnce } from '../support/files';
import { Obj, schemaStore } from './fixtures';

const RULE = 'ingress-metrics-exposed';
const INTERNAL = 'ingress-ai-odoo-finder-internal.yaml';

/** The committed dist/<env>/, with files left out or changed. */
function folder(env: string, change: (file: string, object: Obj) => Obj | undefined = (_f, o) => o): SourceFile[] {
  return [...committedObjects(ROOT, env)].flatMap(([name, object]) => {
    const changed = change(name, object);
    return changed === undefined ? [] : [{ file: `dist/${env}/${name}`, text: stringifyOnce(changed) }];
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

describe('service-metrics-exposed: a Service published outside the cluster on the scraped port', () => {
  const SERVICE = 'service-ai-odoo-finder.yaml';
  const INGRESSES = ['ingress-ai-odoo-finder.yaml', INTERNAL];
  const serviceFindings = (env: string, files: SourceFile[]) => validateFolder(schemaStore(), env, files, false).filter((f) => f.rule === 'service-metrics-exposed');
  /** The committed staging folder with the API Service changed, and without its Ingresses when `ingress` is false. */
  const staging = (edit: (spec: Obj) => void, ingress: boolean) =>
    folder('staging', (name, o) => (!ingress && INGRESSES.includes(name) ? undefined : name === SERVICE ? (edit(o.spec), o) : o));

  it('nothing on the committed folders (ClusterIP behind the Ingress)', () => {
    expect.assertions(2);
    for (const env of ['production', 'staging']) expect(serviceFindings(env, folder(env))).toEqual([]);
  });

  it.each(['LoadBalancer', 'NodePort'])('type %s behind the Ingress is an error: clients bypass it and read /metrics', (type) => {
    const findings = serviceFindings('staging', staging((spec) => void (spec.type = type), true));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', file: `dist/staging/${SERVICE}`, path: ['spec', 'ports', 0], line: expect.any(Number) });
    expect(findings[0].message).toContain(`Service "ai-odoo-finder" of type ${type}: port 80 reaches container port 8000 of Deployment "ai-odoo-finder", where its pods serve their metrics at /metrics (ServiceMonitor "ai-odoo-finder"), behind Ingress "ai-odoo-finder"`);
    expect(findings[0].message).toContain('Make it ClusterIP');
  });

  it('without an Ingress it is a warning: the API is exposed directly, and its metrics with it', () => {
    const findings = serviceFindings('staging', staging((spec) => void (spec.type = 'LoadBalancer'), false));
    expect(findings).toEqual([expect.objectContaining({ severity: 'warning', path: ['spec', 'ports', 0] })]);
    expect(findings[0].message).toContain('every client that reaches its load balancer or a node\'s port reads them');
  });

  it('externalIPs publish a ClusterIP Service too', () => {
    const findings = serviceFindings('staging', staging((spec) => void (spec.externalIPs = ['203.0.113.10']), true));
    expect(findings).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringContaining('Service "ai-odoo-finder" with externalIPs') })]);
  });

  it('a published port that does not reach the scraped port is not flagged', () => {
    // A second Service, for the same pods, that publishes another port only.
    const files = folder('staging');
    const other = parse(files.find((f) => f.file.endsWith(SERVICE))!.text);
    other.metadata.name = 'ai-odoo-finder-other';
    other.spec = { ...other.spec, type: 'LoadBalancer', ports: [{ name: 'other', port: 9100, protocol: 'TCP', targetPort: 9100 }] };
    expect(serviceFindings('staging', [...files, { file: 'dist/staging/service-other.yaml', text: stringify(other) }])).toEqual([]);
    other.spec.ports[0].targetPort = 8000;
    expect(serviceFindings('staging', [...files, { file: 'dist/staging/service-other.yaml', text: stringify(other) }])).toHaveLength(1);
  });

  it('fails on the old output: a rendered service.type LoadBalancer environment was not flagged', () => {
    const files = manifestsOf(minimalEnvironment({ service: { type: 'LoadBalancer' } })).map((m, i) => ({ file: `dist/test/${i}.yaml`, text: toYaml(m) }));
    expect(serviceFindings('test', files)).toEqual([expect.objectContaining({ severity: 'warning', object: expect.stringMatching(/^Service\/.+\/ai-odoo-finder$/) })]);
  });
});

describe('service.type LoadBalancer or NodePort with the Ingress on', () => {
  it.each(['LoadBalancer', 'NodePort'])('%s is refused by the config loader, naming the key', (type) => {
    expect(() => minimalEnvironment({ ingress: { enabled: true, host: 'a.example.com' }, service: { type } })).toThrow(
      new RegExp(`service\\.type: ${type} is refused while ingress\\.enabled is true: it publishes the API port, /metrics included, past the Ingress`),
    );
    expect(() => minimalEnvironment({ service: { type } })).not.toThrow();
    expect(() => minimalEnvironment({ ingress: { enabled: true, host: 'a.example.com' }, service: { type: 'ClusterIP' } })).not.toThrow();
  });
});
