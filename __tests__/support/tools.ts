import { installedTool, missingToolMessage, ToolName, TOOLS } from '../../lib/tools';

export { missingToolMessage, TOOLS };
export type { ToolName };

/**
 * The command of a real tool, or undefined when it is not installed: the
 * caller then skips its tests and prints `missingToolMessage` once. With
 * CI=true a missing tool throws instead, so CI can never skip them.
 */
export function findTool(name: ToolName): string | undefined {
  const command = installedTool(name);
  if (command === undefined && process.env.CI === 'true') throw new Error(`CI=true: ${missingToolMessage(name)}`);
  return command;
}
