import { Document, Scalar, visit } from 'yaml';
import { readsAsStringEverywhere } from '../../lib/yaml/plain-scalar';

/**
 * How dist/ was written before lib/yaml/writer.ts: the `yaml` package's own
 * stringifier (2.9.1) on a Document with `compat: 'yaml-1.1'`, every string
 * that some reader would not read as that string double-quoted. Kept as the
 * oracle the writer must match byte for byte (writer-identical.test.ts).
 */
export function referenceToYaml(value: unknown): string {
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
  if (typeof node.value === 'string' && !node.value.includes('\n') && !readsAsStringEverywhere(node.value, asKey)) node.type = Scalar.QUOTE_DOUBLE;
}
