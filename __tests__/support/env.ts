import * as path from 'path';
import { stringify } from 'yaml';
import { Environment } from '../../config/schema';
import { loadEnvironments, parseEnvironment } from '../../lib/config/load';
import type { Manifest } from '../../lib/synth/render';
import { workerShared } from './worker-shared';

/** The project root. */
export const ROOT = path.resolve(__dirname, '..', '..');

/** A committed environment, validated with defaults filled in. */
export function committedEnvironment(name: string): Environment {
  return loadEnvironments(ROOT, [name])[0];
}

let committed: Environment[] | undefined;

/**
 * Every environment of config/environments/, as the loader reads them: tests
 * that speak of "each environment" take the list from here, never a list of
 * names, so adding an environment file adds it to them.
 */
export function committedEnvironments(): Environment[] {
  committed ??= loadEnvironments(ROOT, undefined, () => undefined);
  return committed;
}

/** The committed environments Argo CD deploys (target kubernetes), by name. */
export function kubernetesEnvironmentNames(): string[] {
  return committedEnvironments()
    .filter((e) => e.target === 'kubernetes')
    .map((e) => e.name);
}

/** The folders of dist/ a full synth writes: one per environment, and argocd/. */
export function distFolders(): string[] {
  return ['argocd', ...committedEnvironments().map((e) => e.name)].sort();
}

/** An environment made from a YAML-able object (as if it were `config/environments/<name>.yaml`); throws on problems. */
export function environmentFrom(settings: object, name = 'test'): Environment {
  const result = parseEnvironment(`config/environments/${name}.yaml`, stringify(settings));
  if ('problems' in result) throw new Error(result.problems.map((p) => `${p.key}: ${p.message}`).join('\n'));
  return result.environment;
}

/** A minimal valid environment, plus overrides. */
export function minimalEnvironment(overrides: object = {}, name = 'test'): Environment {
  return environmentFrom({ tier: 'staging', namespace: 'odoo-finder-test', image: { repository: 'ghcr.io/ai-odoofinder/api', tag: '1.0.0' }, ...overrides }, name);
}

/**
 * What each environment rendered, by the environment's settings: rendering is deterministic (synth.test.ts proves it).
 * Shared by the test files of a jest worker (worker-shared.ts); only copies are handed out.
 */
const rendered = workerShared<Manifest[]>('rendered-environments');

/** Every object the environment renders, as written to dist/: rendered once per jest worker, a fresh copy for each caller to change. */
export function manifestsOf(env: Environment): Manifest[] {
  const key = JSON.stringify(env);
  let manifests = rendered.get(key);
  if (!manifests) {
    // Loaded on first use: half the files that import this one only read environments, and need neither cdk8s nor the charts.
    const { decorate, renderManifests } = require('../../lib/synth/render') as typeof import('../../lib/synth/render');
    const { buildEnvironment } = require('../../charts') as typeof import('../../charts');
    manifests = decorate(renderManifests((app) => buildEnvironment(app, env)), env);
    rendered.set(key, manifests);
  }
  return structuredClone(manifests);
}

/** The one object of that kind and name; fails the test when it is missing. */
export function find(manifests: Manifest[], kind: string, name?: string): Manifest {
  const found = manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` "${name}"` : ''}, found ${found.length}`);
  return found[0];
}

export function findAll(manifests: Manifest[], kind: string): Manifest[] {
  return manifests.filter((m) => m.kind === kind);
}
