import { ACME_SOLVER_LABEL, ACME_SOLVERS, CERT_MANAGER_ISSUER_ANNOTATIONS, http01DomainHash, HTTP01_SOLVER, TLS_ACME_ANNOTATION } from '../../ingress/cert-manager';
import { arrayAt, get, JsonObject, stringAt, stringMap } from '../access';
import { Finding } from '../finding';
import { Folder } from '../folder';
import { containerPorts, PodTemplateFields, podTemplateOf } from '../pod-fields';
import { finding, Resource } from '../resource';
import { mapSelects } from '../selectors';
import { admits, admittedSources, describeSource, Source, TargetPort } from './reachability';

// cert-manager's behaviour is described, with its sources, in lib/ingress/cert-manager.ts.

const RULE = 'acme-http01-solver';
/** Go's strconv.ParseBool true values: what ingress-shim accepts in kubernetes.io/tls-acme. */
const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

/** An Ingress for whose TLS hosts cert-manager runs HTTP-01 solver pods. */
interface Http01Ingress {
  readonly ingress: Resource;
  /** The annotation that makes cert-manager issue the certificate. */
  readonly annotation: string;
  readonly hosts: string[];
}

/**
 * The Ingress's HTTP-01 certificate, if it has one: an issuer annotation, TLS hosts,
 * and no `ai-odoofinder.dev/acme-solver: dns01` label (HTTP-01 is assumed otherwise).
 */
function http01Certificate(ingress: Resource): Http01Ingress | undefined {
  if (ingress.kind !== 'Ingress') return undefined;
  const annotations = stringMap(ingress.object, 'metadata', 'annotations');
  const annotation =
    CERT_MANAGER_ISSUER_ANNOTATIONS.find((a) => a in annotations) ?? (GO_TRUE.has(annotations[TLS_ACME_ANNOTATION] ?? '') ? TLS_ACME_ANNOTATION : undefined);
  if (annotation === undefined || stringAt(ingress.object, 'metadata', 'labels', ACME_SOLVER_LABEL) === 'dns01') return undefined;
  // ingress-shim makes a Certificate only for TLS entries with a secretName.
  const hosts = arrayAt(ingress.object, 'spec', 'tls')
    .filter((tls) => stringAt(tls, 'secretName'))
    .flatMap((tls) => arrayAt(tls, 'hosts').filter((h): h is string => typeof h === 'string'));
  return hosts.length === 0 ? undefined : { ingress, annotation, hosts: [...new Set(hosts)] };
}

/** The solver pod cert-manager creates for one host, as a pod template of the Ingress's namespace. */
function solverPod(ingress: Resource, host: string): PodTemplateFields {
  const domain = http01DomainHash(host);
  const object: JsonObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `cm-acme-http-solver-${domain}`,
      namespace: ingress.namespace ?? null,
      // The token hash differs per challenge; no policy can know it.
      labels: { ...HTTP01_SOLVER.labels, [HTTP01_SOLVER.domainLabel]: domain, [HTTP01_SOLVER.tokenLabel]: '0' },
    },
    spec: { containers: [{ name: 'acmesolver', ports: [{ name: HTTP01_SOLVER.portName, containerPort: HTTP01_SOLVER.port, protocol: 'TCP' }] }] },
  };
  const resource: Resource = { ...ingress, object, apiVersion: 'v1', kind: 'Pod', name: stringAt(object, 'metadata', 'name')!, lineOf: () => undefined };
  return podTemplateOf(resource)!;
}

/**
 * Pods that cert-manager will create in `namespace` for the HTTP-01 challenges of
 * its Ingresses: not in dist/, but NetworkPolicies may select them.
 */
export function http01SolverPods(folder: Folder, namespace: string | undefined): PodTemplateFields[] {
  return folder
    .ofKind('Ingress', namespace)
    .flatMap((i) => {
      const cert = http01Certificate(i);
      return cert ? cert.hosts.map((h) => solverPod(i, h)) : [];
    });
}

/** The ports of the pods behind each Service backend of the Ingress. */
function backendTargets(folder: Folder, ingress: Resource): { template: PodTemplateFields; port: TargetPort }[] {
  const backends = [get(ingress.object, 'spec', 'defaultBackend'), ...arrayAt(ingress.object, 'spec', 'rules').flatMap((r) => arrayAt(r, 'http', 'paths').map((p) => get(p, 'backend')))];
  const targets: { template: PodTemplateFields; port: TargetPort }[] = [];
  for (const backend of backends) {
    const service = folder.find('Service', ingress.namespace, stringAt(backend, 'service', 'name') ?? '');
    if (!service) continue;
    const portName = stringAt(backend, 'service', 'port', 'name');
    const portNumber = get(backend, 'service', 'port', 'number');
    const servicePort = arrayAt(service.object, 'spec', 'ports').find((p) => (portName !== undefined ? stringAt(p, 'name') === portName : get(p, 'port') === portNumber));
    if (servicePort === undefined) continue;
    const target = get(servicePort, 'targetPort') ?? get(servicePort, 'port');
    const protocol = stringAt(servicePort, 'protocol') ?? 'TCP';
    const selector = stringMap(service.object, 'spec', 'selector');
    for (const template of folder.templatesIn(ingress.namespace).filter((t) => mapSelects(selector, t.labels))) {
      const port = template.containers
        .filter((c) => c.list === 'containers')
        .flatMap(containerPorts)
        .find((p) => p.protocol === protocol && (typeof target === 'string' ? p.name === target : p.port === target));
      if (port) targets.push({ template, port: { number: port.port, name: port.name, protocol } });
    }
  }
  return targets;
}

/**
 * The ingress controller, as far as dist/ tells: it must reach the Ingress's
 * backend pods, so it is one of the sources outside the namespace that the
 * policies let reach them on the backend port (Prometheus may be another).
 */
function controllerCandidates(folder: Folder, ingress: Resource): Source[] {
  const policies = folder.ofKind('NetworkPolicy', ingress.namespace);
  const seen = new Map<string, Source>();
  for (const { template, port } of backendTargets(folder, ingress)) {
    for (const source of admittedSources(policies, ingress.namespace, template.labels, port)) {
      if (source.kind === 'pod' && source.namespace === ingress.namespace) continue; // pods of the namespace are not the controller
      seen.set(JSON.stringify(source), source);
    }
  }
  return [...seen.values()];
}

/**
 * `acme-http01-solver`: an Ingress that asks cert-manager for a certificate over
 * HTTP-01 needs the ingress controller to reach the solver pod in its namespace;
 * a NetworkPolicy that denies it means the certificate is never issued.
 */
export function checkAcmeSolver(folder: Folder): Finding[] {
  const findings: Finding[] = [];
  for (const ingress of folder.ofKind('Ingress')) {
    const solver = stringAt(ingress.object, 'metadata', 'labels', ACME_SOLVER_LABEL);
    if (solver !== undefined && !(ACME_SOLVERS as readonly string[]).includes(solver)) {
      findings.push(finding(ingress, 'error', RULE, ['metadata', 'labels', ACME_SOLVER_LABEL], `"${solver}" is not an ACME solver this project knows: ${ACME_SOLVERS.join(' or ')}`));
    }
    const cert = http01Certificate(ingress);
    if (!cert) continue;
    const candidates = controllerCandidates(folder, ingress);
    if (candidates.length === 0) continue; // no backend in dist/, or only pods of the namespace reach it: nothing to compare with
    const policies = folder.ofKind('NetworkPolicy', ingress.namespace);
    const pods = cert.hosts.map((h) => solverPod(ingress, h));
    const port: TargetPort = { number: HTTP01_SOLVER.port, name: HTTP01_SOLVER.portName, protocol: 'TCP' };
    if (candidates.some((source) => pods.every((pod) => admits(policies, ingress.namespace, pod.labels, port, source)))) continue;
    findings.push(
      finding(
        ingress,
        'error',
        RULE,
        ['metadata', 'annotations', cert.annotation],
        `cert-manager answers the HTTP-01 challenge for ${cert.hosts.join(', ')} from a pod of this namespace ` +
          `(label acme.cert-manager.io/http01-solver: "true", TCP ${HTTP01_SOLVER.port}) that the ingress controller must reach, ` +
          `but the NetworkPolicies let none of the sources that reach the Ingress's backend (${candidates.map(describeSource).join('; ')}) reach it, ` +
          `so the certificate is never issued: allow the ingress controller in (ingress.acmeSolver: http01 renders that policy), ` +
          `or label the Ingress ${ACME_SOLVER_LABEL}: dns01 if the issuer uses DNS-01`,
      ),
    );
  }
  return findings;
}
