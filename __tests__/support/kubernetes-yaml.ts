import { execFileSync } from 'child_process';
import * as path from 'path';
import { buildGoProgram } from './go-program';
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
const BATCH = 200;

/**
 * Kubernetes' own YAML reader (sigs.k8s.io/yaml, go-yaml v2) as a program
 * the tests run: undefined where Go or the sources are missing (the caller
 * skips with `missingToolMessage('kubernetesYaml')`; with CI=true findTool
 * throws). Built once for every test file and run (go-program.ts).
 */
export function kubernetesYamlReader(): KubernetesYamlReader | undefined {
  const go = findTool('kubernetesYaml');
  if (!go) return undefined;
  const binary = buildGoProgram(go, 'kubernetes-yaml', SOURCE, TOOLS.kubernetesYaml.files);
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
