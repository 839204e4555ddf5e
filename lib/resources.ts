import { k8s } from 'cdk8s-plus-28';

/** Requests and limits in the environment file's shape (`resources:` sections). */
export interface ResourceSettings {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** A container's `resources` from the environment file's shape. */
export function resourceRequirements(r: ResourceSettings): k8s.ResourceRequirements {
  const q = (s: string) => k8s.Quantity.fromString(s);
  return {
    requests: { cpu: q(r.requests.cpu), memory: q(r.requests.memory) },
    limits: { cpu: q(r.limits.cpu), memory: q(r.limits.memory) },
  };
}
