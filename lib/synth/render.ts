import { App, Chart } from 'cdk8s';
import { Environment } from '../../config/schema';
import { toYaml } from '../yaml/writer';

export { toYaml };

/** A Kubernetes object as it is written to dist/. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** The files of one folder of dist/, by file name. */
export type FolderFiles = Map<string, string>;

/** Runs `build` in a fresh cdk8s App and returns every object of every chart, in construct order. */
export function renderManifests(build: (app: App) => void): Manifest[] {
  const app = new App();
  build(app);
  return app.charts.flatMap(chartManifests);
}

const renderedCharts = new WeakMap<Chart, Manifest[]>();

/**
 * A chart's objects (`chart.toJson()`), rendered once: a build that reads
 * some charts' objects (buildEnvironment finds the Secret keys they read)
 * and renderManifests then get the same objects, which were a fifth of a
 * synth to render twice. Read a chart only once nothing more is added to it.
 */
export function chartManifests(chart: Chart): Manifest[] {
  let manifests = renderedCharts.get(chart);
  if (manifests === undefined) {
    manifests = chart.toJson() as Manifest[];
    renderedCharts.set(chart, manifests);
  }
  return manifests;
}

/** Adds the environment's extra labels and annotations to every object, without overriding what a construct set. */
export function decorate(manifests: Manifest[], env: Environment): Manifest[] {
  for (const m of manifests) {
    const labels = { ...env.labels, ...m.metadata.labels };
    const annotations = { ...env.annotations, ...m.metadata.annotations };
    m.metadata = {
      ...m.metadata,
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    };
  }
  return manifests;
}

/** The file of dist/<env>/ an object is written to. */
export function fileNameOf(m: Pick<Manifest, 'kind' | 'metadata'>): string {
  return `${m.kind.toLowerCase()}-${m.metadata.name}.yaml`;
}

/** One YAML file per object, named `<kind>-<name>.yaml`; two objects that would share a file are an error. */
export function toFiles(manifests: readonly Manifest[]): FolderFiles {
  const files = new Map<string, string>();
  for (const m of manifests) {
    const file = fileNameOf(m);
    if (files.has(file)) throw new Error(`two objects would be written to ${file}: ${m.kind} "${m.metadata.name}" is defined twice`);
    files.set(file, toYaml(m));
  }
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
