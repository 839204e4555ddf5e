import { Call, composeEnvironment, ScratchServer, step } from './support/scripts';

/** What deploy.sh and rollback.sh wait with (settings.ts): compose.waitSeconds / 5 looks; one restart tolerated; 20 log lines. */
const LOOKS_OF_A_FULL_WAIT = 300 / 5;

/**
 * wait_healthy of deploy.sh and rollback.sh: it finds a service's containers
 * by their Compose labels, not with `compose ps -q` (Compose v2 hides a
 * stopped container from it, docker-compose 1.29 adds running one-off ones),
 * and gives up at the first look that finds a container stopped, unhealthy or
 * restarting in a loop. Fail-fast is proven by the calls made and the sleeps
 * taken, never by wall time.
 */
describe('deploy.sh waits for health by the containers Docker has, and fails fast', () => {
  let server: ScratchServer;
  let release: string;
  const steps = (calls: Call[]) => calls.map(step);
  const count = (calls: Call[], name: string) => steps(calls).filter((s) => s === name).length;

  beforeEach(() => {
    server = new ScratchServer();
    release = server.release('release', composeEnvironment());
  });
  afterEach(() => server.remove());

  test('a container that exited (hidden from Compose v2 ps -q) fails at the first look, with its status, restarts and log', () => {
    server.health('api', 'exited');
    const { code, output, calls } = server.run(release, 'deploy.sh');
    expect(count(calls, 'ps api')).toBe(1);
    expect(count(calls, 'inspect api')).toBe(1);
    expect(server.sleeps()).toBe(0);
    expect(code).toBe(1);
    expect(output).toContain('api stopped (exit code 1); status exited, restarted 0 times (container id-api)');
    expect(output).toContain('deploy failed: the API did not become healthy');
    const s = steps(calls);
    expect(s.slice(s.indexOf('ps api'))).toEqual(['ps api', 'inspect api', 'logs api', 'stop api nginx']);
    // Its last 20 log lines, from Docker.
    expect(calls.find((c) => step(c) === 'logs api')!.args).toEqual(['logs', '--tail', '20', 'id-api']);
    expect(output).toContain('    id-api log line 50');
    expect(output).toContain('    id-api log line 31');
    expect(output).not.toContain('id-api log line 30\n');
    // The service's own containers, stopped ones included, by the labels both Compose versions set; never compose ps.
    expect(calls.find((c) => step(c) === 'ps api')!.args).toEqual([
      'ps',
      '--all',
      '--quiet',
      '--filter',
      'label=com.docker.compose.project=odoo-finder-test',
      '--filter',
      'label=com.docker.compose.service=api',
      '--filter',
      'label=com.docker.compose.oneoff=False',
    ]);
    expect(calls.filter((c) => c.compose?.[0] === 'ps')).toEqual([]);
  });

  test('a stopped container is not healthy, whatever health status Docker kept from before it stopped', () => {
    server.health('nginx', 'exited/healthy');
    // The state decides, not the health status Docker kept.
    const { code, output, calls } = server.run(release, 'deploy.sh');
    expect(code).toBe(1);
    expect(output).toContain('nginx stopped (exit code 1); status exited');
    expect(output).not.toContain('] nginx is healthy');
    expect(count(calls, 'inspect nginx')).toBe(1);
  });

  test('a running one-off container of the service (docker-compose 1.29 ps -q would list it) is not looked at', () => {
    server.oneOff('api');
    server.health('api', 'starting', 'healthy');
    const { code, output, calls } = server.run(release, 'deploy.sh');
    expect(count(calls, 'inspect api')).toBe(2);
    expect(output).toContain('api is healthy');
    expect(code).toBe(0);
    expect(count(calls, 'inspect api-run')).toBe(0);
    expect(server.sleeps()).toBe(1);
  });

  test('a restart loop fails at the look that finds the second restart since the wait began', () => {
    // restart: unless-stopped: a crashing container never reads "exited"; it cycles through restarting and starting.
    server.health('api', 'starting 0', 'restarting 1', 'starting 2', 'restarting 3');
    const { code, output, calls } = server.run(release, 'deploy.sh');
    expect(count(calls, 'inspect api')).toBe(3);
    expect(server.sleeps()).toBe(2);
    expect(code).toBe(1);
    expect(output).toContain('api is restarting in a loop (2 restarts while waiting); status starting, restarted 2 times (container id-api)');
    expect(output).toContain('    id-api log line 50');
    expect(steps(calls)).toContain('stop api nginx');
  });

  test('one restart while waiting is tolerated, and restarts from before the wait do not count', () => {
    // E.g. a container that was not recreated and restarted 4 times last month, then once while PostgreSQL restarted.
    server.health('api', 'starting 4', 'restarting 5', 'starting 5', 'healthy 5');
    const { code, output, calls } = server.run(release, 'deploy.sh');
    expect(output).toContain('api is healthy');
    expect(code).toBe(0);
    expect(count(calls, 'inspect api')).toBe(4);
    expect(server.sleeps()).toBe(3);
  });

  test('a container gone between docker ps and docker inspect (being replaced) is looked at again, not failed', () => {
    const { code, output, calls } = server.run(release, 'deploy.sh', [], { STANDIN_FAIL_ONCE: 'inspect' });
    expect(output).toContain('postgresql is healthy');
    expect(code).toBe(0);
    expect(count(calls, 'inspect postgresql')).toBe(2);
    expect(server.sleeps()).toBe(1);
  });

  test('a wait that runs out prints the log of the service it waited for', () => {
    server.health('redis', 'starting');
    const { code, output, calls } = server.run(release, 'deploy.sh');
    expect(code).toBe(1);
    expect(output).toContain(`redis is still starting after ${LOOKS_OF_A_FULL_WAIT * 5} s`);
    expect(count(calls, 'inspect redis')).toBe(LOOKS_OF_A_FULL_WAIT);
    expect(steps(calls)).toContain('logs redis');
    expect(output).toContain('    id-redis log line 50');
  });

  test('rollback.sh fails fast the same way', () => {
    expect(server.run(release, 'deploy.sh', [], { STANDIN_REVISION: 'aaa111' }).code).toBe(0);
    const next = server.release('release-next', composeEnvironment({ image: { repository: 'ghcr.io/ai-odoofinder/api', tag: '1.1.0' } }));
    expect(server.run(next, 'deploy.sh', [], { STANDIN_REVISION: 'bbb222' }).code).toBe(0);
    server.health('api', 'restarting 0', 'starting 1', 'restarting 2');
    const { code, output, calls } = server.run(next, 'rollback.sh');
    expect(count(calls, 'inspect api')).toBe(3);
    expect(code).toBe(1);
    expect(output).toContain('api is restarting in a loop (2 restarts while waiting); status restarting, restarted 2 times');
    expect(output).toContain('rollback failed');
  });
});
