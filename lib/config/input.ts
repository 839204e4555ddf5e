import { Document, isAlias, isCollection, isMap, isPair, isScalar, Node, visit } from 'yaml';

/*
 * Bounds on what an environment file may be, checked before and while it is
 * parsed, so that any input is refused or accepted in time linear in its size
 * (the YAML parser is superlinear on deep nesting and on many keys of one map).
 */
export const INPUT_LIMITS = {
  /** Largest file. The committed ones are about 2 KiB. */
  fileBytes: 256 * 1024,
  /** Deepest nesting of collections (the schema needs 5). */
  depth: 32,
  /** yaml's maxAliasCount: how many nodes aliases may expand to; a legitimate file with many aliases stays far below. */
  aliasExpansion: 10_000,
  /** Problems listed per file; more are summarized in one line. */
  problems: 50,
} as const;

/** The text of a UTF-8 file, or where its first invalid byte is (the text would silently get U+FFFD there). */
export function decodeUtf8(bytes: Buffer): { text: string } | { invalidAt: { byte: number; line: number } } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    const text = bytes.toString('utf8');
    const offset = text.indexOf('\uFFFD');
    const line = offset < 0 ? 1 : text.slice(0, offset).split('\n').length;
    return { invalidAt: { byte: Buffer.byteLength(text.slice(0, Math.max(offset, 0)), 'utf8') + 1, line } };
  }
}

/**
 * Refuses text nested deeper than INPUT_LIMITS.depth before the parser sees
 * it: flow brackets outside quotes and comments, plus compact block
 * collections ("- - - x") at the start of a line. Nesting by indentation needs
 * quadratic text, so the size bound keeps it small; structureProblems bounds
 * it after parsing. An over-estimate is fine: a real environment file nests 5 levels.
 */
export function nestingProblem(text: string): { line: number; message: string } | undefined {
  let depth = 0;
  let line = 1;
  let quote: string | undefined;
  let lineStart = true;
  let blockDepth = 0;
  // The last character that was not a space: a quote opens a quoted scalar only where a scalar can start.
  let previous = '\n';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const before = previous;
    if (c !== ' ' && c !== '\t') previous = c;
    if (c === '\n') {
      line++;
      lineStart = true;
      blockDepth = 0;
      continue;
    }
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (lineStart) {
      // "- - - x" and "? ? x" open one block collection each.
      if ((c === '-' || c === '?') && (text[i + 1] === ' ' || text[i + 1] === '\n')) blockDepth++;
      else if (c !== ' ') lineStart = false;
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
      continue;
    }
    if ((c === '"' || c === "'") && '\n:-[{,?'.includes(before)) quote = c;
    else if (c === '[' || c === '{') depth++;
    else if ((c === ']' || c === '}') && depth > 0) depth--;
    if (depth + blockDepth > INPUT_LIMITS.depth) return { line, message: `is nested more than ${INPUT_LIMITS.depth} levels deep` };
  }
  return undefined;
}

/** A problem found in the parsed document, at an offset of the text. */
export interface StructureProblem {
  readonly key: string;
  readonly offset?: number;
  readonly message: string;
}

/**
 * Duplicate keys and keys that are not plain strings, found in one pass
 * (a Set per map), plus collections nested deeper than the limit (aliases
 * and anchors included).
 */
export function structureProblems(doc: Document): StructureProblem[] {
  const problems: StructureProblem[] = [];
  const pathOf = (ancestors: readonly unknown[]) =>
    ancestors
      .filter(isPair)
      .map((pair) => (isScalar(pair.key) ? String(pair.key.value) : '?'))
      .join('.');
  visit(doc, (_, node, ancestors) => {
    if (isAlias(node) && !node.resolve(doc)) {
      problems.push({ key: pathOf(ancestors), offset: offsetOf(node), message: `not valid YAML: alias *${node.source} refers to no anchor` });
    }
    if (!isCollection(node)) return undefined;
    if (ancestors.filter(isCollection).length >= INPUT_LIMITS.depth) {
      problems.push({ key: pathOf(ancestors), offset: offsetOf(node), message: `is nested more than ${INPUT_LIMITS.depth} levels deep` });
      return visit.SKIP;
    }
    if (!isMap(node)) return undefined;
    const seen = new Set<string>();
    for (const pair of node.items) {
      const scalar = isScalar(pair.key) && (pair.key.value === null || typeof pair.key.value !== 'object');
      const where = [pathOf(ancestors), scalar ? String((pair.key as { value: unknown }).value) : '?'].filter(Boolean).join('.');
      if (!scalar) {
        problems.push({ key: where, offset: offsetOf(pair.key as Node | null) ?? offsetOf(node), message: 'a key must be a plain string, not a list, a map or an alias' });
        continue;
      }
      const key = String((pair.key as { value: unknown }).value);
      if (seen.has(key)) problems.push({ key: where, offset: offsetOf(pair.key as Node), message: 'is defined twice in the same map (duplicate key)' });
      seen.add(key);
    }
    return undefined;
  });
  return problems;
}

function offsetOf(node: Node | null | undefined): number | undefined {
  return (node as { range?: [number, number, number] } | null | undefined)?.range?.[0];
}
