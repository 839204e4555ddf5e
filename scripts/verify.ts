// Entry point of `npm run verify -- --env <name> --prometheus <url>` (see lib/verify/cli.ts).
import { main } from '../lib/verify/cli';

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e) => {
    console.error(`verify: ${(e as Error).stack ?? e}`);
    process.exitCode = 1;
  },
);
