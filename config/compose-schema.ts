import { Type } from '@sinclair/typebox';
import { Image } from './delivery-schema';
import { section } from './schema-types';

const Port = (description: string, def: number) => Type.Integer({ minimum: 1, maximum: 65535, default: def, description });

/** Settings that only a `target: compose` environment has (docs/compose.md). */
export const COMPOSE_SECTION = section(
  {
    listenAddress: Type.String({
      pattern: '^([0-9]{1,3}(\\.[0-9]{1,3}){3}|\\[?[0-9a-fA-F:]+\\]?)$',
      default: '0.0.0.0',
      description: 'Host address nginx publishes its ports on. "127.0.0.1" keeps a laptop\'s stack off the network.',
    }),
    httpPort: Port('Host port of plain HTTP (redirected to HTTPS, and the ACME HTTP-01 challenge).', 80),
    httpsPort: Port('Host port of HTTPS.', 443),
    nginxImage: Image('The reverse proxy. An nginx-unprivileged image: it runs as uid 101 and listens on 8080/8443.', 'nginxinc/nginx-unprivileged:1.26.2-alpine'),
    waitSeconds: Type.Integer({
      minimum: 30,
      maximum: 3600,
      default: 300,
      description: 'How long deploy.sh and rollback.sh wait for a service to become healthy before they give up (the Deployment\'s progressDeadlineSeconds).',
    }),
  },
  'The Docker Compose stack (target "compose" only): where nginx listens, its image, how long deploys wait.',
);
