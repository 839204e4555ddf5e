import { renderEnvironment } from '../../lib/synth/synthesize';
import { committedEnvironment } from '../support/env';

// The whole YAML of each environment, for review in pull requests. The invariants are asserted elsewhere.
describe.each(['staging', 'production'])('dist/%s', (name) => {
  test('matches the snapshot', () => {
    const files = renderEnvironment(committedEnvironment(name));
    const text = [...files].map(([file, content]) => `# ${file}\n${content}`).join('---\n');
    expect(text).toMatchSnapshot();
  });
});
