import { App } from 'cdk8s';
import { Document, Scalar, visit } from 'yaml';
import { Environment } from '../../config/schema';
import { readsAsStringEverywhere } from '../yaml/plain-scalar';

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
  return app.charts.flatMap((chart) => chart.toJson() as Manifest[]);
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

/**
 * Deterministic YAML (no line folding, no anchors, keys in the order the
 * constructs wrote them) that means the same to every reader.
 *
 * We read YAML 1.2; Kubernetes and Argo CD read YAML 1.1 through
 * sigs.k8s.io/yaml (go-yaml v2), where a plain `yes`, `no`, `on`, `~`,
 * `1_000` or `017` is not a string. So a string is quoted whenever a plain
 * scalar would read differently under any of them: the `yaml` package's own
 * `compat: 'yaml-1.1'` quotes what its YAML 1.1 schema would type
 * differently (booleans, sexagesimals, octals, underscores, timestamps, `<<`),
 * and `readsAsStringEverywhere` adds what go-yaml v2 reads beyond the spec
 * (`0X1F`, `0O17`, `-0o17`; see lib/yaml/go-yaml-v2.ts) and YAML 1.1's `=`.
 * The real readers check the result in __tests__/yaml/.
 */
export function toYaml(value: unknown): string {
  const doc = new Document(value, { aliasDuplicateObjects: false, compat: 'yaml-1.1' });
  visit(doc, {
    Pair(_key, pair) {
      if (pair.key instanceof Scalar) quoteIfAmbiguous(pair.key, true);
    },
    Scalar(key, node) {
      if (key !== 'key') quoteIfAmbiguous(node, false);
    },
  });
  return doc.toString({ lineWidth: 0, blockQuote: 'literal' });
}

function quoteIfAmbiguous(node: Scalar, asKey: boolean): void {
  // Multi-line strings become block scalars, which every reader takes as strings.
  if (typeof node.value === 'string' && !node.value.includes('\n') && !plainIsString(node.value, asKey)) node.type = Scalar.QUOTE_DOUBLE;
}

/**
 * `readsAsStringEverywhere`, remembered: the same keys and values (labels,
 * ports, names) recur in every object of every environment, and asking three
 * YAML readers about each was a tenth of a synth. Bounded, for long-lived processes.
 */
const plainIsStringCache = new Map<string, boolean>();
const PLAIN_CACHE_LIMIT = 100_000;

function plainIsString(text: string, asKey: boolean): boolean {
  const key = asKey ? `k${text}` : `v${text}`;
  let answer = plainIsStringCache.get(key);
  if (answer === undefined) {
    answer = readsAsStringEverywhere(text, asKey);
    if (plainIsStringCache.size >= PLAIN_CACHE_LIMIT) plainIsStringCache.clear();
    plainIsStringCache.set(key, answer);
  }
  return answer;
}
