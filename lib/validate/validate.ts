import * as fs from 'fs';
import * as path from 'path';
import { environmentTarget } from '../config/target';
import { JOURNAL_FILE } from '../synth/write';
import { checkApiRules } from './api-rules';
import { checkArgoCd } from './argocd/applications';
import { checkArgoCdAnnotations } from './argocd/annotations';
import { checkDataRetention } from './argocd/data';
import { checkSyncHealth } from './argocd/health';
import { checkNamespaceRetries, checkRetries } from './argocd/retries';
import { checkNormalizedSources } from './argocd/source';
import { checkSyncSteps } from './argocd/sync-steps';
import { checkApplicationsAvoidCompose } from './compose/argocd';
import { checkComposeFolder } from './compose/check';
import { Finding, sortFindings } from './finding';
import { Folder } from './folder';
import { checkDashboards } from './monitoring/grafana';
import { checkPrometheusRule } from './monitoring/prometheus-rules';
import { checkAcmeSolver } from './network/acme-solver';
import { checkIngressExposure, checkServiceExposure } from './network/ingress-exposure';
import { checkPodSecurity } from './pod-security';
import { podTemplateOf } from './pod-fields';
import { checkContainers } from './practices/containers';
import { checkIngress } from './practices/ingress';
import { checkObject } from './practices/objects';
import { checkRedisAuth } from './practices/redis-auth';
import { checkWorkloads } from './practices/workloads';
import { checkMonitoringReferences } from './references/monitoring-refs';
import { checkDefaultDeny, checkNetworkPolicies } from './references/network-policies';
import { checkRollouts } from './references/rollouts';
import { checkServices } from './references/services';
import { checkWorkloadReferences } from './references/workload-refs';
import { describe, finding, parseResources, Resource } from './resource';
import { checkSchema } from './schema/check';
import { SchemaStore } from './schema/store';

/** One file of a folder of dist/, as text. */
export interface SourceFile {
  /** Path relative to the project root. */
  readonly file: string;
  readonly text: string;
}

/** Every finding about one folder of dist/. */
export function validateFolder(store: SchemaStore, name: string, files: readonly SourceFile[], shared: boolean): Finding[] {
  return checkFolder(store, name, files, shared).findings;
}

/** Every finding about one folder of dist/, with the objects read (the checklist runs the validator once through this). */
export function checkFolder(store: SchemaStore, name: string, files: readonly SourceFile[], shared: boolean): { findings: Finding[]; folder: Folder } {
  const findings: Finding[] = [];
  const resources: Resource[] = [];
  for (const f of files) {
    const parsed = parseResources(f.file, name, f.text);
    findings.push(...parsed.findings);
    resources.push(...parsed.resources);
  }
  const folder = new Folder(name, resources, shared);
  const seen = new Map<string, Resource>();
  for (const r of resources) {
    findings.push(...checkSchema(store, r), ...checkApiRules(r), ...checkArgoCdAnnotations(r), ...checkDataRetention(r));
    findings.push(...checkObject(r, namespacedKind(store, r), shared), ...checkIngress(r));
    const template = podTemplateOf(r);
    if (template) findings.push(...checkPodSecurity(template), ...checkContainers(template), ...checkRedisAuth(template));
    if (r.kind === 'PrometheusRule' && r.apiVersion.startsWith('monitoring.coreos.com/')) findings.push(...checkPrometheusRule(r));
    const key = `${r.apiVersion.split('/')[0]} ${describe(r)}`;
    const first = seen.get(key);
    if (first) findings.push(finding(r, 'error', 'duplicate', ['metadata', 'name'], `${describe(r)} is also defined in ${first.file}`));
    else seen.set(key, r);
  }
  findings.push(...checkWorkloads(folder), ...checkDashboards(folder.ofKind('ConfigMap')));
  if (!folder.shared) {
    findings.push(...checkServices(folder), ...checkWorkloadReferences(folder), ...checkMonitoringReferences(folder), ...checkNetworkPolicies(folder), ...checkDefaultDeny(folder), ...checkAcmeSolver(folder), ...checkRollouts(folder));
    findings.push(...checkSyncHealth(folder), ...checkIngressExposure(folder), ...checkServiceExposure(folder));
  }
  return { findings: sortFindings(findings), folder };
}

function namespacedKind(store: SchemaStore, r: Resource): boolean | undefined {
  const info = r.apiVersion && r.kind ? store.kind(r.apiVersion, r.kind) : undefined;
  return info?.found ? info.namespaced : undefined;
}

export interface DistReport {
  readonly findings: Finding[];
  /** Folders of dist/ validated, e.g. `['argocd', 'production', 'staging']`. */
  readonly folders: string[];
  readonly files: number;
}

/**
 * Validates `dist/`: the folders of the given environments, or all of its
 * folders. A folder is an environment when `config/environments/<folder>.yaml`
 * exists; the others (such as argocd) are shared folders.
 */
export function validateDist(root: string, environments?: readonly string[], store = new SchemaStore(root)): DistReport {
  const dist = path.join(root, 'dist');
  const envFolder = path.join(root, 'config', 'environments');
  const isEnvironment = (name: string) => fs.existsSync(path.join(envFolder, `${name}.yaml`));
  const present = fs.existsSync(dist) ? fs.readdirSync(dist, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort() : [];
  const wanted = environments ?? [...new Set([...present, ...(fs.existsSync(envFolder) ? fs.readdirSync(envFolder).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)) : [])])].sort();
  const findings: Finding[] = [];
  if (fs.existsSync(path.join(dist, JOURNAL_FILE))) {
    findings.push({ severity: 'error', rule: 'dist', file: `dist/${JOURNAL_FILE}`, object: '-', path: [], message: 'a synth is writing dist/ or was interrupted: run npm run synth, which restores dist/ first' });
  }
  if (wanted.length === 0) findings.push({ severity: 'error', rule: 'dist', file: 'dist', object: '-', path: [], message: 'nothing to validate: no environment and no folder in dist/' });
  let files = 0;
  const folders: Folder[] = [];
  const composeFolders: string[] = [];
  for (const name of wanted) {
    const folder = path.join(dist, name);
    if (!fs.existsSync(folder)) {
      findings.push({ severity: 'error', rule: 'dist', file: `dist/${name}`, object: '-', path: [], message: `folder missing: run npm run synth${isEnvironment(name) ? '' : ` (and check that config/environments/${name}.yaml exists)`}` });
      continue;
    }
    if (environmentTarget(root, name) === 'compose') {
      const compose = checkComposeFolder(root, name);
      findings.push(...compose.findings);
      files += compose.files;
      composeFolders.push(name);
      continue;
    }
    const sources: SourceFile[] = [];
    for (const entry of fs.readdirSync(folder).sort()) {
      const file = `dist/${name}/${entry}`;
      if (!/\.ya?ml$/.test(entry)) {
        findings.push({ severity: 'warning', rule: 'dist', file, object: '-', path: [], message: 'not a YAML file: Argo CD ignores it' });
        continue;
      }
      sources.push({ file, text: fs.readFileSync(path.join(folder, entry), 'utf8') });
    }
    files += sources.length;
    const checked = checkFolder(store, name, sources, !isEnvironment(name));
    findings.push(...checked.findings);
    folders.push(checked.folder);
  }
  findings.push(...checkArgoCd(folders, (r) => namespacedKind(store, r), environments === undefined), ...checkRetries(folders), ...checkNamespaceRetries(folders), ...checkNormalizedSources(folders), ...checkSyncSteps(folders));
  findings.push(...checkApplicationsAvoidCompose(folders, composeFolders));
  return { findings: sortFindings(findings), folders: [...wanted], files };
}
