import { ApiObjectMetadata } from 'cdk8s';
import { isLabelValue, isObjectName, isQualifiedKey } from './kubernetes-syntax';

/**
 * The props every construct of lib/ shares, and the checks that go with them.
 * A construct checks its props before it renders anything and throws an Error
 * naming itself, the object and the prop (as cdk8s-plus constructs do), so a
 * mistake in a chart fails `npm run synth` with a sentence rather than in the
 * cluster.
 */

/** Metadata of the object a construct renders: the name is required (names are never generated). */
export interface ObjectMetadata extends ApiObjectMetadata {
  readonly name: string;
}

/** Props of every construct: its main object's metadata (name, labels, annotations). */
export interface ObjectProps {
  readonly metadata: ObjectMetadata;
}

/** Props of a construct that finds pods by their labels (Service, PDB, Rollout, and every workload). */
export interface SelectorProps extends ObjectProps {
  /** Stable labels that select the pods (`selectorLabels`: never the version). Never empty: that would select every pod of the namespace. */
  readonly selector: Record<string, string>;
}

/** Props of a construct that runs pods (workloads, Jobs, CronJobs). */
export interface PodProps extends ObjectProps {
  /** Labels of the pods (`recommendedLabels`): what NetworkPolicies and Services select them by. */
  readonly podLabels: Record<string, string>;
  /** ServiceAccount of the pods (their token is never mounted). */
  readonly serviceAccountName: string;
}

/** Props of a long-running workload: pods and the selector that finds them. */
export interface WorkloadProps extends PodProps, SelectorProps {}

/** Checks the props of one construct; every failure names the construct, the object and the prop. */
export class PropsCheck {
  constructor(
    private readonly construct: string,
    private readonly objectName: string,
  ) {}

  fail(prop: string, problem: string): never {
    throw new Error(`${this.construct} "${this.objectName}": ${prop} ${problem}`);
  }

  that(ok: boolean, prop: string, problem: string): this {
    if (!ok) this.fail(prop, problem);
    return this;
  }

  /** An object name (DNS-1123 subdomain). */
  name(prop: string, value: string): this {
    return this.that(isObjectName(value), prop, `is ${JSON.stringify(value)}, not a Kubernetes name: at most 253 lower-case letters, digits, '-' and '.'`);
  }

  /** Label keys and values as the API server accepts them. */
  labels(prop: string, labels: Readonly<Record<string, string>> | undefined): this {
    for (const [key, value] of Object.entries(labels ?? {})) {
      this.that(isQualifiedKey(key), prop, `has "${key}", not a label key ([prefix/]name, the name at most 63 letters, digits, '-', '_' or '.')`);
      this.that(isLabelValue(value), `${prop}.${key}`, `is "${value}", not a label value (at most 63 letters, digits, '-', '_' or '.', alphanumeric at both ends)`);
    }
    return this;
  }

  /** Labels that select pods: valid and not empty. */
  selector(prop: string, selector: Readonly<Record<string, string>>): this {
    this.that(Object.keys(selector).length > 0, prop, 'is empty: it would select every pod of the namespace');
    return this.labels(prop, selector);
  }

  /** A whole number within bounds; undefined passes (the construct's default applies). */
  integer(prop: string, value: number | undefined, bounds: { min: number; max?: number }): this {
    if (value === undefined) return this;
    const within = Number.isInteger(value) && value >= bounds.min && (bounds.max === undefined || value <= bounds.max);
    return this.that(within, prop, `is ${value}, not a whole number ${bounds.max === undefined ? `>= ${bounds.min}` : `from ${bounds.min} to ${bounds.max}`}`);
  }

  /** A list that must hold something. */
  nonEmpty(prop: string, values: readonly unknown[]): this {
    return this.that(values.length > 0, prop, 'is empty');
  }

  /** A string that must hold something. */
  text(prop: string, value: string): this {
    return this.that(value.trim().length > 0, prop, 'is empty');
  }

  object(props: ObjectProps): this {
    this.name('metadata.name', props.metadata.name);
    return this.labels('metadata.labels', props.metadata.labels);
  }

  pods(props: PodProps): this {
    this.object(props);
    this.name('serviceAccountName', props.serviceAccountName);
    return this.labels('podLabels', props.podLabels);
  }

  workload(props: WorkloadProps): this {
    this.pods(props).selector('selector', props.selector);
    // The API server refuses a workload whose selector does not select its own pod template.
    for (const [key, value] of Object.entries(props.selector)) {
      this.that(props.podLabels[key] === value, 'podLabels', `lack the selector's ${key}=${value}: the workload would not select its own pods`);
    }
    return this;
  }
}

/** The check of a construct's props, for the object they name: `checkProps('ApiDeployment', props).workload(props)`. */
export function checkProps(construct: string, props: ObjectProps): PropsCheck {
  return new PropsCheck(construct, props.metadata?.name ?? '(no name)');
}
