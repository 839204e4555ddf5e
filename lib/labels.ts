import { Environment } from '../config/schema';

/** `app.kubernetes.io/part-of` of everything this repository deploys. */
export const PART_OF = 'ai-odoo-finder';

/** Who a set of pods is: the stable half of the recommended labels, safe to use in selectors. */
export interface WorkloadIdentity {
  /** `app.kubernetes.io/name`: the application, e.g. `ai-odoo-finder` or `postgresql`. */
  readonly name: string;
  /** `app.kubernetes.io/component`: its role, e.g. `api`, `database`, `cache`. */
  readonly component: string;
}

/**
 * Labels that select the pods of one component in one environment. They never
 * change between releases (no version, no hash), so a Deployment's immutable
 * `spec.selector` and the Service selector survive every rollout.
 */
export function selectorLabels(env: Environment, id: WorkloadIdentity): Record<string, string> {
  return {
    'app.kubernetes.io/name': id.name,
    'app.kubernetes.io/instance': `${PART_OF}-${env.name}`,
    'app.kubernetes.io/component': id.component,
  };
}

/**
 * Labels of the PersistentVolumeClaims a StatefulSet makes from its
 * volumeClaimTemplates: never `app.kubernetes.io/instance`, Argo CD's
 * tracking label. The claims have no owner reference, so with label tracking
 * Argo CD would take them for objects of the Application that left Git and
 * prune them, data included (argo-cd issues #3050, #1729).
 */
export function volumeClaimLabels(id: WorkloadIdentity): Record<string, string> {
  return { 'app.kubernetes.io/name': id.name, 'app.kubernetes.io/component': id.component, 'app.kubernetes.io/part-of': PART_OF };
}

/** The Kubernetes recommended labels of a component, for metadata and pod templates. */
export function recommendedLabels(env: Environment, id: WorkloadIdentity, version: string): Record<string, string> {
  return {
    ...selectorLabels(env, id),
    'app.kubernetes.io/version': labelValue(version),
    'app.kubernetes.io/part-of': PART_OF,
    'app.kubernetes.io/managed-by': 'cdk8s',
  };
}

/** A label value (at most 63 characters of [A-Za-z0-9_.-], alphanumeric at both ends) made from any string. */
function labelValue(text: string): string {
  return text
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}
