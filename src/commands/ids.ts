/**
 * Every command id the extension registers or runs, in one typed table. The manifest's
 * `contributes.commands` lists the public ones (`test/unit/commands/ids.test.ts` keeps the two in
 * step); the `_lingualeap.*` ones are hidden hooks that tests and automation call.
 */
export const COMMANDS = {
  ask: 'lingualeap.ask',
  stop: 'lingualeap.stop',
  setApiKey: 'lingualeap.setApiKey',
  clearApiKey: 'lingualeap.clearApiKey',
  showLog: 'lingualeap.showLog',
  newConversation: 'lingualeap.newConversation',
  showHistory: 'lingualeap.showHistory',
  exportConversation: 'lingualeap.exportConversation',
  acceptProposal: 'lingualeap.acceptProposal',
  discardProposal: 'lingualeap.discardProposal',
  /** Hidden: a follow-up as if typed in the panel's box. */
  panelFollowUp: '_lingualeap.panel.followUp',
  /** Hidden: a code block's button as if pressed. */
  panelCodeAction: '_lingualeap.panel.codeAction',
  /** Hidden: the panel's conversation as stored. */
  panelConversation: '_lingualeap.panel.conversation',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

/** VS Code's own commands the extension runs. */
export const WORKBENCH_COMMANDS = {
  openChat: 'workbench.action.chat.open',
  openSettings: 'workbench.action.openSettings',
  manageTrust: 'workbench.trust.manage',
  setContext: 'setContext',
  diff: 'vscode.diff',
} as const;

/** Context keys the extension sets for `when` clauses. */
export const CONTEXT_KEYS = {
  /** True while any panel answer is streaming: enables Stop and its Escape keybinding. */
  answering: 'lingualeap.answering',
} as const;

/** The chat participant, as the manifest's `chatParticipants` declares it. */
export const PARTICIPANT = {
  id: 'lingualeap.architect',
  /** What the user types after `@`. */
  name: 'lingualeap',
  mention: '@lingualeap',
} as const;
