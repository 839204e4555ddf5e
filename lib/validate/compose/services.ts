import { arrayAt, get, isObject, JsonObject, objectAt, stringAt } from '../access';
import { FieldPath, Finding, Severity } from '../finding';
import { unpinnedImage } from '../practices/containers';
import { secretLooking } from '../practices/secret-looking';
import { Resource } from '../resource';

/** The one service that may publish ports: every other one is reached over the stack's own network only. */
const PUBLISHING_SERVICE = 'nginx';

/**
 * Best practices of a Compose file, service by service: the same invariants
 * the Kubernetes folders get (pinned image, non-root, read-only root, no
 * privileges, health check, limits, no secret literal) plus Compose's own
 * (only nginx publishes ports; a restart policy).
 */
export function checkComposeServices(compose: Resource): Finding[] {
  const findings: Finding[] = [];
  const services = objectAt(compose.object, 'services');
  const add = (severity: Severity, rule: string, path: FieldPath, service: string, message: string) =>
    findings.push({ severity, rule, file: compose.file, line: compose.lineOf(path), object: `service/${service}`, path, message });
  if (!services || Object.keys(services).length === 0) {
    findings.push({ severity: 'error', rule: 'compose-services', file: compose.file, line: 1, object: '-', path: ['services'], message: 'the Compose file has no services' });
    return findings;
  }
  for (const [name, value] of Object.entries(services)) {
    const at = (...path: (string | number)[]): FieldPath => ['services', name, ...path];
    if (!isObject(value)) {
      add('error', 'compose-services', at(), name, 'a service must be a mapping');
      continue;
    }
    const s: JsonObject = value;
    const image = stringAt(s, 'image');
    const imageProblem = image === undefined ? 'has no image (a build on the server is not a pinned release)' : unpinnedImage(image);
    if (imageProblem) add('error', 'image-pinned', at('image'), name, `service "${name}" ${imageProblem}`);

    if (name !== PUBLISHING_SERVICE && arrayAt(s, 'ports').length > 0) {
      add('error', 'compose-published-port', at('ports'), name, `service "${name}" publishes ports on the host: only ${PUBLISHING_SERVICE} may (the others are reached over the stack's network)`);
    }
    if (stringAt(s, 'network_mode') === 'host') add('error', 'compose-published-port', at('network_mode'), name, `service "${name}" uses the host's network`);

    const user = get(s, 'user');
    const uid = typeof user === 'string' || typeof user === 'number' ? String(user).split(':')[0] : undefined;
    if (uid === undefined) add('error', 'compose-non-root', at(), name, `service "${name}" sets no user: it runs as the image's user, often root`);
    else if (uid === '0' || uid === 'root') add('error', 'compose-non-root', at('user'), name, `service "${name}" runs as root`);

    if (get(s, 'read_only') !== true) add('error', 'read-only-root-fs', at('read_only'), name, `service "${name}" has a writable root filesystem: set read_only: true and mount a tmpfs where it writes`);
    if (get(s, 'privileged') === true) add('error', 'compose-privileges', at('privileged'), name, `service "${name}" is privileged`);
    if (!arrayAt(s, 'cap_drop').includes('ALL')) add('error', 'compose-privileges', at('cap_drop'), name, `service "${name}" does not drop all capabilities (cap_drop: [ALL])`);
    if (!arrayAt(s, 'security_opt').some((o) => typeof o === 'string' && /^no-new-privileges(:true)?$/.test(o))) {
      add('error', 'compose-privileges', at('security_opt'), name, `service "${name}" allows privilege escalation (security_opt: [no-new-privileges:true])`);
    }

    const test = get(s, 'healthcheck', 'test');
    const disabled = get(s, 'healthcheck', 'disable') === true || (Array.isArray(test) && test[0] === 'NONE');
    if (test === undefined || disabled) add('error', 'compose-healthcheck', at('healthcheck'), name, `service "${name}" has no health check: depends_on and deploy.sh cannot tell when it is ready`);

    if (get(s, 'mem_limit') === undefined) add('error', 'memory-limit', at(), name, `service "${name}" has no memory limit (mem_limit)`);
    if (get(s, 'cpus') === undefined) add('error', 'compose-cpu-limit', at(), name, `service "${name}" has no CPU limit (cpus): one busy service would starve the others on the server`);
    const restart = stringAt(s, 'restart');
    if (restart === undefined || restart === 'no') add('error', 'compose-restart', at('restart'), name, `service "${name}" is not restarted after a crash or a reboot (restart: unless-stopped)`);

    for (const [variable, literal] of environmentOf(s)) {
      // ${VAR} comes from the .env file on the server; only what is written around it is a literal.
      const why = secretLooking(variable, literal.replace(/\$\{[^}]*\}/g, ''));
      if (why) add('error', 'secret-literal', at('environment', variable), name, `service "${name}" sets ${variable} in the Compose file: ${why}; take it from the .env file (\${${variable}})`);
    }
  }
  return findings;
}

/** `environment:` as name/value pairs, from either of its two forms. */
function environmentOf(service: JsonObject): [string, string][] {
  const env = get(service, 'environment');
  if (Array.isArray(env)) {
    return env.filter((e): e is string => typeof e === 'string').map((e) => [e.split('=')[0], e.includes('=') ? e.slice(e.indexOf('=') + 1) : '']);
  }
  if (isObject(env)) return Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]);
  return [];
}
