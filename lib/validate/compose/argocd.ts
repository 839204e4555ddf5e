import { stringAt } from '../access';
import { Finding } from '../finding';
import { Folder } from '../folder';
import { describe } from '../resource';

/** An Argo CD Application must not deploy a Compose folder: Argo CD would read docker-compose.yml as Kubernetes objects. */
export function checkApplicationsAvoidCompose(folders: readonly Folder[], composeFolders: readonly string[]): Finding[] {
  return folders.flatMap((folder) =>
    folder.ofKind('Application').flatMap((app): Finding[] => {
      const source = stringAt(app.object, 'spec', 'source', 'path');
      const target = composeFolders.find((name) => source === `dist/${name}` || source === `dist/${name}/`);
      if (!target) return [];
      const line = app.lineOf(['spec', 'source', 'path']);
      return [{ severity: 'error', rule: 'argocd-compose', file: app.file, line, object: describe(app), path: ['spec', 'source', 'path'], message: `dist/${target}/ is a Docker Compose environment (target: compose): deploy it with its deploy.sh, not Argo CD` }];
    }),
  );
}
