import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { installedTool, missingToolMessage, ToolName } from '../../tools';
import { Finding } from '../finding';

/*
 * The real programs that read a Compose folder, run on it: docker-compose
 * (the Compose file, with the variables .env.example names) and shellcheck
 * (deploy.sh, rollback.sh). A missing program is a warning locally and an
 * error with CI=true, so CI never skips them.
 */

function missing(tool: ToolName, file: string, what: string): Finding {
  return {
    severity: process.env.CI === 'true' ? 'error' : 'warning',
    rule: 'tool-missing',
    file,
    object: '-',
    path: [],
    message: missingToolMessage(tool, `${what} was not checked`),
  };
}

/**
 * What each program answered, by everything that shapes its answer (the file's
 * path and bytes, the arguments): a process that checks the same bytes again
 * (the tests, the mutation corpus) runs the program once. The programs are
 * deterministic for a given input, so the answer is the same as a new run's.
 */
const answers = new Map<string, Finding[]>();

/** A program's findings, and whether it ran to its end (one that did not start, timed out or was killed is asked again). */
interface Answer {
  readonly findings: Finding[];
  readonly settled: boolean;
}

const settled = (result: SpawnSyncReturns<string>) => result.error === undefined && result.signal === null;

function remembered(key: unknown[], run: () => Answer): Finding[] {
  const k = JSON.stringify(key);
  let found = answers.get(k);
  if (!found) {
    const answer = run();
    found = answer.findings;
    if (answer.settled) answers.set(k, found);
  }
  return found.map((f) => ({ ...f }));
}

/**
 * `docker-compose config`: Compose reads the file as it would on the server,
 * with a value for each name of `.env.example` and nothing from this shell's
 * environment, so a variable the file needs but .env.example lacks fails here.
 */
export function checkWithDockerCompose(composeFile: string, shownAs: string, project: string, variables: readonly string[]): Finding[] {
  const command = installedTool('dockerCompose');
  if (!command) return [missing('dockerCompose', shownAs, 'the Compose file')];
  return remembered(['docker-compose', composeFile, fs.readFileSync(composeFile, 'utf8'), shownAs, project, variables], () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-config-'));
    try {
      const envFile = path.join(scratch, '.env');
      // Values that can stand for any: a path for TLS_DIR, a word for the rest.
      fs.writeFileSync(envFile, variables.map((name) => `${name}=${name.endsWith('_DIR') ? scratch : `placeholder-${name.toLowerCase()}`}\n`).join(''));
      const result = spawnSync(command, ['--project-name', project, '--file', composeFile, '--env-file', envFile, 'config', '--quiet'], {
        encoding: 'utf8',
        timeout: 60_000,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: scratch },
      });
      if (result.status === 0) return { findings: [], settled: true };
      const output = `${result.stderr ?? ''}${result.stdout ?? ''}`.trim() || String(result.error ?? `exit ${result.status}`);
      const findings: Finding[] = [{ severity: 'error', rule: 'compose-config', file: shownAs, object: '-', path: [], message: `docker-compose config rejects it: ${output.replace(/\s*\n\s*/g, ' ')}` }];
      return { findings, settled: settled(result) };
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
}

interface ShellcheckComment {
  readonly file: string;
  readonly line: number;
  readonly level: string;
  readonly code: number;
  readonly message: string;
}

/** A script to check, and the name findings show for it. */
export interface Script {
  readonly file: string;
  readonly shownAs: string;
}

/**
 * shellcheck at its default severity (style and up): every remark is an error,
 * a generated script must be clean. One shellcheck run reads every script not
 * checked before in this process.
 */
export function checkWithShellcheck(scripts: readonly Script[]): Finding[] {
  const command = installedTool('shellcheck');
  if (!command) return scripts.map((s) => missing('shellcheck', s.shownAs, 'the script'));
  const keyOf = (s: Script) => JSON.stringify(['shellcheck', s.file, fs.readFileSync(s.file, 'utf8'), s.shownAs]);
  const keys = new Map(scripts.map((s) => [s, keyOf(s)]));
  const found = new Map(scripts.filter((s) => answers.has(keys.get(s)!)).map((s) => [s, answers.get(keys.get(s)!)!]));
  const unchecked = scripts.filter((s) => !found.has(s));
  if (unchecked.length > 0) {
    const { byScript, complete } = runShellcheck(command, unchecked);
    for (const [script, findings] of byScript) {
      found.set(script, findings);
      if (complete) answers.set(keys.get(script)!, findings);
    }
  }
  return scripts.flatMap((s) => found.get(s)!.map((f) => ({ ...f })));
}

function runShellcheck(command: string, scripts: readonly Script[]): { byScript: Map<Script, Finding[]>; complete: boolean } {
  const result = spawnSync(command, ['--format=json1', '--shell=bash', ...scripts.map((s) => s.file)], { encoding: 'utf8', timeout: 60_000 });
  const byScript = new Map<Script, Finding[]>(scripts.map((s) => [s, []]));
  const complete = settled(result);
  if (result.status === 0) return { byScript, complete };
  let comments: ShellcheckComment[];
  try {
    comments = (JSON.parse(result.stdout) as { comments: ShellcheckComment[] }).comments;
  } catch {
    const message = `shellcheck failed: ${(result.stderr || result.stdout || String(result.error)).trim()}`;
    return { byScript: new Map(scripts.map((s) => [s, [{ severity: 'error', rule: 'shellcheck', file: s.shownAs, object: '-', path: [], message }]])), complete };
  }
  for (const c of comments) {
    const script = scripts.find((s) => s.file === c.file);
    if (!script) throw new Error(`shellcheck reported ${c.file}, which it was not given`);
    byScript.get(script)!.push({ severity: 'error', rule: 'shellcheck', file: script.shownAs, line: c.line, object: '-', path: [], message: `SC${c.code} (${c.level}): ${c.message}` });
  }
  return { byScript, complete };
}
