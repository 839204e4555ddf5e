import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from '../support/env';
import { committedEnvironmentFiles, PipelineProject } from '../support/pipeline';

/** The environment file README.md's "Add an environment" shows, as written there. */
function readmeExample(): { file: string; text: string } {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = /```yaml\n# config\/environments\/([a-z0-9-]+\.yaml)\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README.md has no "```yaml # config/environments/<env>.yaml" example');
  return { file: block[1], text: block[2] };
}

// CI runs synth, then validate, then the checklist of every environment: the README's example must pass all three.
test("the README's example environment passes synth, validate and the checklist, as in CI", () => {
  const example = readmeExample();
  const project = new PipelineProject({ ...committedEnvironmentFiles(), [example.file]: example.text });
  try {
    const synth = project.synth();
    expect(synth.stderr).toBe('');
    expect(synth.code).toBe(0);
    const env = path.basename(example.file, '.yaml');
    expect(fs.existsSync(path.join(project.root, 'dist', env, 'deployment-ai-odoo-finder.yaml'))).toBe(true);
    expect(project.validateErrors()).toEqual([]);
    for (const name of Object.keys(committedEnvironmentFiles()).map((f) => path.basename(f, '.yaml')).concat(env)) {
      const checklist = project.checklist(name);
      expect([name, checklist.code, checklist.stderr]).toEqual([name, 0, '']);
      expect(checklist.stdout).toContain('0 failed');
    }
  } finally {
    project.dispose();
  }
});
