import { arrayAt, get, isObject, objectAt, stringAt } from '../access';
import { Finding } from '../finding';
import { ContainerRef, PodTemplateFields } from '../pod-fields';
import { finding } from '../resource';

const RULE = 'redis-auth';
const PROBES = ['readinessProbe', 'livenessProbe', 'startupProbe'] as const;

/**
 * A Redis server in a pod requires a password, from a Secret, and its
 * redis-cli probes log in and can fail (rule `redis-auth`, docs/validate.md).
 *
 * - `--requirepass` in its args, whose value is one `$(VAR)` reference to a
 *   variable of the container set from a Secret key (the kubelet expands it:
 *   kubernetes third_party/forked/golang/expansion/expand.go; a reference to
 *   no variable stays literal, so the password would be the text "$(VAR)"),
 *   or a config file mounted from a Secret volume. A literal value is a
 *   password in Git.
 * - `--protected-mode no` is a *warning*: with an empty password Redis would
 *   then answer every client, where protected mode limits it to loopback.
 * - An exec probe that runs redis-cli on it passes `-e` or checks for PONG
 *   (without either, redis-cli exits 0 on an error reply, NOAUTH included:
 *   src/redis-cli.c `cliReadReply`) and authenticates: REDISCLI_AUTH in the container's env
 *   from a Secret key (an exec probe runs with the container's env), or
 *   `-a`/`--pass`/`--askpass`/`--user`, or `-u` with a URL that holds a
 *   password. Only redis-cli's own arguments count, not the shell's.
 *
 * A container runs Redis when its command (or, without one, its args) starts
 * with `redis-server`, or when it has no command, a `redis` image and args
 * that the image's entrypoint hands to redis-server (the first starting with
 * `-` or ending in `.conf`: docker-library/redis docker-entrypoint.sh).
 */
export function checkRedisAuth(t: PodTemplateFields): Finding[] {
  const findings: Finding[] = [];
  for (const c of t.containers.filter((x) => x.list === 'containers')) {
    const server = redisServerArgs(c);
    if (!server) continue;
    const r = t.resource;
    const who = `container "${c.name}" runs Redis and`;
    const add = (severity: 'error' | 'warning', path: (string | number)[], message: string) => findings.push(finding(r, severity, RULE, path, message));
    const env = secretVariables(c);
    const argsPath = [...c.path, stringAt(c.container, 'command') ? 'command' : 'args'];

    const requirepass = optionValues(server.options, 'requirepass');
    const fromSecretFile = server.configFile !== undefined && mountedFromSecret(t, c, server.configFile);
    if (requirepass === undefined && !fromSecretFile) {
      const file = server.configFile === undefined ? '' : ` (its config file ${server.configFile} is not mounted from a Secret, so it cannot hold the password)`;
      add('error', argsPath, `${who} requires no password${file}: anyone the NetworkPolicy lets through can read and write it. Add "--requirepass", "$(REDIS_PASSWORD)" with REDIS_PASSWORD from a secretKeyRef`);
    } else if (requirepass !== undefined) {
      const problem = requirepassProblem(requirepass, env);
      if (problem) add('error', argsPath, `${who} ${problem}`);
    }
    if (optionValues(server.options, 'protected-mode')?.[0]?.toLowerCase() === 'no') {
      add('warning', argsPath, `${who} turns protected mode off: should its password ever be empty, it would answer every client instead of loopback only`);
    }

    const requiresPassword = requirepass !== undefined || fromSecretFile;
    for (const probe of PROBES) {
      const command = arrayAt(c.container, probe, 'exec', 'command').filter((a): a is string => typeof a === 'string');
      if (!command.some((a) => basename(a) === 'redis-cli' || /(^|[\s;|&/])redis-cli\s/.test(a))) continue;
      const path = [...c.path, probe, 'exec', 'command'];
      const words = redisCliWords(command);
      // A shell probe may check the reply itself (`redis-cli ping | grep -q PONG`, as the Compose health check does).
      if (!words.includes('-e') && !command.some((a) => a.includes('PONG'))) {
        add('error', path, `${who} its ${probe} runs redis-cli without -e: redis-cli exits 0 on an error reply (NOAUTH, LOADING), so the probe cannot fail`);
      }
      if (env.get('REDISCLI_AUTH') === 'literal') {
        add('error', path, `${who} its ${probe} logs in with REDISCLI_AUTH set literally: a password in Git. Take it from the same Secret key as the server's`);
      }
      const logsIn = env.has('REDISCLI_AUTH') || words.some((w, i) => ['-a', '--pass', '--askpass', '--user'].includes(w) || (w === '-u' && /^rediss?:\/\/[^@/]*:[^@/]+@/.test(words[i + 1] ?? '')));
      if (requiresPassword && !logsIn) {
        add('error', path, `${who} requires a password, but its ${probe} runs redis-cli without one: every answer is NOAUTH. Set REDISCLI_AUTH from the same Secret key`);
      }
    }
  }
  return findings;
}

/** The arguments redis-server gets, split into an optional config file and `--option value...` groups; undefined when the container does not run Redis. */
function redisServerArgs(c: ContainerRef): { configFile?: string; options: string[] } | undefined {
  const command = strings(c.container, 'command');
  const args = strings(c.container, 'args');
  const argv = [...(command ?? []), ...(args ?? [])];
  let rest: string[];
  if (argv.length > 0 && basename(argv[0]) === 'redis-server') rest = argv.slice(1);
  else if (command === undefined && isRedisImage(stringAt(c.container, 'image')) && (argv.length === 0 || argv[0].startsWith('-') || argv[0].endsWith('.conf'))) rest = argv;
  else return undefined;
  // src/server.c main: a first argument that does not start with "-" is the config file.
  const configFile = rest.length > 0 && !rest[0].startsWith('-') ? rest[0] : undefined;
  // src/server.c main appends an argument that starts with "--" to the config text as it is, and the config
  // reader splits that line on spaces: "--requirepass $(REDIS_PASSWORD)" as one argument sets the password too.
  const options = (configFile === undefined ? rest : rest.slice(1)).flatMap((a) => (a.startsWith('--') ? a.split(/\s+/).filter((w) => w !== '') : [a]));
  return { configFile, options };
}

/** The words of a probe command that redis-cli gets: those after the redis-cli word, up to a shell operator. */
function redisCliWords(command: readonly string[]): string[] {
  const words = command.flatMap((a) => a.split(/\s+/));
  const start = words.findIndex((w) => basename(w) === 'redis-cli');
  const own = words.slice(start + 1);
  const end = own.findIndex((w) => /[|;&]/.test(w));
  return end === -1 ? own : own.slice(0, end);
}

/** The values after the last `--name` (Redis applies the last one), up to the next option; undefined when absent. */
function optionValues(options: readonly string[], name: string): string[] | undefined {
  let values: string[] | undefined;
  for (let i = 0; i < options.length; i++) {
    if (options[i].toLowerCase() !== `--${name}`) continue;
    values = [];
    // src/server.c: after an option name, the next argument is its value even when it starts with "--".
    for (let j = i + 1; j < options.length && (j === i + 1 || !options[j].startsWith('--')); j++) values.push(options[j]);
  }
  return values;
}

function requirepassProblem(values: readonly string[], env: ReadonlyMap<string, 'secret' | 'literal'>): string | undefined {
  if (values.length === 0 || values[0] === '') return 'gives --requirepass no value: Redis reads an empty password as none';
  // Exactly one reference, nothing around it; `$$(X)` is the literal text `$(X)` to the kubelet.
  const variable = /^\$\(([^)]+)\)$/.exec(values[0])?.[1];
  if (variable === undefined) {
    return 'has its password written in its args: take it from a Secret (--requirepass "$(REDIS_PASSWORD)", REDIS_PASSWORD from a secretKeyRef)';
  }
  const source = env.get(variable);
  if (source === undefined) return `gives --requirepass $(${variable}), but the container has no variable ${variable}: the kubelet leaves the text "$(${variable})" as the password`;
  if (source === 'literal') return `takes its password from ${variable}, which is set literally: take it from a secretKeyRef`;
  return undefined;
}

/** The container's variables: from a Secret key, or anything else (a literal, a ConfigMap, a field). */
function secretVariables(c: ContainerRef): Map<string, 'secret' | 'literal'> {
  const vars = new Map<string, 'secret' | 'literal'>();
  for (const e of arrayAt(c.container, 'env')) {
    const name = stringAt(e, 'name');
    if (name) vars.set(name, objectAt(e, 'valueFrom', 'secretKeyRef') ? 'secret' : 'literal');
  }
  return vars;
}

/** Whether `file` lies under a volume mount of the container whose volume is a Secret (or projects one). */
function mountedFromSecret(t: PodTemplateFields, c: ContainerRef, file: string): boolean {
  const volumes = arrayAt(t.spec, 'volumes').filter(isObject);
  return arrayAt(c.container, 'volumeMounts').some((m) => {
    const mountPath = stringAt(m, 'mountPath');
    if (!mountPath || !file.startsWith(`${mountPath.replace(/\/$/, '')}/`)) return false;
    const volume = volumes.find((v) => v.name === stringAt(m, 'name'));
    return volume !== undefined && (get(volume, 'secret') !== undefined || arrayAt(volume, 'projected', 'sources').some((s) => get(s, 'secret') !== undefined));
  });
}

function strings(container: unknown, field: string): string[] | undefined {
  const value = get(container, field);
  return Array.isArray(value) ? value.map(String) : undefined;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The Docker Official Image (`redis`, `library/redis`, `docker.io/library/redis`), any tag or digest: other images have entrypoints of their own. */
function isRedisImage(image: string | undefined): boolean {
  if (!image) return false;
  const repository = image.split('@')[0].replace(/:[^/]*$/, '');
  return ['redis', 'library/redis', 'docker.io/redis', 'docker.io/library/redis'].includes(repository);
}
