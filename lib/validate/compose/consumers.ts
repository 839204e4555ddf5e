import { spawnSync } from 'child_process';
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
 * `docker-compose config`: Compose reads the file as it would on the server,
 * with a value for each name of `.env.example` and nothing from this shell's
 * environment, so a variable the file needs but .env.example lacks fails here.
 */
export function checkWithDockerCompose(composeFile: string, shownAs: string, project: string, variables: readonly string[]): Finding[] {
  const command = installedTool('dockerCompose');
  if (!command) return [missing('dockerCompose', shownAs, 'the Compose file')];
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
    if (result.status === 0) return [];
    const output = `${result.stderr ?? ''}${result.stdout ?? ''}`.trim() || String(result.error ?? `exit ${result.status}`);
    return [{ severity: 'error', rule: 'compose-config', file: shownAs, object: '-', path: [], message: `docker-compose config rejects it: ${output.replace(/\s*\n\s*/g, ' ')}` }];
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

interface ShellcheckComment {
  readonly line: number;
  readonly level: string;
  readonly code: number;
  readonly message: string;
}

/** shellcheck at its default severity (style and up): every remark is an error, a generated script must be clean. */
export function checkWithShellcheck(script: string, shownAs: string): Finding[] {
  const command = installedTool('shellcheck');
  if (!command) return [missing('shellcheck', shownAs, 'the script')];
  const result = spawnSync(command, ['--format=json1', '--shell=bash', script], { encoding: 'utf8', timeout: 60_000 });
  if (result.status === 0) return [];
  let comments: ShellcheckComment[];
  try {
    comments = (JSON.parse(result.stdout) as { comments: ShellcheckComment[] }).comments;
  } catch {
    return [{ severity: 'error', rule: 'shellcheck', file: shownAs, object: '-', path: [], message: `shellcheck failed: ${(result.stderr || result.stdout || String(result.error)).trim()}` }];
  }
  return comments.map((c) => ({ severity: 'error', rule: 'shellcheck', file: shownAs, line: c.line, object: '-', path: [], message: `SC${c.code} (${c.level}): ${c.message}` }));
}
