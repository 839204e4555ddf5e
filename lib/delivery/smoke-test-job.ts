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
  /** The Job fails after this long; the script gets it less SMOKE_TEST_START_SECONDS. At least twice that. @default 180 */
  readonly activeDeadlineSeconds?: number;
}

/** Seconds the smoke test pod may take before its script runs (scheduling, the image, Python's start): the Job's deadline less this is the script's own budget. */
export const SMOKE_TEST_START_SECONDS = 30;
/** The script's budget where no deadline bounds it from outside (Compose's deploy.sh): what the default Job deadline, 180 s, leaves. */
export const SMOKE_TEST_BUDGET_SECONDS = 180 - SMOKE_TEST_START_SECONDS;

/**
 * The smoke test, for `python3 -c` in the API image. argv: base URL, search
 * path, budget in seconds. A non-2xx answer raises HTTPError; a body that is
 * not JSON raises too. Every request's timeout and every retry fits in the
 * budget, so a hanging API makes the script fail with its own message before
 * the Job's activeDeadlineSeconds kills it (which would only say
 * DeadlineExceeded). The Kubernetes PostSync hook and the Compose deploy.sh
 * both run it.
 */
export const SMOKE_TEST_SCRIPT = `import json, sys, time, urllib.request
base, search, budget = sys.argv[1], sys.argv[2], float(sys.argv[3])
end = time.monotonic() + budget
def left():
    return end - time.monotonic()
def get(path, timeout):
    if left() < 1:
        sys.exit(f"smoke test failed: no time left for GET {path} (budget {budget:g} s)")
    with urllib.request.urlopen(base + path, timeout=min(timeout, left())) as r:
        return r.status, r.read()
attempt = 0
while True:
    attempt += 1
    try:
        status, _ = get("${API.livenessPath}", 10)
        print(f"GET ${API.livenessPath}: {status}", flush=True)
        break
    except Exception as e:
        print(f"GET ${API.livenessPath} attempt {attempt}: {e}", flush=True)
        if left() < 5 + 1:
            sys.exit(f"smoke test failed: ${API.livenessPath} did not answer within {budget:g} s")
        time.sleep(5)
status, body = get(search, 30)
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
      .integer('activeDeadlineSeconds', props.activeDeadlineSeconds, { min: 2 * SMOKE_TEST_START_SECONDS });
    const deadline = props.activeDeadlineSeconds ?? 180;
    const job = new k8s.KubeJob(this, 'Resource', {
      metadata: { ...props.metadata, annotations: { ...props.metadata.annotations, ...hook('PostSync') } },
      spec: {
        backoffLimit: 0,
        activeDeadlineSeconds: deadline,
        template: runOncePodTemplate({
          labels: props.podLabels,
          serviceAccountName: props.serviceAccountName,
          uid: API.uid,
          container: {
            name: 'smoke-test',
            image: props.image,
            command: ['python3', '-c', SMOKE_TEST_SCRIPT, props.baseUrl, props.searchPath, String(deadline - SMOKE_TEST_START_SECONDS)],
            env: [{ name: 'PYTHONDONTWRITEBYTECODE', value: '1' }],
            resources: resourceRequirements({ requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } }),
          },
        }),
      },
    });
    this.name = job.name;
  }
}
