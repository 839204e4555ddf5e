import { Environment } from '../../config/schema';
import { containersOf, describe as name, podTemplates } from '../../lib/manifests/rendered-pods';
import { manifestsOf } from '../support/env';
import { everyMode } from '../support/delivery';

describe.each(everyMode().map((e) => [e.name, e] as [string, Environment]))('every pod of %s', (_, env) => {
  const pods = podTemplates(manifestsOf(env));

  test('meets Pod Security "restricted", runs with a read-only root and no token', () => {
    expect(pods.length).toBeGreaterThanOrEqual(3);
    for (const pod of pods) {
      const who = name(pod.owner);
      expect({ who, pod: pod.spec.securityContext }).toEqual({ who, pod: expect.objectContaining({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }) });
      expect({ who, token: pod.spec.automountServiceAccountToken }).toEqual({ who, token: false });
      for (const c of containersOf(pod.spec)) {
        expect({ who, c: c.securityContext }).toEqual({
          who,
          c: expect.objectContaining({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, readOnlyRootFilesystem: true }),
        });
        expect((c.securityContext as { runAsUser: number }).runAsUser).toBeGreaterThan(0);
      }
    }
  });

  test('pins its images and sets requests and limits', () => {
    expect.hasAssertions();
    for (const pod of pods) {
      for (const c of containersOf(pod.spec)) {
        expect(c.image).toMatch(/^[^:@]+(:[^:@]+)?(@sha256:[a-f0-9]{64})?$/);
        expect(c.image).toMatch(/:(?!latest$)[^@]+|@sha256:/);
        expect(c.resources?.requests).toEqual(expect.objectContaining({ cpu: expect.anything(), memory: expect.anything() }));
        expect(c.resources?.limits).toEqual(expect.objectContaining({ cpu: expect.anything(), memory: expect.anything() }));
      }
    }
  });

  test('long-running containers have readiness and liveness probes', () => {
    expect.hasAssertions();
    for (const pod of pods.filter((p) => ['Deployment', 'StatefulSet'].includes(p.owner.kind))) {
      for (const c of pod.spec.containers) expect({ who: name(pod.owner), ready: !!c.readinessProbe, live: !!c.livenessProbe }).toEqual({ who: name(pod.owner), ready: true, live: true });
    }
  });
});
