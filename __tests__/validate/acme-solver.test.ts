import * as fs from 'fs';
import * as path from 'path';
import { http01DomainHash } from '../../lib/ingress/cert-manager';
import { Finding } from '../../lib/validate/finding';
import { validateFolder } from '../../lib/validate/validate';
import { after, Obj, schemaStore } from './fixtures';

const FIXTURE = path.join(__dirname, 'fixtures', 'before-issue-8-network');
const SOLVER = { 'acme.cert-manager.io/http01-solver': 'true' };
const CONTROLLER_NS = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } };

const only = (rule: string, findings: string[]) => findings.filter((f) => f.startsWith(`${rule} `));

/** The fixture's Ingress asks cert-manager for a certificate; its namespace denies by default (the fixture's default-deny) and admits the controller to the API. */
function withCertificate({ byKind }: { byKind: (kind: string, name?: string) => Obj }, options: { annotation?: [string, string] } = {}): void {
  const ingress = byKind('Ingress');
  const [key, value] = options.annotation ?? ['cert-manager.io/cluster-issuer', 'letsencrypt-prod'];
  ingress.metadata.annotations = { [key]: value };
  ingress.spec.tls = [{ hosts: ['api.example.com'], secretName: 'api-tls' }];
  byKind('NetworkPolicy', 'api').spec.ingress[0].from = [CONTROLLER_NS];
}

function solverPolicy(from: Obj[], ports: Obj[] = [{ port: 8089, protocol: 'TCP' }], podSelector: Obj = { matchLabels: SOLVER }): Obj {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'acme-http01-solver', namespace: 'shop' }, spec: { podSelector, policyTypes: ['Ingress'], ingress: [{ from, ports }] } };
}

describe('acme-http01-solver: the ingress controller must reach cert-manager\'s HTTP-01 solver pod', () => {
  it('flags the committed dist/staging/ of before the fix (a copy in __tests__/validate/fixtures/before-issue-8-network/)', () => {
    const files = fs.readdirSync(FIXTURE).filter((f) => f.endsWith('.yaml')).sort().map((f) => ({ file: `dist/staging/${f}`, text: fs.readFileSync(path.join(FIXTURE, f), 'utf8') }));
    expect(files.length).toBeGreaterThan(0);
    const findings: Finding[] = validateFolder(schemaStore(), 'staging', files, false).filter((f) => f.rule === 'acme-http01-solver');
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'error',
        file: 'dist/staging/ingress-ai-odoo-finder.yaml',
        line: 5,
        object: 'Ingress/odoo-finder-staging/ai-odoo-finder',
        path: ['metadata', 'annotations', 'cert-manager.io/cluster-issuer'],
      }),
    ]);
    expect(findings[0].message).toContain('staging.api.ai-odoofinder.dev');
    expect(findings[0].message).toContain('pods of namespaces {kubernetes.io/metadata.name=ingress-nginx}; pods of namespaces {kubernetes.io/metadata.name=monitoring}');
  });

  it('flags a namespace that denies by default, whatever annotation asks for the certificate', () => {
    const message = expect.stringMatching(/^acme-http01-solver Ingress\/shop\/api metadata\.annotations\["(cert-manager\.io\/(cluster-)?issuer|kubernetes\.io\/tls-acme)"\]: error: cert-manager answers the HTTP-01 challenge for api\.example\.com .*\(pods of namespaces \{kubernetes\.io\/metadata\.name=ingress-nginx\}\)/);
    expect(only('acme-http01-solver', after((env) => withCertificate(env)))).toEqual([message]);
    expect(only('acme-http01-solver', after((env) => withCertificate(env, { annotation: ['cert-manager.io/issuer', 'letsencrypt'] })))).toEqual([message]);
    expect(only('acme-http01-solver', after((env) => withCertificate(env, { annotation: ['kubernetes.io/tls-acme', 'true'] })))).toEqual([message]);
    // ParseBool("no") fails: ingress-shim makes no certificate.
    expect(only('acme-http01-solver', after((env) => withCertificate(env, { annotation: ['kubernetes.io/tls-acme', 'no'] })))).toEqual([]);
  });

  it('passes once a policy lets the controller (namespace, or namespace and pods) reach the solver on 8089 or its port name', () => {
    expect(after((env) => { withCertificate(env); env.objects.push(solverPolicy([CONTROLLER_NS])); })).toEqual([]);
    expect(after((env) => { withCertificate(env); env.objects.push(solverPolicy([CONTROLLER_NS], [{ port: 'http' }])); })).toEqual([]);
    expect(after((env) => { withCertificate(env); env.objects.push(solverPolicy([CONTROLLER_NS], [{ port: 8000, endPort: 9000 }])); })).toEqual([]);
    // The controller narrowed to its pods on both sides.
    const pods = { ...CONTROLLER_NS, podSelector: { matchLabels: { 'app.kubernetes.io/component': 'controller' } } };
    expect(after((env) => {
      withCertificate(env);
      env.byKind('NetworkPolicy', 'api').spec.ingress[0].from = [pods];
      env.objects.push(solverPolicy([pods]));
    })).toEqual([]);
  });

  it('still flags a policy that admits someone else, the wrong port or protocol, or selects other pods', () => {
    const flagged = (policy: Obj) => only('acme-http01-solver', after((env) => { withCertificate(env); env.objects.push(policy); }));
    expect(flagged(solverPolicy([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }]))).toHaveLength(1);
    expect(flagged(solverPolicy([{ podSelector: {} }]))).toHaveLength(1); // pods of the namespace only
    expect(flagged(solverPolicy([{ ipBlock: { cidr: '0.0.0.0/0' } }]))).toHaveLength(1); // ipBlock is for addresses outside the cluster
    expect(flagged(solverPolicy([CONTROLLER_NS], [{ port: 8080, protocol: 'TCP' }]))).toHaveLength(1);
    expect(flagged(solverPolicy([CONTROLLER_NS], [{ port: 8089, protocol: 'UDP' }]))).toHaveLength(1);
    expect(flagged(solverPolicy([CONTROLLER_NS], undefined, { matchLabels: { 'acme.cert-manager.io/http01-solver': 'false' } }))).toHaveLength(1);
    // Selecting by the domain hash cert-manager computes works; by another domain's does not.
    const byDomain = (host: string) => ({ matchLabels: { 'acme.cert-manager.io/http-domain': http01DomainHash(host) } });
    expect(flagged(solverPolicy([CONTROLLER_NS], undefined, byDomain('api.example.com')))).toEqual([]);
    expect(flagged(solverPolicy([CONTROLLER_NS], undefined, byDomain('www.example.com')))).toHaveLength(1);
  });

  it('an Ingress labelled for DNS-01, or without TLS, runs no solver pod: nothing to reach', () => {
    expect(after((env) => { withCertificate(env); env.byKind('Ingress').metadata.labels = { 'ai-odoofinder.dev/acme-solver': 'dns01' }; })).toEqual([]);
    expect(after((env) => { withCertificate(env); delete env.byKind('Ingress').spec.tls; })).toEqual([]);
    expect(only('acme-http01-solver', after((env) => { withCertificate(env); env.byKind('Ingress').metadata.labels = { 'ai-odoofinder.dev/acme-solver': 'http01' }; }))).toHaveLength(1);
    expect(only('acme-http01-solver', after((env) => { env.byKind('Ingress').metadata.labels = { 'ai-odoofinder.dev/acme-solver': 'tls-alpn01' }; }))).toEqual([
      'acme-http01-solver Ingress/shop/api metadata.labels["ai-odoofinder.dev/acme-solver"]: error: "tls-alpn01" is not an ACME solver this project knows: http01 or dns01',
    ]);
  });

  it('a namespace that isolates nothing lets the solver be reached', () => {
    const withoutDefaultDeny = (env: { byKind: (kind: string, name?: string) => Obj; objects: Obj[] }) => env.objects.splice(env.objects.indexOf(env.byKind('NetworkPolicy', 'default-deny')), 1);
    expect(only('acme-http01-solver', after((env) => { withoutDefaultDeny(env); env.byKind('Ingress').metadata.annotations = { 'cert-manager.io/cluster-issuer': 'x' }; env.byKind('Ingress').spec.tls = [{ hosts: ['api.example.com'], secretName: 't' }]; }))).toEqual([]);
  });

  it('a policy for the solver pods selects pods, and its ports are theirs, while an HTTP-01 Ingress exists (networkpolicy-selector, networkpolicy-port)', () => {
    expect(after((env) => { withCertificate(env); env.objects.push(solverPolicy([CONTROLLER_NS])); })).toEqual([]);
    expect(after((env) => { withCertificate(env); env.objects.push(solverPolicy([CONTROLLER_NS], [{ port: 8089 }, { port: 9090 }])); })).toEqual([
      'networkpolicy-port NetworkPolicy/shop/acme-http01-solver spec.ingress[0].ports[1].port: error: the selected pods (cm-acme-http-solver-' + http01DomainHash('api.example.com') + ') do not listen on 9090/TCP',
    ]);
    expect(after((env) => { withCertificate(env); env.byKind('Ingress').metadata.labels = { 'ai-odoofinder.dev/acme-solver': 'dns01' }; env.objects.push(solverPolicy([CONTROLLER_NS])); })).toEqual([
      'networkpolicy-selector NetworkPolicy/shop/acme-http01-solver spec.podSelector: error: selects no pods in its namespace',
    ]);
  });
});

describe('http01DomainHash: the acme.cert-manager.io/http-domain label (Adler-32, as Go hash/adler32)', () => {
  it('matches the Adler-32 test vectors', () => {
    expect(http01DomainHash('Wikipedia')).toBe(String(0x11e60398));
    expect(http01DomainHash('')).toBe('1');
    // zlib.adler32(b"api.ai-odoofinder.dev") in CPython, the same checksum as Go's hash/adler32.
    expect(http01DomainHash('api.ai-odoofinder.dev')).toBe('1445529590');
  });
});
