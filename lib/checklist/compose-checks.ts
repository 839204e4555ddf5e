import { API, API_KEYS, API_VARIABLES } from '../api/constants';
import { COMPOSE_FILES, SERVICES } from '../compose/constants';
import { STACK_VARIABLES } from '../compose/variables';
import { POSTGRESQL } from '../datastores/constants';
import { tierPolicy } from '../config/tier-policy';
import { CHECKLIST, ChecklistItem, ChecklistSection, OTHER_RULES } from './checklist';
import { ComposeChecklistContext, fileText, servicesOf } from './compose-context';
import { unnamedPgvectorImage } from './checks';
import { CheckResult, fail, manual, pass, verdict } from './context';

/*
 * The checklist of a Docker Compose environment: the validator's rules on
 * its files where they prove an item, checks of what they cannot say (the
 * scripts' steps, nginx's settings, the config) here.
 */

type Check = (ctx: ComposeChecklistContext) => CheckResult;
type How = Omit<ChecklistItem<ComposeChecklistContext>, 'text'>;

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** An item the validator's rules prove, summed up over the services. */
const serviceRule = (rules: readonly string[], ok: string): How => ({ rules, proves: (ctx) => `${ok} (${plural(Object.keys(servicesOf(ctx)).length, 'service')})` });

function apiEnvironment(ctx: ComposeChecklistContext): Record<string, string> {
  return (servicesOf(ctx)[SERVICES.api]?.environment ?? {}) as Record<string, string>;
}

/** A value Compose takes from the .env file of the server, e.g. `${OPENAI_API_KEY:?…}`. */
const fromEnvFile = (value: string | undefined, name: string) => value !== undefined && value.includes(`\${${name}`);

const environmentVariables: Check = (ctx) => {
  const env = apiEnvironment(ctx);
  const missing = Object.values(API_VARIABLES).filter((n) => env[n] === undefined);
  return missing.length ? fail(`the api service lacks ${missing.join(', ')}`) : pass(`${Object.keys(env).length} variables on the api service; secrets from the server's .env (${STACK_VARIABLES.length} names in .env.example)`);
};

const apiKeys: Check = (ctx) => {
  const env = apiEnvironment(ctx);
  const listed = fileText(ctx, COMPOSE_FILES.envExample);
  const problems = API_KEYS.flatMap((n) => [
    ...(fromEnvFile(env[n], n) ? [] : [`${n} is not taken from the .env file`]),
    ...(new RegExp(`^${n}=$`, 'm').test(listed) ? [] : [`${n} is not listed in .env.example`]),
  ]);
  return verdict(problems, `${API_KEYS.join(' and ')} from the server's .env file, required (Compose refuses to start without them)`);
};

const redis: Check = (ctx) => {
  const url = apiEnvironment(ctx)[API_VARIABLES.redisUrl];
  if (!servicesOf(ctx)[SERVICES.redis]) return fail('no redis service');
  return fromEnvFile(url, 'REDIS_PASSWORD')
    ? pass(`redis service with a password (REDIS_PASSWORD); ${API_VARIABLES.redisUrl} set on the api`)
    : fail(`${API_VARIABLES.redisUrl} ${url === undefined ? 'is not set' : 'carries no password'}`);
};

const logLevel: Check = (ctx) => {
  const level = apiEnvironment(ctx)[API_VARIABLES.logLevel];
  if (!level) return fail(`${API_VARIABLES.logLevel} is not set`);
  if (tierPolicy(ctx.env.tier).forbiddenLogLevels.includes(level)) return fail(`${API_VARIABLES.logLevel} is "${level}" in ${ctx.env.tier}`);
  return pass(`${API_VARIABLES.logLevel}=${level}`);
};

const featureFlags: Check = (ctx) => {
  const flag = apiEnvironment(ctx)[API_VARIABLES.enableReranking];
  return flag === undefined ? fail(`${API_VARIABLES.enableReranking} is not set`) : pass(`${API_VARIABLES.enableReranking}=${flag}`);
};

const nginx = (ctx: ComposeChecklistContext) => fileText(ctx, COMPOSE_FILES.nginx);

const tls: Check = (ctx) => {
  const conf = nginx(ctx);
  const problems = [
    ...(/listen \d+ ssl/.test(conf) ? [] : ['nginx has no TLS listener']),
    ...(/ssl_certificate \S+;/.test(conf) && /ssl_certificate_key \S+;/.test(conf) ? [] : ['nginx names no certificate']),
    ...(/return 308 https:\/\//.test(conf) ? [] : ['nginx does not redirect HTTP to HTTPS']),
  ];
  return verdict(problems, `nginx terminates TLS for ${ctx.env.ingress.host} and redirects HTTP to HTTPS; the certificate files are in TLS_DIR on the server (check their expiry there)`);
};

const loadBalancer: Check = (ctx) => {
  const proxies = new RegExp(`http://${SERVICES.api}:${API.containerPort}`).test(nginx(ctx)) && /proxy_pass /.test(nginx(ctx));
  return proxies ? pass(`nginx, the only service with published ports, proxies to the ${SERVICES.api} service`) : fail(`nginx does not proxy to the ${SERVICES.api} service`);
};

const rateLimiting: Check = (ctx) => {
  const rate = /limit_req_zone \S+ zone=(\S+) rate=(\S+);/.exec(nginx(ctx));
  const burst = /limit_req zone=\S+ burst=(\d+)/.exec(nginx(ctx));
  const connections = /limit_conn \S+ (\d+);/.exec(nginx(ctx));
  if (!rate || !burst) return fail('nginx has no request rate limit');
  return pass(`${rate[2]} per client address, burst ${burst[1]}, ${connections?.[1] ?? '?'} connections (nginx)`);
};

const cors: Check = (ctx) => {
  const pattern = /map \$http_origin \$cors_allowed \{\s*default "";\s*"([^"]+)" "1";/.exec(nginx(ctx));
  if (!pattern) return pass('CORS off (no cross-origin browser calls)');
  return /\.\*|\*\)|^\*$/.test(pattern[1].replace(/^~\*\^/, '')) ? fail('nginx allows every origin') : pass(`origins ${ctx.env.ingress.cors.allowOrigins.join(', ')}`);
};

const backups: Check = (ctx) => {
  const deploy = fileText(ctx, COMPOSE_FILES.deploy);
  if (!/^readonly BACKUPS=true$/m.test(deploy)) {
    const why = 'datastores.backup.enabled is false: deploy.sh dumps nothing before it migrates';
    return tierPolicy(ctx.env.tier).requireBackups ? fail(why) : manual(`${why}, which ${ctx.env.tier} allows`);
  }
  return /pg_dump --format=custom/.test(deploy)
    ? pass(`deploy.sh dumps the database (pg_dump, custom format) before every migration, keeping the newest ${ctx.env.datastores.backup.keep}`)
    : fail('deploy.sh does not run pg_dump');
};

const backupStorage: Check = () => manual('the dumps are files in <site>/backups on the server: copy them off the server (a disk that dies takes them along)');

const pgvector: Check = (ctx) => {
  const init = fileText(ctx, COMPOSE_FILES.postgresInit).includes(POSTGRESQL.initSql);
  const db = servicesOf(ctx)[SERVICES.postgresql];
  const mounted = JSON.stringify(db?.volumes ?? []).includes(`${POSTGRESQL.initDir}/`);
  const image = String(db?.image ?? '');
  if (!init || !mounted || !db) return fail(`${image || 'no postgresql service'} without the pgvector init script`);
  return /pgvector/.test(image) ? pass(`${image}; ${COMPOSE_FILES.postgresInit} creates the extension`) : manual(unnamedPgvectorImage(image));
};

const rollbackPrepared: Check = (ctx) => {
  const script = fileText(ctx, COMPOSE_FILES.rollback);
  const problems = [
    ...(script ? [] : [`${COMPOSE_FILES.rollback} is missing`]),
    ...(/git checkout|downgrade -1|downgrade "?-/.test(script) ? ['rollback.sh steps back relative to where it stands'] : []),
    ...(/restore_release "\$RELEASES\/previous"/.test(script) ? [] : ['rollback.sh does not go back to the recorded previous release']),
    ...(ctx.fileExists('docs/compose.md') ? [] : ['docs/compose.md is missing']),
  ];
  return verdict(problems, 'rollback.sh goes back to the release deploy.sh recorded, the schema to the alembic revision it recorded; docs/compose.md');
};

const runbook: Check = (ctx) => (ctx.fileExists('docs/compose.md') ? pass('docs/compose.md') : fail('docs/compose.md is missing'));

const noPrometheus = manual('the Compose stack has no Prometheus: scrape /metrics of the api service from your own monitoring (nginx does not publish it)');

const check = (c: Check): How => ({ check: c });
const says = (result: CheckResult): How => ({ check: () => result });

/** How the Compose checklist proves the seed's items, by the item's text in CHECKLIST. */
export const COMPOSE_CHECKS: Readonly<Record<string, How>> = {
  'Backup strategy in place': check(backups),
  'Rollback scripts prepared': check(rollbackPrepared),
  'pgVector extension installed': check(pgvector),
  'Environment variables set': check(environmentVariables),
  'API keys configured (Anthropic, OpenAI)': { rules: ['compose-env-names'], check: apiKeys },
  'Redis configured (for caching)': check(redis),
  'Logging level set appropriately': check(logLevel),
  'Feature flags configured': check(featureFlags),
  'SSL certificates installed': check(tls),
  'Load balancer configured': check(loadBalancer),
  'Auto-scaling policies set': says(manual('Compose runs one API container: size the server and resources.limits instead')),
  'Backup storage configured': check(backupStorage),
  'Runbook created': check(runbook),
  'Incident response plan ready': says(manual('the Compose stack has no alerts: docs/compose.md says what to do when a deploy fails')),
  'Rate limiting configured': check(rateLimiting),
  'CORS policies set': check(cors),
  'Secrets management configured': { rules: ['secret-literal', 'env-example'], proves: () => 'no secret in dist/: the Compose file takes them from the server\'s .env; .env.example has names only' },
  'Application monitoring configured': says(noPrometheus),
  'Cost tracking enabled': says(noPrometheus),
  'Alert thresholds configured': says(noPrometheus),
  'Dashboard created': says(noPrometheus),
};

/** Replaces the checklist's Kubernetes section. */
const COMPOSE_SECTION: ChecklistSection<ComposeChecklistContext> = {
  title: 'Docker Compose',
  items: [
    { text: 'A health check on every service (the probes\' endpoints)', ...serviceRule(['compose-healthcheck'], 'a health check on every service') },
    { text: 'CPU and memory limits on every service', ...serviceRule(['memory-limit', 'compose-cpu-limit'], 'cpus and mem_limit on every service') },
    { text: 'Only nginx publishes ports (PostgreSQL and Redis are never reachable from outside)', ...serviceRule(['compose-published-port'], 'ports published by nginx only') },
    { text: 'Images pinned (tag or digest, never "latest")', ...serviceRule(['image-pinned'], 'every image pinned') },
    { text: 'Non-root users, read-only root filesystems, no privileges', ...serviceRule(['compose-non-root', 'read-only-root-fs', 'compose-privileges'], 'non-root, read-only root, cap_drop ALL, no-new-privileges') },
    { text: 'Restarted after a crash or a reboot', ...serviceRule(['compose-restart'], 'restart: unless-stopped') },
    { text: 'Every other check of npm run validate passes (without docker-compose and shellcheck)', rules: OTHER_RULES, proves: (ctx) => `no other error in ${plural(ctx.files.size, 'file')}` },
  ],
};

/** The seed's checklist for a Compose environment: the same items, proved from the Compose files where they can be. */
export const COMPOSE_CHECKLIST: readonly ChecklistSection<ComposeChecklistContext>[] = CHECKLIST.map((section) =>
  section.title === 'Kubernetes' ? COMPOSE_SECTION : { title: section.title, items: section.items.map((i) => ({ text: i.text, ...COMPOSE_CHECKS[i.text] })) },
);
