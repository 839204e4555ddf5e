import * as fs from 'fs';
import { App, Chart, Testing } from 'cdk8s';
import { Manifest } from '../../lib/synth/render';

/**
 * What the constructs `build` adds to a fresh `Testing.chart()` render, as
 * cdk8s synthesizes it. Per-construct tests use it: one construct, minimal
 * props, no environment file and no real tool, so they stay cheap.
 */
export function synthConstruct(build: (chart: Chart) => void): Manifest[] {
  const chart = Testing.chart();
  try {
    build(chart);
    return Testing.synth(chart) as Manifest[];
  } finally {
    // Testing.app() makes an empty output folder for every chart; nothing is written there.
    fs.rmSync((chart.node.root as App).outdir, { recursive: true, force: true });
  }
}

/** The one object of that kind; throws (failing the test) when there is none or more than one. */
export function only(manifests: readonly Manifest[], kind: string): Manifest {
  const found = manifests.filter((m) => m.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length} (${manifests.map((m) => m.kind).join(', ')})`);
  return found[0];
}

/**
 * Expects `build` to throw the props error of `construct` about `prop`
 * (`<Construct> "<name>": <prop> <problem>`, lib/props.ts).
 */
export function expectPropsError(build: () => unknown, construct: string, prop: string): void {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  expect(build).toThrow(new RegExp(`^${escape(construct)} "[^"]*": ${escape(prop)} `));
}

/** Minimal props of a workload: metadata, selector, pod labels and ServiceAccount (lib/props.ts WorkloadProps). */
export const WORKLOAD = {
  metadata: { name: 'demo', labels: { 'app.kubernetes.io/name': 'demo', 'app.kubernetes.io/version': '1.0.0' } },
  selector: { 'app.kubernetes.io/name': 'demo' },
  podLabels: { 'app.kubernetes.io/name': 'demo', 'app.kubernetes.io/version': '1.0.0' },
  serviceAccountName: 'demo',
} as const;

/** The same without a selector, for Jobs and CronJobs (lib/props.ts PodProps). */
export const POD = { metadata: WORKLOAD.metadata, podLabels: WORKLOAD.podLabels, serviceAccountName: WORKLOAD.serviceAccountName } as const;

/** A small, valid resources section. */
export const RESOURCES = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } } as const;

/** A value at a path of a rendered object (the tests' way into untyped specs). */
export function at(m: Manifest, ...path: (string | number)[]): any { // any: rendered objects are untyped JSON
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], m);
}
