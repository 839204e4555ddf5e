import { Document, isAlias, isMap, isScalar, isSeq, LineCounter, Scalar } from 'yaml';
import { goYamlV2Plain, jsonKeyOf } from '../yaml/go-yaml-v2';
import { describeReading, readingOf, sameReading, yaml11Plain } from '../yaml/plain-scalar';
import { FieldPath } from './finding';

/** A plain scalar that does not mean the same to every YAML reader. */
export interface TypingProblem {
  readonly path: FieldPath;
  readonly line: number;
  readonly message: string;
}

const QUOTE = 'quote it';

/**
 * Rule `yaml-typing`: every plain (unquoted, untagged) scalar of a document,
 * keys included, read as Kubernetes and Argo CD read it (sigs.k8s.io/yaml on
 * go-yaml v2, YAML 1.1; see lib/yaml/go-yaml-v2.ts) and as the YAML 1.1
 * type repository reads it (PyYAML and the like), against what we read (YAML
 * 1.2 core). `--appendonly yes` is the string "yes" to us and `true` to
 * Kubernetes, which then rejects the object. A tab inside a plain scalar is
 * refused by PyYAML (which docker-compose 1.x reads its file with).
 */
export function checkYamlTyping(doc: Document, lineCounter: LineCounter): TypingProblem[] {
  const problems: TypingProblem[] = [];
  const lineOf = (node: Scalar) => lineCounter.linePos(node.range?.[0] ?? 0).line;
  const visit = (node: unknown, path: FieldPath): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = pair.key;
        const name = isScalar(key) ? String(key.value) : '?';
        if (isScalar(key) && isPlain(key)) {
          const message = keyProblem(key);
          if (message) problems.push({ path: [...path, name], line: lineOf(key), message });
        }
        visit(pair.value, [...path, name]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => visit(item, [...path, i]));
    } else if (isScalar(node) && !isAlias(node) && isPlain(node)) {
      const message = valueProblem(node);
      if (message) problems.push({ path, line: lineOf(node), message });
    }
  };
  visit(doc.contents, []);
  return problems;
}

function isPlain(node: Scalar): boolean {
  return node.type === Scalar.PLAIN && node.tag === undefined && typeof node.source === 'string';
}

/**
 * PyYAML (docker-compose 1.x) ends a plain scalar at a tab and then refuses
 * the tab ("found character '\t' that cannot start any token": yaml/scanner.py
 * scan_plain, scan_plain_spaces skips spaces only); go-yaml v2 reads it.
 */
function tabProblem(text: string, what: string): string | undefined {
  if (!text.includes('\t')) return undefined;
  return `${what} ${JSON.stringify(text)} holds a tab, which PyYAML (docker-compose 1.x reads YAML with it) refuses inside a plain scalar: ${QUOTE}`;
}

function valueProblem(node: Scalar): string | undefined {
  const text = node.source as string;
  const tab = tabProblem(text, 'value');
  if (tab) return tab;
  const ours = readingOf(node.value);
  const kubernetes = goYamlV2Plain(text);
  if (kubernetes.type === 'float' && !Number.isFinite(kubernetes.value)) {
    return `${JSON.stringify(text)} is the float ${kubernetes.value}, which Kubernetes cannot convert to JSON: sigs.k8s.io/yaml rejects the whole file`;
  }
  if (!sameReading(ours, kubernetes)) {
    return `${JSON.stringify(text)} is ${describeReading(text, ours)} in YAML 1.2 but ${describeReading(text, kubernetes)} to Kubernetes (sigs.k8s.io/yaml reads YAML 1.1): ${QUOTE}`;
  }
  const yaml11 = yaml11Plain(text);
  if (!sameReading(ours, yaml11)) {
    return `${JSON.stringify(text)} is ${describeReading(text, ours)} in YAML 1.2 but ${describeReading(text, yaml11)} in YAML 1.1 (the spec's types, as PyYAML reads them): ${QUOTE}`;
  }
  return undefined;
}

function keyProblem(node: Scalar): string | undefined {
  const text = node.source as string;
  const tab = tabProblem(text, 'key');
  if (tab) return tab;
  const ours = String(node.value);
  const kubernetes = goYamlV2Plain(text, true);
  if (kubernetes.type === 'merge') return `key "<<" is a plain key in YAML 1.2 but a merge key to Kubernetes (sigs.k8s.io/yaml reads YAML 1.1): ${QUOTE}`;
  const kubernetesKey = jsonKeyOf(text, kubernetes);
  if (kubernetesKey === undefined) return `key ${JSON.stringify(text)} is ${describeReading(text, kubernetes)} to Kubernetes, which it rejects as a map key: ${QUOTE}`;
  if (kubernetesKey !== ours) {
    return `key ${JSON.stringify(text)} is the key ${JSON.stringify(ours)} in YAML 1.2 but ${JSON.stringify(kubernetesKey)} to Kubernetes (sigs.k8s.io/yaml reads YAML 1.1): ${QUOTE}`;
  }
  const yaml11 = yaml11Plain(text, true);
  if (!sameReading(readingOf(node.value), yaml11)) {
    return `key ${JSON.stringify(text)} is ${describeReading(text, readingOf(node.value))} in YAML 1.2 but ${describeReading(text, yaml11)} in YAML 1.1 (the spec's types, as PyYAML reads them): ${QUOTE}`;
  }
  return undefined;
}
