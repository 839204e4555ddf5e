import { API } from '../api/constants';
import { COMPOSE_FILES, SERVICES } from '../compose/constants';
import { tierPolicy } from '../config/tier-policy';
import { STACK_VARIABLES } from '../compose/variables';
import { checkComposeServices } from '../validate/compose/services';
import { CHECKLIST, ChecklistSection } from './checklist';
import { ComposeChecklistContext, fileText, servicesOf } from './compose-context';
import { CheckResult, fail, manual, pass, verdict } from './context';

/* The automatic items of the checklist for a Docker Compose environment: each proves one thing from dist/<env>/. */

type Check = (ctx: ComposeChecklistContext) => CheckResult;

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** The validator's findings on the Compose file under these rules, as problems: one set of rules for validate and the checklist. */
function ruleProblems(ctx: ComposeChecklistContext, rules: readonly string[]): string[] {
  return checkComposeServices(ctx.compose)
    .filter((f) => rules.includes(f.rule))
    .map((f) => f.message);
}

const serviceRule = (rules: readonly string[], ok: string): Check => (ctx) => verdict(ruleProblems(ctx, rules), `${ok} (${plural(Object.keys(servicesOf(ctx)).length, 'service')})`);

function apiEnvironment(ctx: ComposeChecklistContext): Record<string, string> {
  return (servicesOf(ctx)[SERVICES.api]?.environment ?? {}) as Record<string, string>;
}

/** A value Compose takes from the .env file of the server, e.g. `${OPENAI_API_KEY:?…}`. */
const fromEnvFile = (value: string | undefined, name: string) => value !== undefined && value.includes(`\${${name}`);

const environmentVariables: Check = (ctx) => {
  const env = apiEnvironment(ctx);
  const wanted = ['LOG_LEVEL', 'ENABLE_RERANKING_DEFAULT', 'DATABASE_URL', 'REDIS_URL', 'ANTHROPIC_API_KEY', 'OPENAI_API_KEY'];
  const missing = wanted.filter((n) => env[n] === undefined);
  return missing.length ? fail(`the api service lacks ${missing.join(', ')}`) : pass(`${Object.keys(env).length} variables on the api service; secrets from the server's .env (${STACK_VARIABLES.length} names in .env.example)`);
};

const apiKeys: Check = (ctx) => {
  const env = apiEnvironment(ctx);
  const listed = fileText(ctx, COMPOSE_FILES.envExample);
  const problems = ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY'].flatMap((n) => [
    ...(fromEnvFile(env[n], n) ? [] : [`${n} is not taken from the .env file`]),
    ...(new RegExp(`^${n}=$`, 'm').test(listed) ? [] : [`${n} is not listed in .env.example`]),
  ]);
  return verdict(problems, 'ANTHROPIC_API_KEY and OPENAI_API_KEY from the server\'s .env file, required (Compose refuses to start without them)');
};

const redis: Check = (ctx) => {
  const url = apiEnvironment(ctx).REDIS_URL;
  if (!servicesOf(ctx)[SERVICES.redis]) return fail('no redis service');
  return fromEnvFile(url, 'REDIS_PASSWORD') ? pass('redis service with a password (REDIS_PASSWORD); REDIS_URL set on the api') : fail(`REDIS_URL ${url === undefined ? 'is not set' : 'carries no password'}`);
};

const logLevel: Check = (ctx) => {
  const level = apiEnvironment(ctx).LOG_LEVEL;
  if (!level) return fail('LOG_LEVEL is not set');
  if (tierPolicy(ctx.env.tier).forbiddenLogLevels.includes(level)) return fail(`LOG_LEVEL is "${level}" in ${ctx.env.tier}`);
  return pass(`LOG_LEVEL=${level}`);
};

const featureFlags: Check = (ctx) => {
  const flag = apiEnvironment(ctx).ENABLE_RERANKING_DEFAULT;
  return flag === undefined ? fail('ENABLE_RERANKING_DEFAULT is not set') : pass(`ENABLE_RERANKING_DEFAULT=${flag}`);
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
  if (!/^readonly BACKUPS=true$/m.test(deploy)) return fail('datastores.backup.enabled is false: deploy.sh dumps nothing before it migrates');
  return /pg_dump --format=custom/.test(deploy)
    ? pass(`deploy.sh dumps the database (pg_dump, custom format) before every migration, keeping the newest ${ctx.env.datastores.backup.keep}`)
    : fail('deploy.sh does not run pg_dump');
};

const backupStorage: Check = () => manual('the dumps are files in <site>/backups on the server: copy them off the server (a disk that dies takes them along)');

const pgvector: Check = (ctx) => {
  const init = /CREATE EXTENSION IF NOT EXISTS vector/.test(fileText(ctx, COMPOSE_FILES.postgresInit));
  const db = servicesOf(ctx)[SERVICES.postgresql];
  const mounted = JSON.stringify(db?.volumes ?? []).includes('/docker-entrypoint-initdb.d/');
  const image = String(db?.image ?? '');
  return init && mounted && /pgvector/.test(image) ? pass(`${image}; ${COMPOSE_FILES.postgresInit} creates the extension`) : fail(`${image || 'no postgresql service'} without the pgvector init script`);
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

const noSecretsInGit: Check = (ctx) => {
  const problems = ruleProblems(ctx, ['secret-literal']);
  const valued = fileText(ctx, COMPOSE_FILES.envExample)
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#') && !/^[A-Za-z_][A-Za-z0-9_]*=$/.test(l));
  problems.push(...valued.map((l) => `.env.example has a value: ${l.split('=')[0]}`));
  return verdict(problems, 'no secret in dist/: the Compose file takes them from the server\'s .env; .env.example has names only');
};

const noPrometheus = manual('the Compose stack has no Prometheus: scrape /metrics of the api service from your own monitoring (nginx does not publish it)');

/** Compose checks of the seed's items, by the item's text in CHECKLIST. */
export const COMPOSE_CHECKS: Readonly<Record<string, Check>> = {
  'Backup strategy in place': backups,
  'Rollback scripts prepared': rollbackPrepared,
  'pgVector extension installed': pgvector,
  'Environment variables set': environmentVariables,
  'API keys configured (Anthropic, OpenAI)': apiKeys,
  'Redis configured (for caching)': redis,
  'Logging level set appropriately': logLevel,
  'Feature flags configured': featureFlags,
  'SSL certificates installed': tls,
  'Load balancer configured': loadBalancer,
  'Auto-scaling policies set': () => manual('Compose runs one API container: size the server and resources.limits instead'),
  'Backup storage configured': backupStorage,
  'Runbook created': runbook,
  'Incident response plan ready': () => manual('the Compose stack has no alerts: docs/compose.md says what to do when a deploy fails'),
  'Rate limiting configured': rateLimiting,
  'CORS policies set': cors,
  'Secrets management configured': noSecretsInGit,
  'Application monitoring configured': () => noPrometheus,
  'Cost tracking enabled': () => noPrometheus,
  'Alert thresholds configured': () => noPrometheus,
  'Dashboard created': () => noPrometheus,
};

/** Replaces the checklist's Kubernetes section. */
const COMPOSE_SECTION: ChecklistSection<ComposeChecklistContext> = {
  title: 'Docker Compose',
  items: [
    { text: 'A health check on every service (the probes\' endpoints)', check: serviceRule(['compose-healthcheck'], 'a health check on every service') },
    { text: 'CPU and memory limits on every service', check: serviceRule(['memory-limit', 'compose-cpu-limit'], 'cpus and mem_limit on every service') },
    { text: 'Only nginx publishes ports (PostgreSQL and Redis are never reachable from outside)', check: serviceRule(['compose-published-port'], 'ports published by nginx only') },
    { text: 'Images pinned (tag or digest, never "latest")', check: serviceRule(['image-pinned'], 'every image pinned') },
    { text: 'Non-root users, read-only root filesystems, no privileges', check: serviceRule(['compose-non-root', 'read-only-root-fs', 'compose-privileges'], 'non-root, read-only root, cap_drop ALL, no-new-privileges') },
    { text: 'Restarted after a crash or a reboot', check: serviceRule(['compose-restart'], 'restart: unless-stopped') },
  ],
};

/** The seed's checklist for a Compose environment: the same items, proved from the Compose files where they can be. */
export const COMPOSE_CHECKLIST: readonly ChecklistSection<ComposeChecklistContext>[] = CHECKLIST.map((section) =>
  section.title === 'Kubernetes' ? COMPOSE_SECTION : { title: section.title, items: section.items.map((i) => ({ text: i.text, check: COMPOSE_CHECKS[i.text] })) },
);
