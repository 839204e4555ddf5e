import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RUNBOOK_DIR } from '../../lib/monitoring/runbooks';
import { committedObjects } from '../support/files';
import { kubernetesEnvironmentNames, ROOT } from '../support/env';
import { parseLabelSelector } from './support/label-selector';

/*
 * The kubectl commands of the runbooks, as an on-call person pastes them: real
 * bash reads each (placeholders such as <namespace> filled in) with a stand-in
 * kubectl that records its arguments. Each must parse, and what it names must
 * exist in a committed environment as the cluster will hold it: a `-l`
 * selector must select objects of the kind it lists, a `kind/name` must be an
 * object of dist/. kubectl and the controllers cannot run here; what they do
 * with our objects is encoded below, with its upstream source.
 */

type Labels = Record<string, string>;
type Obj = Record<string, any>;

const KINDS: Record<string, string> = {
  pod: 'Pod', pods: 'Pod', po: 'Pod',
  job: 'Job', jobs: 'Job',
  cronjob: 'CronJob', cronjobs: 'CronJob', cj: 'CronJob',
  deploy: 'Deployment', deployment: 'Deployment', deployments: 'Deployment',
  statefulset: 'StatefulSet', statefulsets: 'StatefulSet', sts: 'StatefulSet',
  endpointslices: 'EndpointSlice', endpointslice: 'EndpointSlice',
  rollout: 'Rollout', rollouts: 'Rollout',
  hpa: 'HorizontalPodAutoscaler', horizontalpodautoscaler: 'HorizontalPodAutoscaler',
};

/** The objects of one environment as the cluster holds them, with those its controllers make from ours (labels only). */
function clusterView(env: string): { objects: Array<{ kind: string; name: string; labels: Labels; object?: Obj }> } {
  const dist = [...committedObjects(ROOT, env).values()];
  const objects: Array<{ kind: string; name: string; labels: Labels; object?: Obj }> = dist.map((o) => ({ kind: o.kind, name: o.metadata.name, labels: o.metadata.labels ?? {}, object: o }));
  const byName = (kind: string, name: string) => dist.find((o) => o.kind === kind && o.metadata.name === name);
  for (const o of dist) {
    // Pods carry their template's labels (the workload controllers copy template.metadata.labels).
    const template =
      o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template
      : o.kind === 'Rollout' && o.spec.workloadRef ? byName(o.spec.workloadRef.kind, o.spec.workloadRef.name)?.spec.template
      : o.spec?.template;
    if (['Deployment', 'StatefulSet', 'Rollout', 'Job', 'CronJob'].includes(o.kind) && template) {
      const name = o.kind === 'StatefulSet' ? `${o.metadata.name}-0` : `${o.metadata.name}-<hash>`;
      objects.push({ kind: 'Pod', name, labels: template.metadata?.labels ?? {} });
    }
    // A CronJob's Jobs, and `kubectl create job --from=cronjob/...`, get jobTemplate.metadata.labels only
    // (kubernetes pkg/controller/cronjob/utils.go getJobFromTemplate2; kubectl pkg/cmd/create/create_job.go createJobFromCronJob).
    if (o.kind === 'CronJob') objects.push({ kind: 'Job', name: `${o.metadata.name}-<time>`, labels: o.spec.jobTemplate.metadata?.labels ?? {} });
    // The EndpointSlice controller labels each slice with its Service (kubernetes pkg/controller/endpointslice, discovery.LabelServiceName).
    if (o.kind === 'Service') objects.push({ kind: 'EndpointSlice', name: `${o.metadata.name}-<id>`, labels: { ...(o.metadata.labels ?? {}), 'kubernetes.io/service-name': o.metadata.name } });
  }
  return { objects };
}

/** The kubectl commands of a Markdown text: inline code spans, and the lines of ```sh blocks (continuations joined). */
function kubectlCommands(text: string): string[] {
  // CommonMark turns a line ending inside a code span into a space: what a reader copies is one line.
  const inline = [...text.matchAll(/`(kubectl [^`]*)`/g)].map((m) => m[1].replace(/\n/g, ' '));
  const blocks = [...text.matchAll(/^[ \t]*```sh\n([\s\S]*?)^[ \t]*```/gm)].flatMap((m) =>
    m[1].replace(/\\\n\s*/g, ' ').split('\n').map((line) => line.trim()).filter((line) => line.startsWith('kubectl ')),
  );
  return [...inline, ...blocks];
}

/** Every kubectl command of the runbooks and of docs/rollback.md, with its file. */
function runbookCommands(): Array<{ file: string; command: string }> {
  const dir = path.join(ROOT, RUNBOOK_DIR);
  const files = [...fs.readdirSync(dir).filter((f) => f.endsWith('.md')).sort().map((f) => path.join(dir, f)), path.join(ROOT, 'docs', 'rollback.md')];
  return files.flatMap((file) => kubectlCommands(fs.readFileSync(file, 'utf8')).map((command) => ({ file: path.relative(ROOT, file), command })));
}

/** bash's reading of each command: its syntax error, or the argument lists kubectl was called with. */
function readByBash(commands: readonly string[]): Array<{ error?: string; calls: string[][] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-commands-'));
  try {
    const input = path.join(dir, 'commands');
    fs.writeFileSync(input, commands.map((c) => `${c}\0`).join(''));
    // kubectl records its arguments (NUL after each, a line feed after each call); grep is the real one, reading nothing.
    const script = String.raw`
      kubectl() { printf '%s\0' "$@" >>"$out"; printf '\n' >>"$out"; }
      i=0
      while IFS= read -r -d '' command; do
        out="$1/calls-$i"; : >"$out"
        bash -n -c "$command" 2>"$1/error-$i" && ( eval "$command" ) >/dev/null 2>&1
        i=$((i + 1))
      done <"$1/commands"`;
    const run = spawnSync('bash', ['-c', script, 'runbook-commands', dir], { encoding: 'utf8', timeout: 30_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    if (run.status !== 0) throw new Error(`bash failed: ${run.stderr}`);
    return commands.map((_, i) => {
      const error = fs.readFileSync(path.join(dir, `error-${i}`), 'utf8').trim();
      const calls = fs
        .readFileSync(path.join(dir, `calls-${i}`), 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => line.split('\0').slice(0, -1));
      return { ...(error ? { error } : {}), calls };
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** kubectl's arguments: flags by name (short or long), the rest in order; after `--`, the container's command. */
function parseArgs(args: readonly string[]): { flags: Map<string, string>; words: string[] } {
  const flags = new Map<string, string>();
  const words: string[] = [];
  const withValue = new Set(['-n', '--namespace', '-l', '--selector', '-o', '--output', '-c', '--container', '-p', '--patch', '--type']);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') break;
    if (withValue.has(a)) flags.set(a.replace(/^--namespace$/, '-n').replace(/^--selector$/, '-l'), args[++i] ?? '');
    else if (a.startsWith('--') && a.includes('=')) flags.set(a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1));
    else if (a.startsWith('-')) flags.set(a, '');
    else words.push(a);
  }
  return { flags, words };
}

const PLACEHOLDER = /<([A-Za-z][A-Za-z0-9.-]*)>/g;
const filled = (command: string) => command.replace(PLACEHOLDER, (_, word: string) => `PLACEHOLDER-${word}`);
const isPlaceholder = (word: string) => word.startsWith('PLACEHOLDER-');

/** What is wrong with one kubectl call, judged against every Kubernetes environment: nothing when one environment has what it names. */
function problems(args: readonly string[], views: ReturnType<typeof clusterView>[]): string[] {
  const { flags, words } = parseArgs(args);
  const out: string[] = [];
  const exists = (kind: string, name: string) => views.some((v) => v.objects.some((o) => o.kind === kind && o.name === name));
  const refs: Array<{ kind: string; name: string }> = [];
  // `kind/name` words, and `--from=kind/name`.
  for (const w of [...words, flags.get('--from') ?? '']) {
    const m = /^([a-z]+)\/(.+)$/.exec(w);
    if (m) refs.push({ kind: KINDS[m[1]] ?? `unknown kind "${m[1]}"`, name: m[2] });
  }
  // `get|delete|describe <kind> <name>` and the Argo Rollouts plugin (`argo rollouts <verb> [rollout] <name>`).
  if (words[0] === 'argo' && words[1] === 'rollouts') {
    // `get rollout NAME`, `retry rollout NAME`; the other verbs take the name at once (`abort NAME`).
    const name = words[3] === 'rollout' ? words[4] : words[3];
    if (!name) out.push(`argo rollouts ${words[2]}: names no Rollout`);
    else refs.push({ kind: 'Rollout', name });
  } else if (['get', 'delete', 'describe', 'patch', 'scale'].includes(words[0]) && words[1] && !words[1].includes('/') && words[2]) {
    refs.push({ kind: KINDS[words[1]] ?? `unknown kind "${words[1]}"`, name: words[2] });
  } else if (['exec', 'logs'].includes(words[0]) && words[1] && !words[1].includes('/')) {
    refs.push({ kind: 'Pod', name: words[1] });
  }
  for (const r of refs) {
    if (isPlaceholder(r.name)) continue;
    if (!exists(r.kind, r.name)) out.push(`names ${r.kind} "${r.name}", which no environment has`);
  }
  const selector = flags.get('-l');
  if (selector !== undefined) {
    const kind = KINDS[words[1]];
    const parsed = parseLabelSelector(selector);
    if ('error' in parsed) out.push(`-l "${selector}" ${parsed.error}`);
    else if (!kind) out.push(`-l with "${words[1]}": the test does not know that kind`);
    else if (!views.some((v) => v.objects.some((o) => o.kind === kind && parsed.matches(o.labels)))) {
      out.push(`-l "${selector}" selects no ${kind} in any environment`);
    }
  }
  // `logs deploy/x` reads a pod its selector matches (kubectl polymorphichelpers/attachablepodforobject.go): a Rollout's pods too.
  if (words[0] === 'logs') {
    for (const r of refs.filter((ref) => (ref.kind === 'Deployment' || ref.kind === 'StatefulSet') && exists(ref.kind, ref.name))) {
      const selects = views.some((v) => {
        const workload = v.objects.find((o) => o.kind === r.kind && o.name === r.name)?.object;
        const matchLabels: Labels = workload?.spec.selector.matchLabels ?? {};
        return workload && v.objects.some((o) => o.kind === 'Pod' && Object.entries(matchLabels).every(([k, val]) => o.labels[k] === val));
      });
      if (!selects) out.push(`logs ${r.kind} "${r.name}": no pod in any environment matches its selector`);
    }
  }
  return out;
}

describe('the kubectl commands of the runbooks and docs/rollback.md, read by bash, against the committed environments', () => {
  const commands = runbookCommands();
  const read = readByBash(commands.map((c) => filled(c.command)));
  const views = kubernetesEnvironmentNames().map(clusterView);

  it('there are commands to check, and every one calls kubectl', () => {
    expect(commands.length).toBeGreaterThan(20);
    expect(commands.filter((c) => c.file === 'docs/rollback.md').length).toBeGreaterThan(8);
    const silent = commands.filter((_, i) => read[i].error === undefined && read[i].calls.length === 0);
    expect(silent).toEqual([]);
  });

  it('bash parses every command as one command line (a label selector with spaces is quoted)', () => {
    const broken = commands.flatMap((c, i) => (read[i].error === undefined ? [] : [`${c.file}: ${c.command}: ${read[i].error}`]));
    expect(broken).toEqual([]);
  });

  it('what each command names exists in a committed environment, and each -l selects what it lists', () => {
    const wrong = commands.flatMap((c, i) => read[i].calls.flatMap((args) => problems(args, views).map((p) => `${c.file}: ${c.command}: ${p}`)));
    expect(wrong).toEqual([]);
  });

  it('the checks can fail: an unquoted set selector, a Job label the CronJob does not give, an unknown Deployment', () => {
    const [unquoted] = readByBash(['kubectl -n ns get pods -l app.kubernetes.io/component in (database-metrics,cache-metrics)']);
    expect(unquoted.error).toMatch(/syntax error/);
    const withoutJobLabels = kubernetesEnvironmentNames().map((env) => {
      const view = clusterView(env);
      return { objects: view.objects.map((o) => (o.kind === 'Job' && o.name.endsWith('-<time>') ? { ...o, labels: {} } : o)) };
    });
    expect(problems(['-n', 'ns', 'get', 'jobs', '-l', 'app.kubernetes.io/component=backup'], views)).toEqual([]);
    expect(problems(['-n', 'ns', 'get', 'jobs', '-l', 'app.kubernetes.io/component=backup'], withoutJobLabels)).toEqual(['-l "app.kubernetes.io/component=backup" selects no Job in any environment']);
    expect(problems(['-n', 'ns', 'logs', 'deploy/no-such-api'], views)).toEqual(['names Deployment "no-such-api", which no environment has']);
    expect(problems(['-n', 'ns', 'get', 'pods', '-l', 'app.kubernetes.io/component in (database-metrics,cache-metrics)'], views)).toEqual([]);
    expect(problems(['-n', 'ns', 'get', 'pods', '-l', 'app.kubernetes.io/component'], views)).toEqual([]);
    expect(problems(['-n', 'ns', 'get', 'pods', '-l', 'app.kubernetes.io/component in'], views)).toEqual(['-l "app.kubernetes.io/component in" cannot be parsed at "app.kubernetes.io/component in"']);
  });
});
