import { arrayAt, get, objectAt, stringAt } from './access';
import { Finding } from './finding';
import { ContainerRef, PodTemplateFields } from './pod-fields';
import { finding } from './resource';

// The checks of pod-security-admission (k8s.io/pod-security-admission/policy)
// for level "restricted" at version 1.28, which includes every baseline check.
// https://kubernetes.io/docs/concepts/security/pod-security-standards/

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);
const SAFE_SYSCTLS_1_28 = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports',
]);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const RESTRICTED_VOLUME_SOURCES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/** The rules of Pod Security "restricted", one a check of pod-security-admission (docs/validate.md). */
export const PSA_RULES = [
  'psa-host-process', 'psa-host-namespaces', 'psa-privileged', 'psa-capabilities', 'psa-host-ports', 'psa-proc-mount', 'psa-privilege-escalation',
  'psa-host-path', 'psa-volume-types', 'psa-apparmor', 'psa-selinux', 'psa-sysctls', 'psa-seccomp', 'psa-run-as-non-root', 'psa-run-as-user',
] as const;
type Check<T> = T extends `psa-${infer Name}` ? Name : never;
type PsaCheck = Check<(typeof PSA_RULES)[number]>;

/** Every Pod Security "restricted" violation of a pod template. */
export function checkPodSecurity(t: PodTemplateFields): Finding[] {
  const findings: Finding[] = [];
  const r = t.resource;
  const add = (rule: PsaCheck, path: (string | number)[], message: string) => findings.push(finding(r, 'error', `psa-${rule}`, path, `${message} (Pod Security restricted)`));
  const spec = t.spec;
  const podSc = objectAt(spec, 'securityContext');
  const podScPath = [...t.specPath, 'securityContext'];
  const windows = stringAt(spec, 'os', 'name') === 'windows';
  const containerSc = (c: ContainerRef) => objectAt(c.container, 'securityContext');
  const scPath = (c: ContainerRef, ...rest: (string | number)[]) => [...c.path, 'securityContext', ...rest];
  const who = (c: ContainerRef) => `${c.list === 'containers' ? 'container' : c.list.replace(/s$/, '').replace('C', ' c')} "${c.name}"`;

  // baseline: hostProcess
  if (get(podSc, 'windowsOptions', 'hostProcess') === true) add('host-process', [...podScPath, 'windowsOptions', 'hostProcess'], 'the pod must not set windowsOptions.hostProcess');
  for (const c of t.containers) {
    if (get(containerSc(c), 'windowsOptions', 'hostProcess') === true) add('host-process', scPath(c, 'windowsOptions', 'hostProcess'), `${who(c)} must not set windowsOptions.hostProcess`);
  }
  // baseline: host namespaces
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (get(spec, field) === true) add('host-namespaces', [...t.specPath, field], `${field} must not be true`);
  }
  for (const c of t.containers) {
    const sc = containerSc(c);
    // baseline: privileged
    if (get(sc, 'privileged') === true) add('privileged', scPath(c, 'privileged'), `${who(c)} must not be privileged`);
    // baseline + restricted: capabilities
    arrayAt(sc, 'capabilities', 'add').forEach((cap, i) => {
      if (cap === 'NET_BIND_SERVICE') return;
      const level = BASELINE_CAPABILITIES.has(String(cap)) ? 'restricted allows only NET_BIND_SERVICE' : 'not even baseline allows it';
      add('capabilities', scPath(c, 'capabilities', 'add', i), `${who(c)} must not add capability ${JSON.stringify(cap)}: ${level}`);
    });
    if (!windows && !arrayAt(sc, 'capabilities', 'drop').includes('ALL')) {
      add('capabilities', get(sc, 'capabilities') ? scPath(c, 'capabilities', 'drop') : scPath(c), `${who(c)} must drop capability "ALL" (securityContext.capabilities.drop: [ALL])`);
    }
    // baseline: host ports
    arrayAt(c.container, 'ports').forEach((p, i) => {
      const hostPort = get(p, 'hostPort');
      if (typeof hostPort === 'number' && hostPort !== 0) add('host-ports', [...c.path, 'ports', i, 'hostPort'], `${who(c)} must not use hostPort ${hostPort}`);
    });
    // baseline: /proc mount
    const procMount = get(sc, 'procMount');
    if (procMount !== undefined && procMount !== 'Default') add('proc-mount', scPath(c, 'procMount'), `${who(c)} must not set procMount ${JSON.stringify(procMount)}`);
    // restricted: privilege escalation
    if (!windows && get(sc, 'allowPrivilegeEscalation') !== false) {
      add('privilege-escalation', sc ? scPath(c, 'allowPrivilegeEscalation') : scPath(c), `${who(c)} must set securityContext.allowPrivilegeEscalation to false`);
    }
  }
  // baseline: hostPath volumes; restricted: volume types
  arrayAt(spec, 'volumes').forEach((v, i) => {
    if (typeof v !== 'object' || v === null) return;
    for (const source of Object.keys(v).filter((k) => k !== 'name')) {
      if (source === 'hostPath') add('host-path', [...t.specPath, 'volumes', i, source], `volume "${stringAt(v, 'name')}" must not be a hostPath`);
      else if (!RESTRICTED_VOLUME_SOURCES.has(source)) add('volume-types', [...t.specPath, 'volumes', i, source], `volume "${stringAt(v, 'name')}" uses type ${source}; allowed: ${[...RESTRICTED_VOLUME_SOURCES].join(', ')}`);
    }
  });
  // baseline: AppArmor (annotations in 1.28)
  for (const [key, value] of Object.entries(t.annotations)) {
    if (key.startsWith(APPARMOR_PREFIX) && value !== 'runtime/default' && !value.startsWith('localhost/')) {
      add('apparmor', [...t.path, 'metadata', 'annotations', key], `AppArmor profile ${JSON.stringify(value)} is not allowed: use runtime/default or localhost/<profile>`);
    }
  }
  // baseline: SELinux
  const checkSeLinux = (options: unknown, path: (string | number)[], subject: string) => {
    const type = get(options, 'type');
    if (type !== undefined && !SELINUX_TYPES.has(String(type))) add('selinux', [...path, 'type'], `${subject} must not set seLinuxOptions.type ${JSON.stringify(type)}`);
    for (const field of ['user', 'role']) {
      const value = get(options, field);
      if (value !== undefined && value !== '') add('selinux', [...path, field], `${subject} must not set seLinuxOptions.${field}`);
    }
  };
  checkSeLinux(get(podSc, 'seLinuxOptions'), [...podScPath, 'seLinuxOptions'], 'the pod');
  for (const c of t.containers) checkSeLinux(get(containerSc(c), 'seLinuxOptions'), scPath(c, 'seLinuxOptions'), who(c));
  // baseline: sysctls
  arrayAt(podSc, 'sysctls').forEach((s, i) => {
    const name = stringAt(s, 'name');
    if (!name || !SAFE_SYSCTLS_1_28.has(name)) add('sysctls', [...podScPath, 'sysctls', i, 'name'], `sysctl ${JSON.stringify(name)} is not in the safe set`);
  });
  // baseline + restricted: seccomp
  const allowedSeccomp = (type: unknown) => type === 'RuntimeDefault' || type === 'Localhost';
  const podSeccomp = get(podSc, 'seccompProfile', 'type');
  if (podSeccomp !== undefined && !allowedSeccomp(podSeccomp)) add('seccomp', [...podScPath, 'seccompProfile', 'type'], `the pod must not set seccompProfile.type ${JSON.stringify(podSeccomp)}: use RuntimeDefault or Localhost`);
  for (const c of t.containers) {
    const type = get(containerSc(c), 'seccompProfile', 'type');
    if (type !== undefined && !allowedSeccomp(type)) add('seccomp', scPath(c, 'seccompProfile', 'type'), `${who(c)} must not set seccompProfile.type ${JSON.stringify(type)}: use RuntimeDefault or Localhost`);
    else if (type === undefined && podSeccomp === undefined && !windows) add('seccomp', scPath(c), `${who(c)} must set securityContext.seccompProfile.type to RuntimeDefault or Localhost (or the pod must)`);
  }
  // restricted: runAsNonRoot
  const podNonRoot = get(podSc, 'runAsNonRoot');
  if (podNonRoot === false) add('run-as-non-root', [...podScPath, 'runAsNonRoot'], 'the pod must not set runAsNonRoot to false');
  for (const c of t.containers) {
    const nonRoot = get(containerSc(c), 'runAsNonRoot');
    if (nonRoot === false) add('run-as-non-root', scPath(c, 'runAsNonRoot'), `${who(c)} must not set runAsNonRoot to false`);
    else if (nonRoot !== true && podNonRoot !== true) add('run-as-non-root', scPath(c), `${who(c)} must set securityContext.runAsNonRoot to true (or the pod must)`);
  }
  // restricted: runAsUser != 0
  if (get(podSc, 'runAsUser') === 0) add('run-as-user', [...podScPath, 'runAsUser'], 'the pod must not set runAsUser to 0');
  for (const c of t.containers) {
    if (get(containerSc(c), 'runAsUser') === 0) add('run-as-user', scPath(c, 'runAsUser'), `${who(c)} must not set runAsUser to 0`);
  }
  return findings;
}
