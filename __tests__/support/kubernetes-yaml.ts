import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { findTool, TOOLS } from './tools';

/** What Kubernetes made of one file: YAMLToJSON's JSON (or its error) and YAMLToJSONStrict's error, if any. */
export interface KubernetesReading {
  readonly file: string;
  readonly json: unknown;
  readonly error?: string;
  readonly strictError?: string;
}

export type KubernetesYamlReader = (files: readonly string[]) => KubernetesReading[];

const SOURCE = path.join(__dirname, 'kubernetes-yaml', 'main.go');
/** Debian installs the Go sources of golang-*-dev packages here; GOPATH mode builds from them offline. */
const GOPATH = '/usr/share/gocode';
const BATCH = 200;

/**
 * Kubernetes' own YAML reader (sigs.k8s.io/yaml, go-yaml v2) as a program
 * the tests run: undefined where Go or the sources are missing (the caller
 * skips with `missingToolMessage('kubernetesYaml')`; with CI=true findTool
 * throws). The binary is built once and kept in the OS temp folder under a
 * hash of the program, the Go sources and the Go version, so every test
 * file of a run (and the next runs) reuse it.
 */
export function kubernetesYamlReader(): KubernetesYamlReader | undefined {
  const go = findTool('kubernetesYaml');
  if (!go) return undefined;
  const binary = build(go);
  return (files) => {
    const readings: KubernetesReading[] = [];
    for (let i = 0; i < files.length; i += BATCH) {
      const out = execFileSync(binary, files.slice(i, i + BATCH), { encoding: 'utf8', timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
      readings.push(...out.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as KubernetesReading));
    }
    if (readings.length !== files.length) throw new Error(`yaml2json answered ${readings.length} times for ${files.length} files`);
    return readings;
  };
}

function build(go: string): string {
  const hash = crypto.createHash('sha256');
  hash.update(fs.readFileSync(SOURCE));
  for (const f of TOOLS.kubernetesYaml.files) hash.update(fs.readFileSync(f));
  hash.update(execFileSync(go, ['version']));
  // Kept between runs beside the other tools' caches (a test run's TMPDIR is removed at its end, run-setup.js).
  const dir = path.join(__dirname, '..', '..', 'node_modules', '.cache', 'odoo-finder-deploy', 'kubernetes-yaml');
  const binary = path.join(dir, `yaml2json-${hash.digest('hex').slice(0, 16)}`);
  if (fs.existsSync(binary)) return binary;
  fs.mkdirSync(dir, { recursive: true });
  // Several jest workers may build at once: each writes its own file, the rename is atomic.
  const partial = `${binary}.${process.pid}.partial`;
  execFileSync(go, ['build', '-o', partial, SOURCE], {
    env: { ...process.env, GOPATH, GO111MODULE: 'off', GOFLAGS: '', GOCACHE: path.join(dir, 'go-cache'), CGO_ENABLED: '0' },
    stdio: 'pipe',
    timeout: 300_000,
  });
  fs.renameSync(partial, binary);
  return binary;
}
