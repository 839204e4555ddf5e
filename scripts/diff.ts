// Entry point of `npm run diff` (see lib/diff/cli.ts).
import { main } from '../lib/diff/cli';

process.exitCode = main(process.argv.slice(2));
