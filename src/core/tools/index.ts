/**
 * The architect's tools: `runTool` runs one tool call from the model; `grantTools` and
 * `toolDefinitions` say which tools an agent has and how they are declared. Pure: Node built-ins,
 * no `vscode`.
 */
import * as l10n from '@vscode/l10n';
import { runBash } from './bash';
import { runGlob } from './glob';
import { runGrep } from './grep';
import { BadInput } from './input';
import { runLs } from './ls';
import { Workspace } from './paths';
import { runRead } from './read';
import { oneLine, shortQuote } from './text';
import { runTodoWrite } from './todo';
import { CLIENT_TOOLS, TOOL_NAMES, type ToolHost, type ToolName, type ToolOutcome, type ToolSession } from './types';

export { grantTools, toolDefinitions } from './definitions';
export { ripgrepArgs } from './grep';
export * from './types';

/** Validates the input, runs the tool, never throws (bad input/refusals -> isError with ONE sentence). */
export async function runTool(name: string, input: unknown, host: ToolHost, session: ToolSession, signal: AbortSignal): Promise<ToolOutcome> {
  const label = oneLine(shortQuote(name, 40));
  if (!(TOOL_NAMES as readonly string[]).includes(name)) {
    return failure(`There is no tool named "${label}" here; the tools are ${CLIENT_TOOLS.join(', ')}.`, label);
  }
  if (!(CLIENT_TOOLS as readonly string[]).includes(name)) {
    return failure(`${name} runs on Anthropic's servers, not in the editor, and is not enabled for this request.`, name);
  }
  if (signal.aborted) {
    return cancelled(name);
  }
  try {
    return await dispatch(name as ToolName, input, host, session, signal);
  } catch (err) {
    if (signal.aborted) {
      return cancelled(name);
    }
    if (err instanceof BadInput) {
      return failure(err.message, name);
    }
    // A file system or spawn failure: one sentence, never a stack.
    const message = err instanceof Error ? err.message : String(err);
    return failure(`${name} failed: ${shortQuote(message, 200)}.`, name);
  }
}

function dispatch(name: ToolName, input: unknown, host: ToolHost, session: ToolSession, signal: AbortSignal): Promise<ToolOutcome> {
  const workspace = new Workspace(host);
  switch (name) {
    case 'Read':
      return runRead(input, workspace, signal);
    case 'Glob':
      return runGlob(input, host, workspace, signal);
    case 'Grep':
      return runGrep(input, host, workspace, signal);
    case 'LS':
      return runLs(input, workspace, signal);
    case 'Bash':
      return runBash(input, host, session, signal);
    case 'TodoWrite':
      return Promise.resolve(runTodoWrite(input));
    default:
      return Promise.resolve(failure(`${name} runs on Anthropic's servers, not in the editor.`, name));
  }
}

function failure(message: string, name: string): ToolOutcome {
  return { content: message, isError: true, summary: `${name} · ${shortQuote(message, 100)}`, files: [] };
}

/** Stopped by the user: `cancelled`, so the UI does not show it as a failure. */
function cancelled(name: string): ToolOutcome {
  return { content: `The user stopped ${name} before it finished.`, isError: true, summary: l10n.t('{0} · stopped', name), files: [], cancelled: true };
}
