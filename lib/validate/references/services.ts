import { arrayAt, get, stringAt, stringMap } from '../access';
import { Finding } from '../finding';
import { Folder } from '../folder';
import { podListensOn } from '../pod-fields';
import { finding, Resource } from '../resource';
import { mapSelects } from '../selectors';

/** Services select pods that listen on their target ports; Ingress backends are Service ports. */
export function checkServices(folder: Folder): Finding[] {
  const findings: Finding[] = [];
  for (const service of folder.ofKind('Service')) {
    const selector = stringMap(service.object, 'spec', 'selector');
    if (Object.keys(selector).length === 0) continue; // ExternalName or hand-managed endpoints
    const selected = folder.templatesIn(service.namespace).filter((t) => mapSelects(selector, t.labels));
    if (selected.length === 0) {
      findings.push(finding(service, 'error', 'service-selector', ['spec', 'selector'], `selects no pods: no pod template in namespace "${service.namespace}" has the labels ${JSON.stringify(selector)}`));
      continue;
    }
    arrayAt(service.object, 'spec', 'ports').forEach((p, i) => {
      const target = get(p, 'targetPort') ?? get(p, 'port');
      if (typeof target !== 'string' && typeof target !== 'number') return;
      const port = typeof target === 'string' && /^\d+$/.test(target) ? Number(target) : target;
      const protocol = stringAt(p, 'protocol') ?? 'TCP';
      for (const t of selected) {
        if (!podListensOn(t, port, protocol)) {
          findings.push(finding(service, 'error', 'service-target-port', ['spec', 'ports', i, get(p, 'targetPort') === undefined ? 'port' : 'targetPort'],
            `targets port ${JSON.stringify(port)}/${protocol}, but no container of ${t.resource.kind} "${t.resource.name}" declares it`));
        }
      }
    });
  }
  for (const ingress of folder.ofKind('Ingress')) {
    const backends: [(string | number)[], unknown][] = [];
    if (get(ingress.object, 'spec', 'defaultBackend') !== undefined) backends.push([['spec', 'defaultBackend'], get(ingress.object, 'spec', 'defaultBackend')]);
    arrayAt(ingress.object, 'spec', 'rules').forEach((rule, i) =>
      arrayAt(rule, 'http', 'paths').forEach((p, j) => backends.push([['spec', 'rules', i, 'http', 'paths', j, 'backend'], get(p, 'backend')])),
    );
    for (const [path, backend] of backends) findings.push(...checkBackend(folder, ingress, path, backend));
  }
  return findings;
}

function checkBackend(folder: Folder, ingress: Resource, path: (string | number)[], backend: unknown): Finding[] {
  const name = stringAt(backend, 'service', 'name');
  if (name === undefined) return []; // a resource backend
  const service = folder.find('Service', ingress.namespace, name);
  if (!service) return [finding(ingress, 'error', 'ingress-backend', [...path, 'service', 'name'], `Service "${name}" does not exist in namespace "${ingress.namespace}"`)];
  const ports = arrayAt(service.object, 'spec', 'ports');
  const portName = stringAt(backend, 'service', 'port', 'name');
  const portNumber = get(backend, 'service', 'port', 'number');
  if (portName !== undefined && !ports.some((p) => stringAt(p, 'name') === portName)) {
    return [finding(ingress, 'error', 'ingress-backend', [...path, 'service', 'port', 'name'], `Service "${name}" has no port named "${portName}"`)];
  }
  if (portNumber !== undefined && !ports.some((p) => get(p, 'port') === portNumber)) {
    return [finding(ingress, 'error', 'ingress-backend', [...path, 'service', 'port', 'number'], `Service "${name}" has no port ${String(portNumber)}`)];
  }
  return [];
}
