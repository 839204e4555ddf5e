import { Construct } from 'constructs';
import { Application, ApplicationSpecIgnoreDifferences } from '../../imports/applications-argoproj.io';
import { checkProps, ObjectProps, PropsCheck } from '../props';
import { ARGOCD } from './constants';

export interface EnvironmentApplicationProps extends ObjectProps {
  /** The AppProject it belongs to. */
  readonly project: string;
  readonly repoURL: string;
  readonly targetRevision: string;
  /** Folder of the repository with the environment's manifests, e.g. `dist/staging`. */
  readonly path: string;
  readonly namespace: string;
  /** Sync every new commit automatically; otherwise a person syncs. */
  readonly autoSync: boolean;
  /** @default true */
  readonly prune?: boolean;
  /** @default true */
  readonly selfHeal?: boolean;
  readonly retry: { limit: number; backoffDuration: string; backoffFactor: number; backoffMaxDuration: string };
  /** Fields a controller owns in the cluster, which Git must not fight over. */
  readonly ignoreDifferences?: ApplicationSpecIgnoreDifferences[];
  /** Deploy only these files of `path` (`spec.source.directory.include`). @default every file */
  readonly includeFiles?: readonly string[];
  /** Leave these files of `path` to another Application (`spec.source.directory.exclude`). @default none */
  readonly excludeFiles?: readonly string[];
  /**
   * `PruneLast=true`: what left Git is deleted after every wave (one more step).
   * @default true
   */
  readonly pruneLast?: boolean;
}

/** Argo CD's directory include/exclude value: a glob of the file names (github.com/gobwas/glob, `{a,b}` for several). */
function fileGlob(check: PropsCheck, prop: string, files: readonly string[] | undefined): string | undefined {
  if (!files || files.length === 0) return undefined;
  for (const f of files) check.that(/^[a-z0-9][a-z0-9.-]*$/.test(f), prop, `has "${f}", not a plain file name of dist/`);
  return files.length === 1 ? files[0] : `{${[...files].sort().join(',')}}`;
}

/**
 * The Argo CD Application of one environment: plain YAML from `dist/<env>/`.
 * No resources finalizer is written, so an app-of-apps that prunes it leaves
 * the environment running. `argocd app delete` and the UI add one (they
 * cascade by default): what holds data is kept by `Delete=false` on the
 * objects themselves (`KEEP_DATA`), not by the absence of the finalizer.
 */
export class EnvironmentApplication extends Construct {
  constructor(scope: Construct, id: string, props: EnvironmentApplicationProps) {
    super(scope, id);
    const check = checkProps('EnvironmentApplication', props)
      .object(props)
      .name('project', props.project)
      .name('namespace', props.namespace)
      .that(!props.path.startsWith('/') && !props.path.split('/').includes('..'), 'path', `is "${props.path}", not a folder inside the repository`)
      .that(!(props.includeFiles?.length && props.excludeFiles?.length), 'includeFiles', 'and excludeFiles are both set: give one')
      .integer('retry.limit', props.retry.limit, { min: 0 });
    const include = fileGlob(check, 'includeFiles', props.includeFiles);
    const exclude = fileGlob(check, 'excludeFiles', props.excludeFiles);
    new Application(this, 'Resource', {
      metadata: props.metadata,
      spec: {
        project: props.project,
        source: {
          repoUrl: props.repoURL,
          targetRevision: props.targetRevision,
          path: props.path,
          // Applied by Argo CD's repo server to paths relative to `path` (reposerver/repository/repository.go, util/glob).
          // Only when set: Argo CD's controller strips a directory block without include/exclude (recurse false is
          // the default) from the live Application, and the app-of-apps would find it changed forever (rule argocd-normalized-source).
          ...(include || exclude ? { directory: { include, exclude } } : {}),
        },
        destination: { server: ARGOCD.server, namespace: props.namespace },
        revisionHistoryLimit: 10,
        syncPolicy: {
          ...(props.autoSync ? { automated: { prune: props.prune ?? true, selfHeal: props.selfHeal ?? true } } : {}),
          syncOptions: [
            // The Namespace is in dist/ (with its Pod Security labels); Argo CD must not create a bare one.
            'CreateNamespace=false',
            ...(props.pruneLast ?? true ? ['PruneLast=true'] : []),
            // Without it ignoreDifferences only hides the diff and a sync still resets the field.
            'RespectIgnoreDifferences=true',
          ],
          // Always explicit: an automated sync without spec.syncPolicy.retry is retried 5 times (argo-cd controller/appcontroller.go).
          retry:
            props.retry.limit === 0
              ? { limit: 0 }
              : {
                  limit: props.retry.limit,
                  backoff: { duration: props.retry.backoffDuration, factor: props.retry.backoffFactor, maxDuration: props.retry.backoffMaxDuration },
                },
        },
        ignoreDifferences: props.ignoreDifferences,
      },
    });
  }
}
