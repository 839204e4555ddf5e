import { arrayAt, stringMap } from '../access';
import { Finding } from '../finding';
import { finding, Resource } from '../resource';
import { hookPhasesOf, syncOptionsOf } from './sync-options';

/** Argo CD's label tracking key (the default before Argo CD 3.0) and annotation tracking key. */
const TRACKING_LABEL = 'app.kubernetes.io/instance';
const TRACKING_ANNOTATION = 'argocd.argoproj.io/tracking-id';
/** Values of Prune and Delete that keep an object (`confirm` waits for a person). */
const KEEPS = new Set(['false', 'confirm']);

/**
 * Rules `argocd-claim-tracking` and `argocd-keep-data`: data must survive Argo CD.
 *
 * A StatefulSet copies its volumeClaimTemplate's metadata onto the PVCs it
 * makes, without an owner reference. With the tracking label (or annotation)
 * on them, Argo CD counts those PVCs as its own, finds them missing from Git
 * and prunes them (argo-cd issues #3050, #1729; util/argo/resource_tracking.go).
 *
 * Objects that hold data (a Namespace takes every PVC in it along when
 * deleted, a StatefulSet with volume claims, a PVC) need `Prune=false`, or a
 * removal from Git deletes them, and `Delete=false`, or deleting the
 * Application deletes them: `argocd app delete` and the UI cascade by
 * default (argo-cd server/application/application.go sets the resources
 * finalizer; controller/appcontroller.go `shouldBeDeleted` skips Delete=false).
 */
export function checkDataRetention(r: Resource): Finding[] {
  const findings: Finding[] = [];
  if (r.kind === 'StatefulSet') {
    arrayAt(r.object, 'spec', 'volumeClaimTemplates').forEach((t, i) => {
      const path = ['spec', 'volumeClaimTemplates', i, 'metadata'];
      const name = stringMap(t, 'metadata').name ?? `#${i}`;
      if (TRACKING_LABEL in stringMap(t, 'metadata', 'labels')) {
        findings.push(finding(r, 'error', 'argocd-claim-tracking', [...path, 'labels', TRACKING_LABEL],
          `volumeClaimTemplate "${name}" carries Argo CD's tracking label ${TRACKING_LABEL}: the StatefulSet copies it onto its PVCs (no owner reference), and Argo CD prunes them as objects that left Git. Leave it out`));
      }
      if (TRACKING_ANNOTATION in stringMap(t, 'metadata', 'annotations')) {
        findings.push(finding(r, 'error', 'argocd-claim-tracking', [...path, 'annotations', TRACKING_ANNOTATION],
          `volumeClaimTemplate "${name}" carries Argo CD's tracking annotation: the StatefulSet copies it onto its PVCs, and Argo CD prunes them as objects that left Git. Leave it out`));
      }
    });
  }
  if (holdsData(r) && hookPhasesOf(r).length === 0) {
    const options = syncOptionsOf(r);
    const missing = [
      ...(KEEPS.has(options.get('Prune') ?? '') ? [] : ['Prune=false (else a removal from Git, or a rename, prunes it)']),
      ...(KEEPS.has(options.get('Delete') ?? '') ? [] : ['Delete=false (else deleting the Application, which argocd app delete cascades by default, deletes it)']),
    ];
    if (missing.length > 0) {
      findings.push(finding(r, 'error', 'argocd-keep-data', ['metadata', 'annotations'],
        `${r.kind} "${r.name}" holds data${r.kind === 'Namespace' ? ' (deleting it deletes every PVC in it)' : ''}: add ${missing.join(' and ')} to argocd.argoproj.io/sync-options`));
    }
  }
  return findings;
}

function holdsData(r: Resource): boolean {
  return r.kind === 'Namespace' || r.kind === 'PersistentVolumeClaim' || (r.kind === 'StatefulSet' && arrayAt(r.object, 'spec', 'volumeClaimTemplates').length > 0);
}
