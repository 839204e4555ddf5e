import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { API } from '../api/constants';
import { checkProps, PodProps } from '../props';
import { resourceRequirements } from '../resources';
import { runOncePodTemplate } from '../run-once-pod';
import { hook } from '../argocd/sync';

export interface SmokeTestJobProps extends PodProps {
  /** The API image: it has Python, so the test needs no other image. */
  readonly image: string;
  /** Base URL of the API Service, e.g. `http://ai-odoo-finder:80`. */
  readonly baseUrl: string;
  /** Path and query of one real search, e.g. `/api/v1/search?q=sale&limit=1`. */
  readonly searchPath: string;
  /** @default 180 */
  readonly activeDeadlineSeconds?: number;
}

/**
 * The smoke test, for `python3 -c` in the API image. argv: base URL, search path.
 * A non-2xx answer raises HTTPError; a body that is not JSON raises too.
 * The Kubernetes PostSync hook and the Compose deploy.sh both run it.
 */
export const SMOKE_TEST_SCRIPT = `import json, sys, time, urllib.request
base, search = sys.argv[1], sys.argv[2]
def get(path):
    with urllib.request.urlopen(base + path, timeout=30) as r:
        return r.status, r.read()
for attempt in range(1, 7):
    try:
        status, _ = get("${API.livenessPath}")
        print(f"GET ${API.livenessPath}: {status}", flush=True)
        break
    except Exception as e:
        print(f"GET ${API.livenessPath} attempt {attempt}: {e}", flush=True)
        time.sleep(5)
else:
    sys.exit("smoke test failed: ${API.livenessPath} never answered")
status, body = get(search)
json.loads(body)
print(f"GET {search}: {status}, {len(body)} bytes of JSON", flush=True)
`;

/**
 * A `PostSync` hook: once every synced object is healthy, GET /health and one
 * real search through the API Service. If it fails, Argo CD marks the sync
 * failed (and, with notifications, tells the team).
 */
export class SmokeTestJob extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: SmokeTestJobProps) {
    super(scope, id);
    checkProps('SmokeTestJob', props)
      .pods(props)
      .text('image', props.image)
      .that(/^https?:\/\/[^/\s]+$/.test(props.baseUrl), 'baseUrl', `is "${props.baseUrl}", not http(s)://host[:port] without a path`)
      .that(props.searchPath.startsWith('/'), 'searchPath', `is "${props.searchPath}", not a path starting with /`)
      .integer('activeDeadlineSeconds', props.activeDeadlineSeconds, { min: 1 });
    const job = new k8s.KubeJob(this, 'Resource', {
      metadata: { ...props.metadata, annotations: { ...props.metadata.annotations, ...hook('PostSync') } },
      spec: {
        backoffLimit: 0,
        activeDeadlineSeconds: props.activeDeadlineSeconds ?? 180,
        template: runOncePodTemplate({
          labels: props.podLabels,
          serviceAccountName: props.serviceAccountName,
          uid: API.uid,
          container: {
            name: 'smoke-test',
            image: props.image,
            command: ['python3', '-c', SMOKE_TEST_SCRIPT, props.baseUrl, props.searchPath],
            env: [{ name: 'PYTHONDONTWRITEBYTECODE', value: '1' }],
            resources: resourceRequirements({ requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } }),
          },
        }),
      },
    });
    this.name = job.name;
  }
}
