/**
 * Every id the extension contributes or runs, in one typed table: commands, context keys, the
 * chat participant, the model vendor and the panel's view type. The manifest's `contributes`
 * lists the public ones (`test/unit/contributes/ids.test.ts` keeps the two in step); the
 * `_lingualeap.*` commands are hidden hooks that tests and automation call.
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
  /** A quick pick of every usable agent, then the same question flow as `ask`. */
  askAgent: 'lingualeap.askAgent',
  /** The status bar item: choose the default agent. */
  chooseDefaultAgent: 'lingualeap.chooseDefaultAgent',
  /** Scaffold a valid agent file in the project's or the user's agents folder. */
  newAgent: 'lingualeap.newAgent',
  /** CodeLens on an agent file: ask the agent that file defines. */
  askThisAgent: 'lingualeap.askThisAgent',
  /** CodeLens on an agent file: exactly what is sent as `system`. */
  previewSystemPrompt: 'lingualeap.previewSystemPrompt',
  /** The usage view: spend per day, by agent and model, cache savings. */
  showUsage: 'lingualeap.showUsage',
  /** One CSV row per request (never code or questions). */
  exportUsageCsv: 'lingualeap.exportUsageCsv',
  /** The walkthrough's sample: a LinguaLeap route in an untitled editor, its handler selected. */
  openSample: 'lingualeap.openSample',
  /** Hidden: a follow-up as if typed in the panel's box. */
  panelFollowUp: '_lingualeap.panel.followUp',
  /** Hidden: a code block's button as if pressed. */
  panelCodeAction: '_lingualeap.panel.codeAction',
  /** Hidden: a failed turn's button (Retry, Send Anyway, …) as if pressed. */
  panelAction: '_lingualeap.panel.action',
  /** Hidden: the panel's conversation as stored. */
  panelConversation: '_lingualeap.panel.conversation',
  /**
   * Hidden, registered only when the extension runs its tests: sets the answers the Bash consent
   * dialog gives next (replacing any left) and returns what it was asked since the last call.
   */
  testBashConsent: '_lingualeap.test.bashConsent',
  /**
   * Hidden: "Send Anyway" under a Chat view answer the monthly budget refused: lets that query
   * (the argument) through the budget once and asks it again in the Chat view.
   */
  chatSendAnyway: '_lingualeap.chat.sendAnyway',
  /**
   * Hidden, registered only when the extension runs its tests: sets the answers the price
   * confirmation gives next (`send` / `cancel`, replacing any left) and returns what the
   * spending check asked or warned since the last call.
   */
  testSpending: '_lingualeap.test.spending',
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
  /** Set once a key is stored in this window (never read at startup): completes the walkthrough's key step. */
  apiKeyStored: 'lingualeap.apiKeyStored',
  /** Set once `@lingualeap` has completed an answer in this window: completes the walkthrough's chat step. */
  chatAnswered: 'lingualeap.chatAnswered',
} as const;

/** The chat participant, as the manifest's `chatParticipants` declares it. */
export const PARTICIPANT = {
  id: 'lingualeap.architect',
  /** What the user types after `@`. */
  name: 'lingualeap',
  mention: '@lingualeap',
} as const;

/** The vendor of the Claude models this extension adds to the model picker (`languageModelChatProviders`). */
export const MODEL_VENDOR = 'lingualeap-anthropic';

/** The architect panel's webview type: its serializer and `activeWebviewPanelId` in `when` clauses. */
export const PANEL_VIEW_TYPE = 'lingualeap.architectPanel';

/** The read-only documents that hold a proposed change (`resourceScheme` in `when` clauses). */
export const PROPOSAL_SCHEME = 'lingualeap-proposal';

/** The read-only documents that show an agent file's system prompt, exactly as it is sent. */
export const SYSTEM_PROMPT_SCHEME = 'lingualeap-system-prompt';
