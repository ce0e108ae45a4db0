/**
 * The status bar item naming the default agent. Created at activation from the settings alone
 * (no agent file is read then); once the agents are loaded, it shows the agent's display name
 * in its color. A click chooses another default agent.
 */
import * as vscode from 'vscode';
import { COMMANDS } from '../contributes/ids';

export class AgentStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('lingualeap.agent', vscode.StatusBarAlignment.Right, 100);

  constructor() {
    this.item.name = vscode.l10n.t('LinguaLeap Agent');
    this.item.command = COMMANDS.chooseDefaultAgent;
    this.showSetting();
    this.item.show();
  }

  /** Before the agents are read: the name `lingualeap.agent` gives, else the architect. */
  showSetting(): void {
    const named = vscode.workspace.getConfiguration('lingualeap').get<string>('agent', '').trim();
    this.show(named || 'LinguaLeap Architect', undefined, vscode.l10n.t('The agent that answers “Ask LinguaLeap Architect” and @lingualeap. Click to choose another.'));
  }

  /** The agent as read: its display name, its theme color, a tooltip. */
  show(name: string, themeColor: string | undefined, tooltip: string | vscode.MarkdownString): void {
    this.item.text = `$(hubot) ${name}`;
    this.item.color = themeColor ? new vscode.ThemeColor(themeColor) : undefined;
    this.item.tooltip = tooltip;
  }

  /** The default agent cannot be read. */
  showProblem(message: string): void {
    this.show('LinguaLeap', undefined, message);
    this.item.text = '$(warning) LinguaLeap';
  }

  dispose(): void {
    this.item.dispose();
  }
}
