import * as fs from 'fs';
import * as path from 'path';
import { DistRepo, JsonReport, objectIn, risksOf } from './dist-repo';

// Switching production from canary back to rolling is one line of config, but the Deployment that the
// Rollout ran is at 0 replicas: the diff must say so before anyone syncs it (docs/delivery.md).

const ROLLOUT = 'dist/production/rollout-ai-odoo-finder.yaml';
const repo = DistRepo.forFile();

/** The report of the working tree rendered from config/ (the default head) against the base. */
function renderedReport(): JsonReport {
  const { code, stdout, stderr } = repo.run('--format', 'json');
  if (code !== 0) throw new Error(`npm run diff exited ${code}: ${stderr}`);
  return JSON.parse(stdout) as JsonReport;
}

test('delivery.strategy canary -> rolling in config: the removed Rollout is an availability risk with the command to run first', () => {
  const file = path.join(repo.root, 'config', 'environments', 'production.yaml');
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toMatch(/^ {2}strategy: canary$/m);
  fs.writeFileSync(file, text.replace(/^( {2}strategy:) canary$/m, '$1 rolling'));
  const report = renderedReport();
  const rollout = objectIn(report, 'production', 'Rollout', 'ai-odoo-finder');
  expect(rollout.change).toBe('removed');
  const [message] = risksOf(rollout, 'availability');
  expect(message).toContain('it scaled Deployment ai-odoo-finder to 0 (workloadRef scaleDown progressively)');
  expect(message).toContain("kubectl scale deployment ai-odoo-finder --replicas=<the Rollout's replicas>");
  expect(report.folders.find((f) => f.folder === 'production')!.summary).toContain('availability at risk');
  // Only the Rollout carries it: the rest of the switch (Services, AnalysisTemplates, HPA target) is not an outage.
  const flagged = report.folders.flatMap((f) => f.objects.filter((o) => risksOf(o, 'availability').length > 0).map((o) => `${f.folder} ${o.kind}/${o.name}`));
  expect(flagged).toEqual(['production Rollout/ai-odoo-finder']);
});

test('a Rollout that never scaled its Deployment down (scaleDown never or unset) is removed without that risk', () => {
  for (const scaleDown of ['never', undefined]) {
    repo.reset(repo.base);
    repo.edit(ROLLOUT, (r) => (scaleDown ? (r.spec.workloadRef.scaleDown = scaleDown) : delete r.spec.workloadRef.scaleDown));
    repo.commit(`scaleDown ${scaleDown}`);
    repo.remove(ROLLOUT);
    const rollout = objectIn(repo.report(), 'production', 'Rollout', 'ai-odoo-finder');
    expect([scaleDown, rollout.change, risksOf(rollout, 'availability')]).toEqual([scaleDown, 'removed', []]);
  }
});

test('a Rollout added over a Deployment (rolling -> canary) is an availability risk: the switch runs at its spec.replicas', () => {
  repo.reset(repo.base);
  const rollout = repo.read(ROLLOUT);
  repo.remove(ROLLOUT);
  repo.commit('rolling');
  repo.write(ROLLOUT, rollout);
  const [message] = risksOf(objectIn(repo.report(), 'production', 'Rollout', 'ai-odoo-finder'), 'availability');
  expect(message).toContain(`Rollout ai-odoo-finder takes over Deployment ai-odoo-finder (workloadRef scaleDown progressively): during the switch the API runs at ${rollout.spec.replicas} pod(s)`);
  expect(message).toContain("if the sync fails on the HPA (FailedGetScale: its periodic look fell between its retarget and the Rollout's creation), sync again");
  // Without spec.replicas the controller starts it with one pod, and the note says so.
  delete rollout.spec.replicas;
  repo.write(ROLLOUT, rollout);
  expect(risksOf(objectIn(repo.report(), 'production', 'Rollout', 'ai-odoo-finder'), 'availability')[0]).toContain("1 pod (no spec.replicas: the controller's default)");
  // scaleDown never leaves the Deployment running: no note.
  rollout.spec.workloadRef.scaleDown = 'never';
  repo.write(ROLLOUT, rollout);
  expect(risksOf(objectIn(repo.report(), 'production', 'Rollout', 'ai-odoo-finder'), 'availability')).toEqual([]);
});
