import { PodTemplateFields, podTemplateOf } from './pod-fields';
import { Resource } from './resource';

/** The objects of one folder of dist/ (one environment, or a shared folder such as argocd). */
export class Folder {
  readonly templates: PodTemplateFields[];

  constructor(
    readonly name: string,
    readonly resources: readonly Resource[],
    /** Shared folders (dist/argocd/) hold objects for other namespaces: cross references are not required there. */
    readonly shared: boolean,
  ) {
    this.templates = resources.flatMap((r) => podTemplateOf(r) ?? []);
  }

  ofKind(kind: string, namespace?: string): Resource[] {
    return this.resources.filter((r) => r.kind === kind && (namespace === undefined || r.namespace === namespace));
  }

  find(kind: string, namespace: string | undefined, name: string): Resource | undefined {
    return this.resources.find((r) => r.kind === kind && r.namespace === namespace && r.name === name);
  }

  templatesIn(namespace: string | undefined): PodTemplateFields[] {
    return this.templates.filter((t) => t.resource.namespace === namespace);
  }
}
