import { after, cleanEnvironment, container, findingsOf, Obj, podOf, podSpec, summarize } from './fixtures';

const D = 'Deployment/shop/api';
const C = 'spec.template.spec.containers[0]';
const restricted = (message: string) => `${message} (Pod Security restricted)`;
const api = (change: (pod: Obj) => void) => after(({ byKind }) => change(podOf(byKind('Deployment'))));

describe('Pod Security "restricted" (the checks of pod-security-admission 1.28)', () => {
  it('hostProcess', () => {
    expect(api((pod) => (pod.securityContext.windowsOptions = { hostProcess: true }))).toEqual([
      `psa-host-process ${D} spec.template.spec.securityContext.windowsOptions.hostProcess: error: ${restricted('the pod must not set windowsOptions.hostProcess')}`,
    ]);
  });

  it('host namespaces', () => {
    expect(api((pod) => (pod.hostPID = true))).toEqual([`psa-host-namespaces ${D} spec.template.spec.hostPID: error: ${restricted('hostPID must not be true')}`]);
  });

  it('privileged', () => {
    expect(api((pod) => (pod.containers[0].securityContext.privileged = true))).toEqual([
      `psa-privileged ${D} ${C}.securityContext.privileged: error: ${restricted('container "api" must not be privileged')}`,
    ]);
  });

  it('capabilities: ALL not dropped', () => {
    expect(api((pod) => (pod.containers[0].securityContext.capabilities.drop = ['NET_RAW']))).toEqual([
      `psa-capabilities ${D} ${C}.securityContext.capabilities.drop: error: ${restricted('container "api" must drop capability "ALL" (securityContext.capabilities.drop: [ALL])')}`,
    ]);
  });

  it('capabilities: added beyond NET_BIND_SERVICE, baseline or not', () => {
    expect(api((pod) => (pod.containers[0].securityContext.capabilities.add = ['NET_BIND_SERVICE', 'CHOWN', 'SYS_ADMIN']))).toEqual([
      `psa-capabilities ${D} ${C}.securityContext.capabilities.add[1]: error: ${restricted('container "api" must not add capability "CHOWN": restricted allows only NET_BIND_SERVICE')}`,
      `psa-capabilities ${D} ${C}.securityContext.capabilities.add[2]: error: ${restricted('container "api" must not add capability "SYS_ADMIN": not even baseline allows it')}`,
    ]);
  });

  it('hostPath volumes', () => {
    expect(api((pod) => (pod.volumes = [{ name: 'host', hostPath: { path: '/var/run' } }]))).toEqual([
      `psa-host-path ${D} spec.template.spec.volumes[0].hostPath: error: ${restricted('volume "host" must not be a hostPath')}`,
    ]);
  });

  it('volume types other than the restricted list', () => {
    expect(api((pod) => (pod.volumes = [{ name: 'share', nfs: { server: 'nfs', path: '/x' } }]))).toEqual([
      `psa-volume-types ${D} spec.template.spec.volumes[0].nfs: error: ${restricted('volume "share" uses type nfs; allowed: configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret')}`,
    ]);
  });

  it('hostPort', () => {
    expect(api((pod) => (pod.containers[0].ports[0].hostPort = 8000))).toEqual([
      `psa-host-ports ${D} ${C}.ports[0].hostPort: error: ${restricted('container "api" must not use hostPort 8000')}`,
    ]);
  });

  it('AppArmor annotation', () => {
    expect(after(({ byKind }) => (byKind('Deployment').spec.template.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/api': 'unconfined' }))).toEqual([
      `psa-apparmor ${D} spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/api"]: error: ${restricted('AppArmor profile "unconfined" is not allowed: use runtime/default or localhost/<profile>')}`,
    ]);
  });

  it('SELinux type and user', () => {
    expect(api((pod) => (pod.containers[0].securityContext.seLinuxOptions = { type: 'spc_t', user: 'root' }))).toEqual([
      `psa-selinux ${D} ${C}.securityContext.seLinuxOptions.type: error: ${restricted('container "api" must not set seLinuxOptions.type "spc_t"')}`,
      `psa-selinux ${D} ${C}.securityContext.seLinuxOptions.user: error: ${restricted('container "api" must not set seLinuxOptions.user')}`,
    ]);
  });

  it('/proc mount', () => {
    expect(api((pod) => (pod.containers[0].securityContext.procMount = 'Unmasked'))).toEqual([
      `psa-proc-mount ${D} ${C}.securityContext.procMount: error: ${restricted('container "api" must not set procMount "Unmasked"')}`,
    ]);
  });

  it('seccomp: Unconfined, and unset everywhere', () => {
    expect(api((pod) => (pod.securityContext.seccompProfile.type = 'Unconfined'))).toEqual([
      `psa-seccomp ${D} spec.template.spec.securityContext.seccompProfile.type: error: ${restricted('the pod must not set seccompProfile.type "Unconfined": use RuntimeDefault or Localhost')}`,
    ]);
    expect(api((pod) => {
      delete pod.securityContext.seccompProfile;
      delete pod.containers[0].securityContext.seccompProfile;
    })).toEqual([`psa-seccomp ${D} ${C}.securityContext: error: ${restricted('container "api" must set securityContext.seccompProfile.type to RuntimeDefault or Localhost (or the pod must)')}`]);
  });

  it('sysctls outside the safe set', () => {
    expect(api((pod) => (pod.securityContext.sysctls = [{ name: 'net.ipv4.tcp_syncookies', value: '1' }, { name: 'kernel.msgmax', value: '1' }]))).toEqual([
      `psa-sysctls ${D} spec.template.spec.securityContext.sysctls[1].name: error: ${restricted('sysctl "kernel.msgmax" is not in the safe set')}`,
    ]);
  });

  it('allowPrivilegeEscalation not false', () => {
    expect(api((pod) => delete pod.containers[0].securityContext.allowPrivilegeEscalation)).toEqual([
      `psa-privilege-escalation ${D} ${C}.securityContext.allowPrivilegeEscalation: error: ${restricted('container "api" must set securityContext.allowPrivilegeEscalation to false')}`,
    ]);
  });

  it('runAsNonRoot: false, and unset everywhere', () => {
    expect(api((pod) => (pod.containers[0].securityContext.runAsNonRoot = false))).toEqual([
      `psa-run-as-non-root ${D} ${C}.securityContext.runAsNonRoot: error: ${restricted('container "api" must not set runAsNonRoot to false')}`,
    ]);
    expect(api((pod) => {
      delete pod.securityContext.runAsNonRoot;
      delete pod.containers[0].securityContext.runAsNonRoot;
    })).toEqual([`psa-run-as-non-root ${D} ${C}.securityContext: error: ${restricted('container "api" must set securityContext.runAsNonRoot to true (or the pod must)')}`]);
  });

  it('runAsUser 0', () => {
    expect(api((pod) => (pod.securityContext.runAsUser = 0))).toEqual([
      `psa-run-as-user ${D} spec.template.spec.securityContext.runAsUser: error: ${restricted('the pod must not set runAsUser to 0')}`,
    ]);
  });

  it('applies to init containers, and to every kind of pod template (CronJob, Job, StatefulSet, DaemonSet, Pod)', () => {
    expect(api((pod) => (pod.initContainers = [container({ name: 'migrate', ports: undefined, readinessProbe: undefined, livenessProbe: undefined, securityContext: { ...container().securityContext, privileged: true } })]))).toEqual([
      `psa-privileged ${D} spec.template.spec.initContainers[0].securityContext.privileged: error: ${restricted('init container "migrate" must not be privileged')}`,
    ]);
    const unsafePod = () => podSpec({ restartPolicy: 'OnFailure', hostNetwork: true, topologySpreadConstraints: undefined });
    const template = () => ({ metadata: { labels: { job: 'x' } }, spec: unsafePod() });
    const workloads = [
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'backup', namespace: 'shop' }, spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: template() } } } },
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', namespace: 'shop' }, spec: { template: template() } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', namespace: 'shop' }, spec: unsafePod() },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'shop' }, spec: { serviceName: 'db', selector: { matchLabels: { job: 'x' } }, template: { ...template(), spec: { ...unsafePod(), restartPolicy: 'Always' } } } },
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'shop' }, spec: { selector: { matchLabels: { job: 'x' } }, template: { ...template(), spec: { ...unsafePod(), restartPolicy: 'Always' } } } },
    ];
    const found = summarize(findingsOf([...cleanEnvironment(), ...workloads])).filter((f) => f.startsWith('psa-'));
    expect(found).toEqual([
      `psa-host-namespaces CronJob/shop/backup spec.jobTemplate.spec.template.spec.hostNetwork: error: ${restricted('hostNetwork must not be true')}`,
      `psa-host-namespaces Job/shop/migrate spec.template.spec.hostNetwork: error: ${restricted('hostNetwork must not be true')}`,
      `psa-host-namespaces Pod/shop/debug spec.hostNetwork: error: ${restricted('hostNetwork must not be true')}`,
      `psa-host-namespaces StatefulSet/shop/db spec.template.spec.hostNetwork: error: ${restricted('hostNetwork must not be true')}`,
      `psa-host-namespaces DaemonSet/shop/agent spec.template.spec.hostNetwork: error: ${restricted('hostNetwork must not be true')}`,
    ]);
  });

  it('exempts Windows pods from the capability, seccomp and privilege-escalation checks, as the admission plugin does', () => {
    expect(api((pod) => {
      pod.os = { name: 'windows' };
      delete pod.securityContext.seccompProfile;
      delete pod.containers[0].securityContext.seccompProfile;
      delete pod.containers[0].securityContext.capabilities;
      delete pod.containers[0].securityContext.allowPrivilegeEscalation;
    })).toEqual([]);
  });

  it('applies to ephemeral containers', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', namespace: 'shop' }, spec: podSpec({ topologySpreadConstraints: undefined, ephemeralContainers: [{ name: 'shell', image: 'busybox:1.36' }] }) };
    expect(summarize(findingsOf([...cleanEnvironment(), pod])).filter((f) => f.startsWith('psa-'))).toEqual([
      `psa-capabilities Pod/shop/debug spec.ephemeralContainers[0].securityContext: error: ${restricted('ephemeral container "shell" must drop capability "ALL" (securityContext.capabilities.drop: [ALL])')}`,
      `psa-privilege-escalation Pod/shop/debug spec.ephemeralContainers[0].securityContext: error: ${restricted('ephemeral container "shell" must set securityContext.allowPrivilegeEscalation to false')}`,
    ]);
  });
});
