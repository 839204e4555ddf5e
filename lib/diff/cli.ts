import { diffDist } from './diff';
import { formatReport, OutputFormat } from './format';
import { DEFAULT_UPSTREAM, DiffSourceError, distAtCommit, distOnDisk, renderedDist, resolveBase } from './sources';

const USAGE = `usage: npm run diff [-- --base REF] [--env NAME[,NAME...]] [--format text|markdown|json] [--head rendered|dist]

Compares the manifests of dist/ at REF (default: the merge base of HEAD and
${DEFAULT_UPSTREAM}, else HEAD) with the working tree's, per folder, object by
object (kind/namespace/name), field by field, and notes each risk: pods rolled,
immutable fields, data at risk, alerting, security, images. The working tree's
manifests are rendered from config/ in memory (--head rendered, the default) or
read from dist/ as it is on disk (--head dist). Exit code 0 whatever changed;
2 when the comparison cannot be made. See docs/diff.md.`;

const FORMATS: readonly OutputFormat[] = ['text', 'markdown', 'json'];

interface Options {
  base?: string;
  folders?: string[];
  format: OutputFormat;
  head: 'rendered' | 'dist';
}

/** `npm run diff`: returns the exit code. */
export function main(argv: readonly string[], root = process.cwd()): number {
  let options: Options;
  try {
    const parsed = parseArguments(argv);
    if (parsed === 'help') {
      console.log(USAGE);
      return 0;
    }
    options = parsed;
  } catch (e) {
    console.error(`diff: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  try {
    const base = resolveBase(root, options.base);
    const head = options.head === 'dist' ? distOnDisk(root) : renderedDist(root);
    const baseFiles = distAtCommit(root, base.commit);
    const unknown = (options.folders ?? []).filter((f) => !head.has(f) && !baseFiles.has(f));
    if (unknown.length > 0) throw new DiffSourceError(`--env ${unknown.join(',')}: no such folder in dist/ at ${base.description} or in the working tree`);
    const { folders, unchanged } = diffDist(baseFiles, head, options.folders);
    const headDescription = options.head === 'dist' ? 'dist/ of the working tree' : 'the working tree (rendered from config/)';
    process.stdout.write(formatReport({ base: base.description, head: headDescription, folders, unchanged }, options.format));
    return 0;
  } catch (e) {
    if (!(e instanceof DiffSourceError)) throw e;
    console.error(`diff: ${e.message}`);
    return 2;
  }
}

function parseArguments(argv: readonly string[]): Options | 'help' {
  const options: Options = { format: 'text', head: 'rendered' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const name = arg.split('=')[0];
    const value = () => {
      const v = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (!v) throw new Error(`${name} needs a value`);
      return v;
    };
    if (arg === '--help' || arg === '-h') return 'help';
    if (name === '--base') options.base = value();
    else if (name === '--env') options.folders = [...(options.folders ?? []), ...value().split(',').filter(Boolean)];
    else if (name === '--format') {
      const format = value();
      if (!FORMATS.includes(format as OutputFormat)) throw new Error(`--format ${format}: use one of ${FORMATS.join(', ')}`);
      options.format = format as OutputFormat;
    } else if (name === '--head') {
      const head = value();
      if (head !== 'rendered' && head !== 'dist') throw new Error(`--head ${head}: use rendered or dist`);
      options.head = head;
    } else throw new Error(`unknown argument "${arg}"`);
  }
  return options;
}
