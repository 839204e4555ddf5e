import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { toYaml } from '../../lib/yaml/writer';
import { ROOT } from '../support/env';

/** A throw-away project root with the real schemas/, for tests that run on a whole dist/. */
export class TempProject {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-'));

  constructor() {
    fs.symlinkSync(path.join(ROOT, 'schemas'), path.join(this.root, 'schemas'));
  }

  write(file: string, content: string | object): void {
    fs.mkdirSync(path.dirname(path.join(this.root, file)), { recursive: true });
    fs.writeFileSync(path.join(this.root, file), typeof content === 'string' ? content : toYaml(content));
  }

  remove(file: string): void {
    fs.rmSync(path.join(this.root, file), { recursive: true, force: true });
  }

  dispose(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
