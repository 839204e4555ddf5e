import { arrayAt, stringAt } from '../../validate/access';
import { immutableChanges } from '../immutable';
import { formatDiffPath, Risk, startsWith } from '../model';
import { Assessment, ObjectDelta } from './delta';

/**
 * Where data lives: PersistentVolumeClaims, the StatefulSets that create them,
 * and the Namespace that holds them all. Removing one, or a change that can
 * only be applied by re-creating it, puts the data at risk.
 */
export function dataAtRisk(delta: ObjectDelta): Partial<Assessment> {
  const { before, after } = delta;
  const risks: Risk[] = [];
  if (before && !after) {
    if (before.kind === 'PersistentVolumeClaim') {
      risks.push({ kind: 'data', message: `PersistentVolumeClaim ${before.name} removed: once deleted, its volume and data go too (reclaim policy Delete, the default of dynamically provisioned volumes)` });
    } else if (before.kind === 'StatefulSet') {
      risks.push({ kind: 'data', message: `StatefulSet ${before.name} removed: its pods stop; ${claimsOnDelete(before.object)}` });
    } else if (before.kind === 'Namespace') {
      risks.push({ kind: 'data', message: `Namespace ${before.name} removed: deleting it deletes every object in it, PersistentVolumeClaims and their data included` });
    }
  }
  if (before && after) {
    if (after.kind === 'PersistentVolumeClaim' && immutableChanges(before, delta.fields)) {
      risks.push({ kind: 'data', message: `PersistentVolumeClaim ${after.name}: the change can only be applied by re-creating the claim, which means a new, empty volume` });
    }
    if (after.kind === 'StatefulSet') {
      if (delta.fields.some((f) => startsWith(f.path, ['spec', 'volumeClaimTemplates']))) {
        risks.push({ kind: 'data', message: `StatefulSet ${after.name}: volumeClaimTemplates changed; existing PVCs keep their old spec, only new ones get the new one, and applying it needs the StatefulSet re-created` });
      }
      const retention = delta.fields.find((f) => formatDiffPath(f.path).startsWith('spec.persistentVolumeClaimRetentionPolicy') && f.after === 'Delete');
      if (retention) {
        risks.push({ kind: 'data', message: `StatefulSet ${after.name}: ${formatDiffPath(retention.path)} becomes Delete: its PVCs, and their data, are deleted with it (or when it scales down)` });
      }
    }
  }
  return { risks };
}

/** What deleting a StatefulSet does to the claims of its volumeClaimTemplates. */
function claimsOnDelete(statefulSet: unknown): string {
  const claims = arrayAt(statefulSet, 'spec', 'volumeClaimTemplates').map((t) => stringAt(t, 'metadata', 'name')).filter(Boolean);
  if (claims.length === 0) return 'it has no volumeClaimTemplates';
  const policy = stringAt(statefulSet, 'spec', 'persistentVolumeClaimRetentionPolicy', 'whenDeleted') ?? 'Retain';
  return policy === 'Delete'
    ? `the PVCs of its volumeClaimTemplates (${claims.join(', ')}) and their data are deleted with it (persistentVolumeClaimRetentionPolicy.whenDeleted: Delete)`
    : `the PVCs of its volumeClaimTemplates (${claims.join(', ')}) stay (persistentVolumeClaimRetentionPolicy.whenDeleted: Retain); a StatefulSet of the same name reuses them`;
}
