import { Environment } from '../../config/schema';
import { SERVING } from '../api/serving';
import { API } from '../api/constants';
import { DOCKER_DNS, NGINX, SERVICES } from './constants';

/**
 * What ingress-nginx does with our Ingress annotations, written for plain
 * nginx so that both targets answer the same (ingress-nginx source, read at
 * commit dbb11b92):
 * - limit-rps / limit-burst-multiplier / limit-connections: a 5m zone keyed by
 *   client address, `limit_req … burst=<rps × multiplier> nodelay`,
 *   `limit_conn … <n>` (internal/ingress/annotations/ratelimit/main.go;
 *   buildRateLimit in internal/ingress/controller/template/template.go), both
 *   answering 503 (LimitReqStatusCode, LimitConnStatusCode in
 *   internal/ingress/controller/config/config.go).
 * - ssl-redirect: 308 to https (HTTPRedirectCode, config.go); HSTS max-age
 *   31536000 with includeSubDomains; TLSv1.2 and TLSv1.3 (config.go).
 * - CORS: only for an Origin matching one of the allowed origins, whole and
 *   case-insensitive (buildCorsOriginRegex, template.go), Allow-Origin is the
 *   request's origin; Allow-Credentials only when it is true (the Ingress always
 *   annotates ingress.cors.allowCredentials); a preflight OPTIONS from an
 *   allowed origin is answered 204 by nginx (the CORS block of
 *   rootfs/etc/nginx/template/nginx.tmpl).
 * Headers and limits that are ours, not the controller's, are the Ingress's
 * annotations (lib/ingress/api-ingress.ts): allowed headers, max age, body size, read timeout.
 */
export function nginxConf(env: Environment, header: readonly string[]): string {
  const { ingress, compose } = env;
  const host = ingress.host!;
  const rate = ingress.rateLimit;
  const cors = ingress.cors.allowOrigins.length > 0;
  const httpsHost = compose.httpsPort === 443 ? '$host' : `$host:${compose.httpsPort}`;
  const lines = [
    ...header.map((l) => `# ${l}`),
    'worker_processes auto;',
    // nginx-unprivileged: uid 101 on a read-only root, so the pid and temporary files live on the /tmp tmpfs.
    'pid /tmp/nginx.pid;',
    'error_log stderr warn;',
    '',
    'events {',
    '  worker_connections 1024;',
    '}',
    '',
    'http {',
    '  client_body_temp_path /tmp/client_temp;',
    '  proxy_temp_path /tmp/proxy_temp;',
    '  fastcgi_temp_path /tmp/fastcgi_temp;',
    '  uwsgi_temp_path /tmp/uwsgi_temp;',
    '  scgi_temp_path /tmp/scgi_temp;',
    '  default_type application/octet-stream;',
    '  access_log /dev/stdout combined;',
    '  server_tokens off;',
    '  keepalive_timeout 65s;',
    `  client_max_body_size ${ingress.maxBodySize};`,
    '',
    '  # Docker\'s embedded DNS: the api container\'s address is looked up again (every 10 s) after a deploy recreates it.',
    `  resolver ${DOCKER_DNS} valid=10s ipv6=off;`,
    '',
    `  # ingress.rateLimit: ${rate.requestsPerSecond} requests/s per client address, bursts of ${rate.requestsPerSecond * rate.burstMultiplier}, ${rate.connections} connections.`,
    `  limit_req_zone $binary_remote_addr zone=api_rps:5m rate=${rate.requestsPerSecond}r/s;`,
    '  limit_conn_zone $binary_remote_addr zone=api_conn:5m;',
    '  limit_req_status 503;',
    '  limit_conn_status 503;',
    ...(cors ? corsMaps(ingress.cors.allowOrigins, ingress.cors.allowMethods, ingress.cors.allowCredentials) : []),
    '',
    '  server {',
    `    listen ${NGINX.httpPort} default_server;`,
    '    server_name _;',
    '',
    `    location = ${NGINX.healthPath} {`,
    '      access_log off;',
    '      default_type text/plain;',
    '      return 200 "ok\\n";',
    '    }',
    '',
    '    # ACME HTTP-01 challenges (certbot --webroot) are answered over plain HTTP.',
    '    location ^~ /.well-known/acme-challenge/ {',
    `      root ${NGINX.tlsPath}/${NGINX.acmeWebroot};`,
    '    }',
    '',
    '    location / {',
    `      return 308 https://${httpsHost}$request_uri;`,
    '    }',
    '  }',
    '',
    '  server {',
    `    listen ${NGINX.httpsPort} ssl default_server;`,
    `    server_name ${host};`,
    `    ssl_certificate ${NGINX.tlsPath}/${NGINX.certificate};`,
    `    ssl_certificate_key ${NGINX.tlsPath}/${NGINX.privateKey};`,
    '    ssl_protocols TLSv1.2 TLSv1.3;',
    '    ssl_session_cache shared:SSL:10m;',
    '    ssl_session_timeout 10m;',
    '',
    // As the internal Ingress's Prefix path (lib/ingress/blocked-paths-ingress.ts): the path and everything below it.
    // ^~: no regular expression location can take it back.
    `    # Metrics are for monitoring on the server, not for the internet: ${API.metricsPath} and everything below it.`,
    `    location = ${API.metricsPath} {`,
    '      return 404;',
    '    }',
    `    location ^~ ${API.metricsPath}/ {`,
    '      return 404;',
    '    }',
    '',
    '    location / {',
    `      limit_conn api_conn ${rate.connections};`,
    `      limit_req zone=api_rps burst=${rate.requestsPerSecond * rate.burstMultiplier} nodelay;`,
    '',
    '      # Every add_header of the location, since one there hides those of the server.',
    '      add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;',
    ...(cors
      ? [
          '      add_header Access-Control-Allow-Origin $cors_allow_origin always;',
          ...(ingress.cors.allowCredentials ? ['      add_header Access-Control-Allow-Credentials $cors_allow_credentials always;'] : []),
          '      add_header Access-Control-Allow-Methods $cors_allow_methods always;',
          '      add_header Access-Control-Allow-Headers $cors_allow_headers always;',
          '      add_header Access-Control-Max-Age $cors_max_age always;',
          '      if ($cors_preflight = "1") {',
          '        return 204;',
          '      }',
        ]
      : []),
    '',
    '      # A variable, so that nginx resolves the name per request instead of once at start.',
    `      set $api_upstream http://${SERVICES.api}:${API.containerPort};`,
    '      proxy_pass $api_upstream;',
    '      proxy_http_version 1.1;',
    '      proxy_set_header Connection "";',
    '      proxy_set_header Host $host;',
    '      proxy_set_header X-Real-IP $remote_addr;',
    // nginx is the edge here: the client's own X-Forwarded-For is not trusted, as ingress-nginx does by default
    // (use-forwarded-headers: false, docs/user-guide/nginx-configuration/configmap.md; its nginx.tmpl sets
    // X-Forwarded-For to $remote_addr and passes the client's header on as X-Original-Forwarded-For).
    '      proxy_set_header X-Forwarded-For $remote_addr;',
    '      proxy_set_header X-Original-Forwarded-For $http_x_forwarded_for;',
    '      proxy_set_header X-Forwarded-Proto https;',
    '      proxy_set_header X-Forwarded-Host $host;',
    '      proxy_connect_timeout 5s;',
    '      # LLM reranking can take several seconds.',
    `      proxy_read_timeout ${SERVING.proxyReadTimeoutSeconds}s;`,
    `      proxy_send_timeout ${SERVING.proxyReadTimeoutSeconds}s;`,
    '    }',
    '  }',
    '}',
  ];
  return `${lines.join('\n')}\n`;
}

/** CORS headers as variables that are empty (so nginx sends no header) unless the Origin is allowed. */
function corsMaps(origins: readonly string[], methods: readonly string[], credentials: boolean): string[] {
  const pattern = `~*^(${origins.map(regexQuote).join('|')})$`;
  const whenAllowed = (variable: string, value: string) => [`  map $cors_allowed ${variable} {`, '    default "";', `    "1" "${value}";`, '  }'];
  return [
    '',
    `  # ingress.cors.allowOrigins: ${origins.join(', ')}`,
    '  map $http_origin $cors_allowed {',
    '    default "";',
    `    "${pattern}" "1";`,
    '  }',
    '  map $http_origin $cors_allow_origin {',
    '    default "";',
    `    "${pattern}" $http_origin;`,
    '  }',
    ...(credentials ? whenAllowed('$cors_allow_credentials', 'true') : []),
    ...whenAllowed('$cors_allow_methods', methods.join(', ')),
    ...whenAllowed('$cors_allow_headers', 'Authorization, Content-Type'),
    ...whenAllowed('$cors_max_age', '600'),
    '  map "$cors_allowed:$request_method" $cors_preflight {',
    '    default "";',
    '    "1:OPTIONS" "1";',
    '  }',
  ];
}

/** An origin as a PCRE literal (ingress-nginx quotes it with Go's regexp.QuoteMeta). */
function regexQuote(origin: string): string {
  return origin.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}
