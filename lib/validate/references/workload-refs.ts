import { arrayAt, get, objectAt, stringAt } from '../access';
import { Finding } from '../finding';
import { Folder } from '../folder';
import { PodTemplateFields, serviceAccountOf } from '../pod-fields';
import { finding, Resource } from '../resource';
import { selects } from '../selectors';

/**
 * What pod templates refer to exists in their namespace: ConfigMaps (and their
 * keys), ServiceAccounts, PersistentVolumeClaims. Secrets are not in dist/ by
 * design; when the folder has ExternalSecrets, secrets none of them creates are warned about.
 */
export function checkWorkloadReferences(folder: Folder): Finding[] {
  const findings: Finding[] = [];
  for (const t of folder.templates) findings.push(...checkTemplate(folder, t));
  for (const hpa of folder.ofKind('HorizontalPodAutoscaler')) {
    const ref = objectAt(hpa.object, 'spec', 'scaleTargetRef');
    const kind = stringAt(ref, 'kind') ?? '';
    const name = stringAt(ref, 'name') ?? '';
    const target = folder.find(kind, hpa.namespace, name);
    if (!target) findings.push(finding(hpa, 'error', 'hpa-target', ['spec', 'scaleTargetRef'], `${kind} "${name}" does not exist in namespace "${hpa.namespace}"`));
    else if (stringAt(ref, 'apiVersion') !== undefined && stringAt(ref, 'apiVersion') !== target.apiVersion) {
      findings.push(finding(hpa, 'error', 'hpa-target', ['spec', 'scaleTargetRef', 'apiVersion'], `${kind} "${name}" is ${target.apiVersion}, not ${stringAt(ref, 'apiVersion')}`));
    }
  }
  for (const pdb of folder.ofKind('PodDisruptionBudget')) {
    const selected = folder.templatesIn(pdb.namespace).filter((t) => selects(get(pdb.object, 'spec', 'selector'), t.labels));
    if (selected.length === 0) {
      findings.push(finding(pdb, 'error', 'pdb-selector', ['spec', 'selector'], `selects no pods: no pod template in namespace "${pdb.namespace}" matches it`));
    } else {
      findings.push(...checkDisruptionsAllowed(folder, pdb, selected), ...checkCountable(pdb, selected));
    }
  }
  return findings;
}

/** A PDB that never allows a voluntary disruption blocks every node drain, so cluster upgrades stall. */
function checkDisruptionsAllowed(folder: Folder, pdb: Resource, selected: PodTemplateFields[]): Finding[] {
  const maxUnavailable = get(pdb.object, 'spec', 'maxUnavailable');
  const minAvailable = get(pdb.object, 'spec', 'minAvailable');
  const replicas = Math.min(...selected.map((t) => expectedReplicas(folder, t)));
  const blocks =
    maxUnavailable === 0 || maxUnavailable === '0%' || minAvailable === '100%' || (typeof minAvailable === 'number' && minAvailable >= replicas);
  if (!blocks) return [];
  const field = maxUnavailable !== undefined ? 'maxUnavailable' : 'minAvailable';
  const pods = Number.isFinite(replicas) ? ` of ${replicas} pod(s)` : '';
  return [finding(pdb, 'error', 'pdb-disruptions', ['spec', field], `allows no voluntary disruption${pods}, so it blocks every node drain: allow at least one pod to be evicted`)];
}

/**
 * Kinds whose pods the disruption controller can count against a budget that
 * needs the expected number of pods: it asks each pod's controller for its
 * replicas, from the ReplicaSet (or the Deployment above it), StatefulSet,
 * ReplicationController or else the owner's /scale subresource (kubernetes
 * pkg/controller/disruption/disruption.go `finders`, `getScaleController`).
 * An Argo Rollout's pods belong to its ReplicaSets.
 */
const COUNTABLE_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController', 'Rollout']);

/**
 * Rule `pdb-scale`: a budget with maxUnavailable or a percentage minAvailable
 * selects no pod of a Job, CronJob, DaemonSet or bare Pod (hooks included).
 * For those it fails with SyncFailed ("jobs.batch does not implement the scale
 * subresource"): disruptionsAllowed stays 0, so no drain evicts what it
 * protects, and Argo CD reports it Degraded (argo-cd
 * resource_customizations/policy/PodDisruptionBudget/health.lua), which fails
 * a sync step while such a pod runs.
 */
function checkCountable(pdb: Resource, selected: PodTemplateFields[]): Finding[] {
  const minAvailable = get(pdb.object, 'spec', 'minAvailable');
  const field = get(pdb.object, 'spec', 'maxUnavailable') !== undefined ? 'maxUnavailable' : typeof minAvailable === 'string' && minAvailable.endsWith('%') ? 'a percentage minAvailable' : undefined;
  if (!field) return [];
  return selected
    .filter((t) => !COUNTABLE_KINDS.has(t.resource.kind))
    .map((t) =>
      finding(pdb, 'error', 'pdb-scale', ['spec', 'selector'],
        `selects the pods of ${t.resource.kind} "${t.resource.name}", whose controller has no /scale: with ${field} the disruption controller cannot count the expected pods and the budget fails (SyncFailed, ` +
          'disruptionsAllowed 0: no drain evicts the pods it protects; kubernetes pkg/controller/disruption/disruption.go), which Argo CD reports as Degraded (PodDisruptionBudget/health.lua). Give those pods labels the budget does not select, or use an integer minAvailable'),
    );
}

/** The replica count a workload runs with at least: HPA minReplicas, spec.replicas, or 1 (DaemonSets: unknown). */
function expectedReplicas(folder: Folder, t: PodTemplateFields): number {
  const r = t.resource;
  if (r.kind === 'DaemonSet') return Infinity;
  const hpa = folder.ofKind('HorizontalPodAutoscaler', r.namespace).find((h) => stringAt(h.object, 'spec', 'scaleTargetRef', 'name') === r.name && stringAt(h.object, 'spec', 'scaleTargetRef', 'kind') === r.kind);
  const min = get(hpa?.object, 'spec', 'minReplicas');
  if (hpa) return typeof min === 'number' ? min : 1;
  const replicas = get(r.object, 'spec', 'replicas');
  return typeof replicas === 'number' ? replicas : 1;
}

/**
 * The keys the Secret of an ExternalSecret gets, as external-secrets writes them
 * (pkg/controllers/externalsecret/externalsecret_controller_template.go ApplyTemplate):
 * the fetched `data` keys without a template, or with mergePolicy Merge, or with a
 * template that has no data; plus the template's `data` keys. Undefined when they
 * cannot be known here (dataFrom, templateFrom, a Merge creation policy keeping what the Secret had).
 */
function keysWritten(externalSecret: Resource): Set<string> | undefined {
  const spec = objectAt(externalSecret.object, 'spec');
  const template = objectAt(spec, 'target', 'template');
  const creation = stringAt(spec, 'target', 'creationPolicy');
  if (arrayAt(spec, 'dataFrom').length > 0 || arrayAt(template, 'templateFrom').length > 0 || creation === 'Merge' || creation === 'CreateOrMerge') return undefined;
  const fetched = arrayAt(spec, 'data').flatMap((d) => stringAt(d, 'secretKey') ?? []);
  const templated = Object.keys(objectAt(template, 'data') ?? {});
  const keepsFetched = !template || templated.length === 0 || stringAt(template, 'mergePolicy') === 'Merge';
  return new Set([...templated, ...(keepsFetched ? fetched : [])]);
}

function checkTemplate(folder: Folder, t: PodTemplateFields): Finding[] {
  const findings: Finding[] = [];
  const r = t.resource;
  const ns = r.namespace;
  const configMap = (name: string) => folder.find('ConfigMap', ns, name);
  const secretsMade = new Set(folder.ofKind('ExternalSecret', ns).map((e) => stringAt(e.object, 'spec', 'target', 'name') ?? e.name));
  const checkSecret = (name: string | undefined, optional: unknown, path: (string | number)[]) => {
    if (name && optional !== true && folder.ofKind('ExternalSecret').length > 0 && !secretsMade.has(name)) {
      findings.push(finding(r, 'warning', 'secret-ref', path, `Secret "${name}" is made by no ExternalSecret here: it must exist in the cluster beforehand`));
    }
  };
  // Rule secret-key-ref: the kubelet does not start a container whose secretKeyRef names a key the Secret lacks
  // (CreateContainerConfigError "couldn't find key"); for a Secret one of the folder's ExternalSecrets writes, its keys are known.
  const checkSecretKey = (name: string | undefined, key: string | undefined, optional: unknown, path: (string | number)[]) => {
    if (!name || !key || optional === true) return;
    const made = folder.ofKind('ExternalSecret', ns).find((e) => (stringAt(e.object, 'spec', 'target', 'name') ?? e.name) === name);
    const keys = made && keysWritten(made);
    if (keys && !keys.has(key)) {
      findings.push(finding(r, 'error', 'secret-key-ref', path, `Secret "${name}" gets no key "${key}" from ExternalSecret "${made.name}" (it writes ${[...keys].sort().join(', ') || 'none'}): the container does not start (CreateContainerConfigError)`));
    }
  };
  const checkConfigMap = (name: string | undefined, key: string | undefined, optional: unknown, path: (string | number)[]) => {
    if (!name || optional === true) return;
    const cm = configMap(name);
    if (!cm) findings.push(finding(r, 'error', 'configmap-ref', path, `ConfigMap "${name}" does not exist in namespace "${ns}" (mark the reference optional if that is intended)`));
    else if (key !== undefined && get(cm.object, 'data', key) === undefined && get(cm.object, 'binaryData', key) === undefined) {
      findings.push(finding(r, 'error', 'configmap-ref', path, `ConfigMap "${name}" has no key "${key}"`));
    }
  };
  for (const c of t.containers) {
    arrayAt(c.container, 'envFrom').forEach((e, i) => {
      checkConfigMap(stringAt(e, 'configMapRef', 'name'), undefined, get(e, 'configMapRef', 'optional'), [...c.path, 'envFrom', i, 'configMapRef', 'name']);
      checkSecret(stringAt(e, 'secretRef', 'name'), get(e, 'secretRef', 'optional'), [...c.path, 'envFrom', i, 'secretRef', 'name']);
    });
    arrayAt(c.container, 'env').forEach((e, i) => {
      const cmRef = objectAt(e, 'valueFrom', 'configMapKeyRef');
      if (cmRef) checkConfigMap(stringAt(cmRef, 'name'), stringAt(cmRef, 'key'), get(cmRef, 'optional'), [...c.path, 'env', i, 'valueFrom', 'configMapKeyRef']);
      const secretRef = objectAt(e, 'valueFrom', 'secretKeyRef');
      if (secretRef) {
        checkSecret(stringAt(secretRef, 'name'), get(secretRef, 'optional'), [...c.path, 'env', i, 'valueFrom', 'secretKeyRef', 'name']);
        checkSecretKey(stringAt(secretRef, 'name'), stringAt(secretRef, 'key'), get(secretRef, 'optional'), [...c.path, 'env', i, 'valueFrom', 'secretKeyRef', 'key']);
      }
    });
  }
  const claimTemplates = new Set(arrayAt(r.object, 'spec', 'volumeClaimTemplates').map((v) => stringAt(v, 'metadata', 'name')));
  arrayAt(t.spec, 'volumes').forEach((v, i) => {
    const path = [...t.specPath, 'volumes', i];
    const cm = objectAt(v, 'configMap');
    if (cm) {
      checkConfigMap(stringAt(cm, 'name'), undefined, get(cm, 'optional'), [...path, 'configMap', 'name']);
      arrayAt(cm, 'items').forEach((item, j) => checkConfigMap(stringAt(cm, 'name'), stringAt(item, 'key'), get(cm, 'optional'), [...path, 'configMap', 'items', j, 'key']));
    }
    arrayAt(v, 'projected', 'sources').forEach((s, j) => {
      const pcm = objectAt(s, 'configMap');
      if (pcm) checkConfigMap(stringAt(pcm, 'name'), undefined, get(pcm, 'optional'), [...path, 'projected', 'sources', j, 'configMap', 'name']);
    });
    const secret = objectAt(v, 'secret');
    if (secret) checkSecret(stringAt(secret, 'secretName'), get(secret, 'optional'), [...path, 'secret', 'secretName']);
    const claim = stringAt(v, 'persistentVolumeClaim', 'claimName');
    if (claim && !folder.find('PersistentVolumeClaim', ns, claim) && !claimTemplates.has(claim)) {
      findings.push(finding(r, 'error', 'pvc-ref', [...path, 'persistentVolumeClaim', 'claimName'], `PersistentVolumeClaim "${claim}" does not exist in namespace "${ns}"`));
    }
  });
  const governing = r.kind === 'StatefulSet' ? stringAt(r.object, 'spec', 'serviceName') : undefined;
  if (governing && !folder.find('Service', ns, governing)) {
    findings.push(finding(r, 'error', 'statefulset-service', ['spec', 'serviceName'], `Service "${governing}" (the StatefulSet's governing headless Service) does not exist in namespace "${ns}"`));
  }
  const account = serviceAccountOf(t);
  if (account && account.name !== 'default' && !folder.find('ServiceAccount', ns, account.name)) {
    findings.push(finding(r, 'error', 'service-account-ref', account.path, `ServiceAccount "${account.name}" does not exist in namespace "${ns}"`));
  }
  return findings;
}
