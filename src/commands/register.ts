/**
 * Registers every command id at activation, each a trampoline: the first run of any command
 * loads the extension's services (`index.ts` and what it needs), later runs call straight
 * through. Activation itself loads nothing.
 */
import * as vscode from 'vscode';
import { COMMANDS } from '../contributes/ids';
import type { CommandHandlers } from './index';

export function registerCommands(context: vscode.ExtensionContext, load: () => Promise<CommandHandlers>): void {
  const testing = context.extensionMode === vscode.ExtensionMode.Test;
  for (const id of Object.values(COMMANDS)) {
    if ((id === COMMANDS.testBashConsent || id === COMMANDS.testSpending) && !testing) {
      continue;
    }
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        const run = (await load())[id];
        if (!run) {
          throw new Error(`The command ${id} has no implementation.`);
        }
        return run(...args);
      }),
    );
  }
}
