// Entry point of `npm run bench` (see lib/bench/cli.ts).
import { main } from '../lib/bench/cli';

process.exitCode = main(process.argv.slice(2));
