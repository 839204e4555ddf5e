import * as fs from 'fs';
import * as path from 'path';
import { formatFinding } from '../../lib/validate/finding';
import { validateDist } from '../../lib/validate/validate';
import { ROOT } from '../support/env';
import { committedObjects, stringifyOnce } from '../support/files';
import { Obj, schemaStore } from './fixtures';
import { TempProject } from './temp-project';

/**
 * The committed dist/argocd/ and dist/staging/ (and config/), changed by `change` (files by their path under
 * dist/), validated: the findings of `rules`, formatted.
 */
export function stagingArgoCdFindings(rules: readonly string[], change: (files: Map<string, Obj>) => void = () => {}): string[] {
  const project = new TempProject();
  try {
    fs.cpSync(path.join(ROOT, 'config'), path.join(project.root, 'config'), { recursive: true });
    const files = new Map<string, Obj>();
    for (const folder of ['argocd', 'staging']) for (const [f, object] of committedObjects(ROOT, folder)) files.set(`${folder}/${f}`, object);
    change(files);
    for (const [file, object] of files) project.write(`dist/${file}`, stringifyOnce(object));
    return validateDist(project.root, ['argocd', 'staging'], schemaStore())
      .findings.filter((f) => rules.includes(f.rule))
      .map(formatFinding);
  } finally {
    project.dispose();
  }
}
