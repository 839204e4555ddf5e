import { arrayAt, get, isObject, objectAt, stringAt } from '../access';
import { parseQuantity } from '../../config/quantity';
import { Finding } from '../finding';
import { ContainerRef, PodTemplateFields } from '../pod-fields';
import { finding } from '../resource';
import { secretLooking } from './secret-looking';

const PROBE_HANDLERS = ['httpGet', 'tcpSocket', 'exec', 'grpc'];

/** Container-level best practices of a pod template (ephemeral containers are debug tools and exempt). */
export function checkContainers(t: PodTemplateFields): Finding[] {
  const findings: Finding[] = [];
  const r = t.resource;
  const add = (severity: 'error' | 'warning', rule: string, path: (string | number)[], message: string) => findings.push(finding(r, severity, rule, path, message));
  for (const c of t.containers.filter((x) => x.list !== 'ephemeralContainers')) {
    const who = `container "${c.name}"`;
    const image = stringAt(c.container, 'image');
    const imageProblem = image === undefined ? 'has no image' : unpinnedImage(image);
    if (imageProblem) add('error', 'image-pinned', [...c.path, 'image'], `${who} ${imageProblem}`);

    for (const resource of ['cpu', 'memory']) {
      if (get(c.container, 'resources', 'requests', resource) === undefined) add('error', 'resource-requests', [...c.path, 'resources'], `${who} has no ${resource} request`);
    }
    if (get(c.container, 'resources', 'limits', 'memory') === undefined) add('error', 'memory-limit', [...c.path, 'resources'], `${who} has no memory limit`);
    for (const resource of ['cpu', 'memory']) {
      const request = quantity(get(c.container, 'resources', 'requests', resource));
      const limit = quantity(get(c.container, 'resources', 'limits', resource));
      if (request !== undefined && limit !== undefined && request > limit) {
        add('error', 'resource-requests', [...c.path, 'resources', 'requests', resource], `${who} requests more ${resource} than its limit (the API server rejects this)`);
      }
    }

    if (get(c.container, 'securityContext', 'readOnlyRootFilesystem') !== true) {
      add('error', 'read-only-root-fs', [...c.path, 'securityContext'], `${who} must set securityContext.readOnlyRootFilesystem to true (mount an emptyDir where it writes)`);
    }
    findings.push(...checkProbes(t, c));
    arrayAt(c.container, 'env').forEach((e, i) => {
      const name = stringAt(e, 'name') ?? '';
      const value = stringAt(e, 'value');
      const why = value === undefined ? undefined : secretLooking(name, value);
      if (why) add('error', 'secret-literal', [...c.path, 'env', i, 'value'], `${who} sets ${name} literally and ${why}: use valueFrom.secretKeyRef`);
    });
  }
  return findings;
}

function checkProbes(t: PodTemplateFields, c: ContainerRef): Finding[] {
  const findings: Finding[] = [];
  const r = t.resource;
  const who = `container "${c.name}"`;
  const readiness = objectAt(c.container, 'readinessProbe');
  const liveness = objectAt(c.container, 'livenessProbe');
  if (t.longRunning && c.list === 'containers') {
    if (!readiness) findings.push(finding(r, 'error', 'readiness-probe', c.path, `${who} of a long-running workload has no readinessProbe`));
    if (!liveness) findings.push(finding(r, 'warning', 'liveness-probe', c.path, `${who} of a long-running workload has no livenessProbe`));
  }
  if (readiness && liveness && sameHandler(readiness, liveness)) {
    findings.push(finding(r, 'error', 'probes-distinct', [...c.path, 'livenessProbe'], `${who} uses the same check for liveness and readiness: a dependency outage would restart every pod`));
  }
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    for (const handler of ['httpGet', 'tcpSocket']) {
      const port = get(c.container, probe, handler, 'port');
      const ports = arrayAt(c.container, 'ports');
      if (typeof port === 'string' && !/^\d+$/.test(port) && !ports.some((p) => stringAt(p, 'name') === port)) {
        findings.push(finding(r, 'error', 'probe-port', [...c.path, probe, handler, 'port'], `${who} has no port named "${port}" for its ${probe}`));
      }
    }
  }
  return findings;
}

function sameHandler(a: object, b: object): boolean {
  return PROBE_HANDLERS.some((h) => {
    const x = get(a, h);
    const y = get(b, h);
    return isObject(x) && isObject(y) && JSON.stringify(sortKeys(x)) === JSON.stringify(sortKeys(y));
  });
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
}

function quantity(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  return typeof value === 'string' ? parseQuantity(value) : undefined;
}

/** What is wrong with an image reference that is not pinned, or undefined: it needs a digest or a version tag. */
export function unpinnedImage(image: string): string | undefined {
  if (image.includes('@sha256:')) return undefined;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  if (colon < 0) return `image "${image}" has no tag: pin a version tag or a digest`;
  const tag = lastSegment.slice(colon + 1);
  if (tag.toLowerCase() === 'latest') return `image "${image}" uses the tag "latest": pin a version tag or a digest`;
  return undefined;
}
