import { after, cleanEnvironment, findingsOf, podOf, podSpec, summarize } from './fixtures';

const D = 'Deployment/shop/api';
const C = 'spec.template.spec.containers[0]';

describe('what the API server validates beyond the schema', () => {
  it('a Deployment selector that does not select its own template', () => {
    expect(after(({ byKind }) => (byKind('Deployment').spec.selector.matchLabels['app.kubernetes.io/name'] = 'web'))).toEqual([
      `selector-match ${D} spec.selector: error: does not select the labels of spec.template.metadata.labels (the API server rejects this)`,
    ]);
  });

  it('object names, label keys and values', () => {
    expect(after(({ byKind }) => (byKind('ConfigMap', 'api-config').metadata.name = 'Api_Config'))).toContain(
      'names ConfigMap/shop/Api_Config metadata.name: error: "Api_Config" is not a valid ConfigMap name: lower-case letters, digits and \'-\' or \'.\', at most 253 characters',
    );
    expect(after(({ byKind }) => (byKind('Service').metadata.name = 'api.v2'))).toContain(
      'names Service/shop/api.v2 metadata.name: error: "api.v2" is not a valid Service name: lower-case letters, digits and \'-\', starting with a letter, at most 63 characters',
    );
    expect(after(({ byKind }) => (byKind('Service').metadata.name = '2api'))).toContain(
      'names Service/shop/2api metadata.name: error: "2api" is not a valid Service name: lower-case letters, digits and \'-\', starting with a letter, at most 63 characters',
    );
    expect(after(({ byKind }) => (byKind('ConfigMap', 'api-config').metadata.labels = { 'app.kubernetes.io/version': '1.4.2+build/7' }))).toEqual([
      'labels ConfigMap/shop/api-config metadata.labels["app.kubernetes.io/version"]: error: "1.4.2+build/7" is not a valid label value: at most 63 letters, digits, \'-\', \'_\' or \'.\', starting and ending with a letter or digit',
    ]);
    expect(after(({ byKind }) => (byKind('ConfigMap', 'api-config').metadata.annotations = { 'bad key!': 'x' }))).toEqual([
      'labels ConfigMap/shop/api-config metadata.annotations["bad key!"]: error: "bad key!" is not a valid annotation key ([prefix/]name, name at most 63 characters of letters, digits, \'-\', \'_\', \'.\')',
    ]);
  });

  it('container names and ConfigMap keys', () => {
    expect(after(({ byKind }) => (podOf(byKind('Deployment')).containers[0].name = 'API'))).toEqual(expect.arrayContaining([
      `names ${D} ${C}.name: error: "API" is not a valid container name (a DNS label)`,
    ]));
    expect(after(({ byKind }) => (byKind('ConfigMap', 'api-config').data['log level'] = 'info'))).toEqual([
      'names ConfigMap/shop/api-config data["log level"]: error: "log level" is not a valid ConfigMap key: letters, digits, \'-\', \'_\' and \'.\'',
    ]);
  });

  it('container port names of at most 15 characters', () => {
    expect(after(({ byKind }) => {
      const c = podOf(byKind('Deployment')).containers[0];
      c.ports.push({ name: 'prometheus-metrics', containerPort: 9090 });
    })).toEqual([`names ${D} ${C}.ports[1].name: error: port name "prometheus-metrics" is not valid: at most 15 lower-case letters, digits and '-', with a letter`]);
  });

  it('volume mounts of volumes the pod does not define, and duplicate names', () => {
    expect(after(({ byKind }) => (podOf(byKind('Deployment')).containers[0].volumeMounts = [{ name: 'tmp', mountPath: '/tmp' }]))).toEqual([
      `volume-mount ${D} ${C}.volumeMounts[0].name: error: container "api" mounts volume "tmp", which the pod does not define`,
    ]);
    expect(after(({ byKind }) => (podOf(byKind('Deployment')).volumes = [{ name: 'tmp', emptyDir: {} }, { name: 'tmp', emptyDir: {} }]))).toEqual([
      `unique-names ${D} spec.template.spec.volumes[1].name: error: volume name "tmp" is used twice`,
    ]);
  });

  it('cron schedules', () => {
    const cronJob = (schedule: string) => ({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'backup', namespace: 'shop' },
      spec: { schedule, jobTemplate: { spec: { template: { metadata: { labels: { job: 'backup' } }, spec: podSpec({ restartPolicy: 'OnFailure', topologySpreadConstraints: undefined, containers: [{ ...podSpec().containers[0], readinessProbe: undefined, livenessProbe: undefined, ports: undefined }] }) } } } },
    });
    // Under the namespace's default deny, the backup's pods need a policy of their own (network-pod-policy).
    const policy = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'backup', namespace: 'shop' }, spec: { podSelector: { matchLabels: { job: 'backup' } }, policyTypes: ['Egress'] } };
    expect(summarize(findingsOf([...cleanEnvironment(), cronJob('0 3 * * *'), policy]))).toEqual([]);
    expect(summarize(findingsOf([...cleanEnvironment(), cronJob('every night'), policy]))).toEqual([
      'cron-schedule CronJob/shop/backup spec.schedule: error: "every night" is not a cron schedule the API server accepts: has 2 fields; a schedule has exactly 5 (minute hour day-of-month month day-of-week), e.g. "0 3 * * *"',
    ]);
  });

  it('HPA min above max, PDB with both minAvailable and maxUnavailable', () => {
    expect(after(({ byKind }) => (byKind('HorizontalPodAutoscaler').spec.minReplicas = 8))).toEqual([
      'hpa-range HorizontalPodAutoscaler/shop/api spec.minReplicas: error: minReplicas 8 is greater than maxReplicas 5',
    ]);
    expect(after(({ byKind }) => (byKind('PodDisruptionBudget').spec.minAvailable = 1))).toEqual([
      'pdb-spec PodDisruptionBudget/shop/api spec: error: sets both minAvailable and maxUnavailable; the API server accepts only one',
    ]);
  });

  it('a StatefulSet whose governing Service does not exist', () => {
    const db = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'shop' },
      spec: { serviceName: 'db-headless', selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } }, template: { metadata: { labels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api-test' } }, spec: podSpec() } },
    };
    expect(summarize(findingsOf([...cleanEnvironment(), db])).filter((f) => f.startsWith('statefulset-service'))).toEqual([
      'statefulset-service StatefulSet/shop/db spec.serviceName: error: Service "db-headless" (the StatefulSet\'s governing headless Service) does not exist in namespace "shop"',
    ]);
  });
});
