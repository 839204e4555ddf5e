import { execFileSync } from 'child_process';
import * as path from 'path';
import { buildGoProgram } from './go-program';
import { findTool, TOOLS } from './tools';

/** What the template made of the data: the value, or the error external-secrets would report. */
export type TemplateResult = { value: string; error?: undefined } | { value?: undefined; error: string };

/**
 * The template engine of external-secrets (engine v2: Go's text/template with
 * sprig, eso-template/main.go) as a function; undefined where Go or sprig's
 * sources are missing (skip with `missingToolMessage('esoTemplate')`; with
 * CI=true findTool throws).
 */
export function esoTemplate(): ((template: string, data: Record<string, string>) => TemplateResult) | undefined {
  const go = findTool('esoTemplate');
  if (!go) return undefined;
  const binary = buildGoProgram(go, 'eso-template', path.join(__dirname, 'eso-template', 'main.go'), TOOLS.esoTemplate.files);
  return (template, data) => JSON.parse(execFileSync(binary, [], { input: JSON.stringify({ template, data }), encoding: 'utf8', timeout: 30_000 })) as TemplateResult;
}
