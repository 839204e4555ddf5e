import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { arrayAt, get, objectAt, stringAt } from '../access';
import { createAjv } from './ajv';
import { prepareCrdSchema, prepareKubernetesDefinitions } from './prepare';
import { pruneSchema } from './prune';

/** Where the schemas are, relative to the project root (see schemas/SOURCES.md). */
const KUBERNETES_DEFINITIONS = path.join('schemas', 'kubernetes', 'kubernetes-1.28-definitions.json');
const CRD_FOLDER = path.join('schemas', 'crds');
/** Parsed copies of the CRDs (git-ignored, rebuilt when a CRD changes). */
const SCHEMA_CACHE = path.join('.build', 'schema-cache');

/** Kubernetes kinds that are not namespaced (custom resources say so in their CRD). */
const CLUSTER_SCOPED_NATIVE = new Set([
  'APIService', 'CertificateSigningRequest', 'ClusterCIDR', 'ClusterRole', 'ClusterRoleBinding', 'ClusterTrustBundle',
  'ComponentStatus', 'CSIDriver', 'CSINode', 'CustomResourceDefinition', 'FlowSchema', 'IngressClass', 'IPAddress',
  'MutatingWebhookConfiguration', 'Namespace', 'Node', 'PersistentVolume', 'PriorityClass', 'PriorityLevelConfiguration',
  'RuntimeClass', 'SelfSubjectAccessReview', 'SelfSubjectReview', 'SelfSubjectRulesReview', 'StorageClass', 'StorageVersion',
  'SubjectAccessReview', 'TokenReview', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration', 'VolumeAttachment',
]);

/** What the schemas say about one `apiVersion` + `kind`. */
export type KindInfo =
  | { readonly found: true; readonly namespaced: boolean; readonly validate: (object: unknown) => ErrorObject[]; readonly deprecation?: string }
  | { readonly found: false; readonly message: string };

interface CrdVersion {
  readonly schema: Record<string, unknown>;
  readonly served: boolean;
  readonly deprecated: boolean;
  readonly deprecationWarning?: string;
}

interface CrdEntry {
  /** Absolute path of the CRD file. */
  readonly path: string;
  /** Its name in schemas/crds/. */
  readonly file: string;
  readonly group: string;
  readonly kind: string;
  readonly namespaced: boolean;
  versions?: Map<string, CrdVersion>;
}

/**
 * The Kubernetes 1.28 schema and the vendored CRDs, read from the project.
 * Everything expensive (parsing a CRD, compiling a schema) happens once, on
 * first use of a kind, so a run pays only for the kinds it meets.
 */
export class SchemaStore {
  private readonly ajv: Ajv;
  /** `group/version Kind` → definition name, from `x-kubernetes-group-version-kind`. */
  private readonly native = new Map<string, string>();
  private readonly nativeKinds = new Map<string, string[]>();
  /** `group Kind` → CRD. */
  private readonly crds = new Map<string, CrdEntry>();
  private readonly compiled = new Map<string, KindInfo>();
  private readonly cacheFolder: string;
  private readonly prunedCache = new Map<string, ValidateFunction>();

  constructor(root: string) {
    this.cacheFolder = path.join(root, SCHEMA_CACHE);
    const file = path.join(root, KUBERNETES_DEFINITIONS);
    const definitions = (JSON.parse(fs.readFileSync(file, 'utf8')) as { definitions: Record<string, Record<string, unknown>> }).definitions;
    for (const [name, def] of Object.entries(definitions)) {
      for (const gvk of arrayAt(def, 'x-kubernetes-group-version-kind')) {
        const apiVersion = apiVersionOf(stringAt(gvk, 'group') ?? '', stringAt(gvk, 'version') ?? '');
        const kind = stringAt(gvk, 'kind') ?? '';
        this.native.set(`${apiVersion} ${kind}`, name);
        this.nativeKinds.set(kind, [...(this.nativeKinds.get(kind) ?? []), apiVersion]);
      }
    }
    this.ajv = createAjv();
    this.ajv.addSchema({ $id: 'k8s', definitions: prepareKubernetesDefinitions(definitions) });
    const crdFolder = path.join(root, CRD_FOLDER);
    for (const name of fs.readdirSync(crdFolder).filter((f) => /\.ya?ml$/.test(f)).sort()) {
      const entry = readCrdHeader(path.join(crdFolder, name));
      const twin = this.crds.get(`${entry.group} ${entry.kind}`);
      if (twin) throw new Error(`${CRD_FOLDER}: ${twin.file} and ${name} both define ${entry.kind} in ${entry.group}: keep one`);
      this.crds.set(`${entry.group} ${entry.kind}`, entry);
    }
  }

  /** The schema of an object of that apiVersion and kind, compiled on first use. */
  kind(apiVersion: string, kind: string): KindInfo {
    const key = `${apiVersion} ${kind}`;
    let info = this.compiled.get(key);
    if (!info) {
      info = this.lookup(apiVersion, kind);
      this.compiled.set(key, info);
    }
    return info;
  }

  /** A CRD schema cut down to what the object uses (see pruneSchema), compiled once per distinct result. */
  private compilePruned(schema: Record<string, unknown>, object: unknown): ValidateFunction {
    const pruned = pruneSchema(schema, [object]);
    const key = JSON.stringify(pruned);
    let validate = this.prunedCache.get(key);
    if (!validate) {
      validate = this.ajv.compile(pruned);
      this.prunedCache.set(key, validate);
    }
    return validate;
  }

  private lookup(apiVersion: string, kind: string): KindInfo {
    const definition = this.native.get(`${apiVersion} ${kind}`);
    if (definition) {
      const validate = this.ajv.compile({ $ref: `k8s#/definitions/${definition}` });
      return { found: true, namespaced: !CLUSTER_SCOPED_NATIVE.has(kind), validate: (object) => errorsOf(validate, object) };
    }
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    const version = apiVersion.slice(apiVersion.indexOf('/') + 1);
    const crd = this.crds.get(`${group} ${kind}`);
    if (crd) {
      const versions = loadCrdVersions(crd, this.cacheFolder);
      const v = versions.get(version);
      const served = [...versions].filter(([, x]) => x.served).map(([name]) => `${group}/${name}`);
      if (!v) return { found: false, message: `${kind} has no version ${version} in ${path.join(CRD_FOLDER, crd.file)} (served: ${served.join(', ')})` };
      if (!v.served) return { found: false, message: `${apiVersion} ${kind} is not served by its CRD any more: use apiVersion ${served.join(' or ')}` };
      const schema = prepareCrdSchema(v.schema);
      const validate = (object: unknown) => errorsOf(this.compilePruned(schema, object), object);
      const deprecation = v.deprecated ? v.deprecationWarning ?? `${apiVersion} ${kind} is deprecated: use apiVersion ${served.filter((s) => s !== apiVersion).join(' or ')}` : undefined;
      return { found: true, namespaced: crd.namespaced, validate, deprecation };
    }
    const known = this.nativeKinds.get(kind) ?? [...this.crds.values()].filter((c) => c.kind === kind).map((c) => `a custom resource of API group ${c.group}`);
    const hint = known.length > 0
      ? `${kind} exists as ${known.join(', ')}`
      : `add its CRD to ${CRD_FOLDER}/ (and record its source in schemas/SOURCES.md)`;
    return { found: false, message: `no schema for apiVersion ${apiVersion} kind ${kind} in Kubernetes 1.28 or the vendored CRDs: ${hint}` };
  }
}

function errorsOf(validate: ValidateFunction, object: unknown): ErrorObject[] {
  return validate(object) ? [] : [...(validate.errors ?? [])];
}

function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/**
 * Group, kind and scope of a CRD without parsing its (large) schemas: the YAML
 * up to `versions:` is enough. Falls back to the whole file if it is not.
 */
function readCrdHeader(file: string): CrdEntry {
  const text = fs.readFileSync(file, 'utf8');
  const cut = text.search(/^ {2}versions:/m);
  let crd: unknown = cut > 0 ? safeParse(text.slice(0, cut)) : undefined;
  if (!stringAt(crd, 'spec', 'group') || !stringAt(crd, 'spec', 'names', 'kind') || !stringAt(crd, 'spec', 'scope')) crd = parse(text);
  const group = stringAt(crd, 'spec', 'group');
  const kind = stringAt(crd, 'spec', 'names', 'kind');
  if (stringAt(crd, 'kind') !== 'CustomResourceDefinition' || !group || !kind) {
    throw new Error(`${file}: not a CustomResourceDefinition with spec.group and spec.names.kind`);
  }
  return { path: file, file: path.basename(file), group, kind, namespaced: stringAt(crd, 'spec', 'scope') !== 'Cluster' };
}

function safeParse(text: string): unknown {
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}

function loadCrdVersions(crd: CrdEntry, cacheFolder: string): Map<string, CrdVersion> {
  crd.versions ??= crdVersionsOf(readYamlCached(crd.path, cacheFolder));
  return crd.versions;
}

/**
 * A YAML file as data, through a JSON copy in `cacheFolder` named by the
 * file's hash: JSON reads in milliseconds where the large CRDs take the YAML
 * parser about 0.4 s each. A cache that cannot be written is only slower.
 */
function readYamlCached(file: string, cacheFolder: string): unknown {
  const text = fs.readFileSync(file, 'utf8');
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const cached = path.join(cacheFolder, `${path.basename(file)}.${hash}.json`);
  if (fs.existsSync(cached)) return JSON.parse(fs.readFileSync(cached, 'utf8'));
  const data: unknown = parse(text);
  try {
    fs.mkdirSync(cacheFolder, { recursive: true });
    const temporary = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(data));
    fs.renameSync(temporary, cached);
  } catch {
    // read-only checkout: validate without the cache
  }
  return data;
}

function crdVersionsOf(document: unknown): Map<string, CrdVersion> {
  const versions = new Map<string, CrdVersion>();
  for (const v of arrayAt(document, 'spec', 'versions')) {
    const name = stringAt(v, 'name');
    const schema = objectAt(v, 'schema', 'openAPIV3Schema');
    if (!name || !schema) continue;
    versions.set(name, {
      schema,
      served: get(v, 'served') === true,
      deprecated: get(v, 'deprecated') === true,
      deprecationWarning: stringAt(v, 'deprecationWarning'),
    });
  }
  return versions;
}
