/**
 * `@lingualeap` in the Chat view: the same architect, same system prompt and the same
 * pipeline as the panel, with prior turns from the chat history and the selection or
 * `#`-references as context.
 */
import * as vscode from 'vscode';
import { closingFence, incompleteAnswerMarkdown, withoutIncompleteNote } from '../core/llm/errors';
import type { ChatTurn } from '../core/llm/types';
import { assertNever, TURN_ACTION_LABELS, type TurnAction } from '../shared/protocol';
import { fitNoticeMarkdown, withoutFitNotice } from '../core/prompt/budget';
import { applyCommand } from '../core/prompt/slashCommands';
import type { CodeContext } from '../core/prompt/context';
import { agentDisplayName } from '../core/agent/display';
import type { AgentDefinition } from '../core/agent/parse';
import type { AnswerReceipt, Architect, AskRoute, StepEvent } from '../core/architect/architect';
import { describeCall } from '../core/conversation/steps';
import type { ToolSession } from '../core/tools';
import { previousRequestOf } from '../core/usage/answer';
import type { PreviousRequest } from '../core/usage/estimate';
import { receiptOf, receiptSummary } from '../core/usage/receipt';
import { readConfig } from '../host/settings';
import { BUDGET_SETTING, takeOverBudget } from '../host/spending';
import { COMMANDS, CONTEXT_KEYS, MODEL_VENDOR, PARTICIPANT, WORKBENCH_COMMANDS } from '../contributes/ids';
import { contextFromEditor, contextFromRange } from '../host/editorContext';
import { chatModelReplies } from './chatModelReplies';
import { runChatModelToolTurn } from './chatModelTools';


/** How the participant finds an agent a question names (`@lingualeap prisma-expert: …`). */
export interface AgentLookup {
  find(name: string): Promise<AgentDefinition | undefined>;
}

/** What an answer remembers for its follow-ups. */
export interface ArchitectChatResult extends vscode.ChatResult {
  readonly metadata?: {
    readonly command?: string;
    readonly status: 'completed' | 'cancelled' | 'failed';
    /** The agent that answered, when one was named: the conversation goes on with it. */
    readonly agent?: string;
    /** The answer's first request, for the share of the next question the prompt cache should hold. */
    readonly previous?: PreviousRequest;
  };
}

/** Answers one `@lingualeap` request in the Chat view. */
export async function answer(
  architect: Architect,
  agents: AgentLookup,
  request: vscode.ChatRequest,
  chatContext: vscode.ChatContext,
  stream: vscode.ChatResponseStream,
  token: vscode.CancellationToken,
): Promise<ArchitectChatResult> {
  const { maxContextChars } = readConfig();
  const { agent, prompt } = await addressee(request.prompt, chatContext, agents);

  const contexts = await contextsFromRequest(request, maxContextChars);
  for (const { location } of contexts) {
    stream.reference(location);
  }

  // One AbortController per request: the chat's Stop aborts the HTTP request at once.
  const controller = new AbortController();
  const cancellation = token.onCancellationRequested(() => controller.abort());
  try {
    const route = await chooseRoute(architect, request.model, stream);
    const described = await architect.describe(agent).catch(() => undefined);
    // Everything shown, so the receipt's line can close a code block a stopped answer left open.
    let shown = '';
    if (described) {
      // Who answers, and with which model, named first (taken out again before the answer goes back as history).
      const model = route.modelId ?? (route.replies ? request.model.name : described.model.id);
      stream.markdown(answeringMarkdown(agentDisplayName(described.agent), model));
    }
    const result = await architect.ask(
      {
        agent,
        question: applyCommand(request.command, prompt),
        contexts: contexts.map((c) => c.code),
        history: historyFrom(chatContext),
        previous: previousFrom(chatContext),
        sendAnyway: takeOverBudget(chatQuery(request)),
        signal: controller.signal,
        onText: (text) => {
          shown += text;
          stream.markdown(text);
        },
        // Shown above the answer; `historyFrom` takes it out again before the answer goes back as history.
        onFit: (fit) => {
          if (fit.notice) {
            stream.markdown(fitNoticeMarkdown(fit.notice));
          }
        },
        toolSession: toolSessionFor(chatContext, request),
        onUnavailableTools: (names) => stream.markdown(unavailableToolsMarkdown(names)),
        onStep: (event) => showStep(event, stream),
      },
      route,
    );
    const metadata = { command: request.command, status: result.status, agent: agent?.name, previous: previousRequestOf(result.receipt) };
    if (result.status === 'completed') {
      // Completes the walkthrough's chat step.
      void vscode.commands.executeCommand(WORKBENCH_COMMANDS.setContext, CONTEXT_KEYS.chatAnswered, true);
    }
    if (result.status !== 'failed') {
      showReceipt(result.receipt, shown, stream);
      return { metadata };
    }
    // As in the panel: the text that arrived stays, marked as cut, with the actions that fix it.
    if (result.text.trim() !== '') {
      const note = incompleteAnswerMarkdown(result.text);
      shown += note;
      stream.markdown(note);
    }
    showReceipt(result.receipt, shown, stream);
    for (const action of result.failure.actions) {
      stream.button(actionButton(action, request));
    }
    return { errorDetails: { message: result.failure.message }, metadata };
  } finally {
    cancellation.dispose();
  }
}

/**
 * Commands allowed "for this conversation" in the Chat view, per chat session. The stable API
 * names no session, so a session is known by its first request.
 */
const chatToolSessions = new Map<string, ToolSession>();

function toolSessionFor(chatContext: vscode.ChatContext, request: vscode.ChatRequest): ToolSession {
  const first = chatContext.history.find((turn): turn is vscode.ChatRequestTurn => turn instanceof vscode.ChatRequestTurn);
  const key = first ? `${first.command ?? ''}\u0000${first.prompt}` : `${request.command ?? ''}\u0000${request.prompt}`;
  let session = chatToolSessions.get(key);
  if (!session) {
    session = { allowedCommands: new Set() };
    chatToolSessions.set(key, session);
    // Old sessions are forgotten; a forgotten one only means asking again.
    for (const old of [...chatToolSessions.keys()].slice(0, Math.max(0, chatToolSessions.size - 50))) {
      chatToolSessions.delete(old);
    }
  }
  return session;
}

/** A tool step in the Chat view: a progress line while it runs, the files it read as references. */
function showStep(event: StepEvent, stream: vscode.ChatResponseStream): void {
  switch (event.kind) {
    case 'started':
      stream.progress(`${describeCall(event.tool, event.input)}…`);
      break;
    case 'finished':
      for (const file of event.outcome.files.filter((f) => f.use === 'read' || f.use === 'matched')) {
        const uri = vscode.Uri.file(file.path);
        stream.reference(
          // The range ends at the end of the last line (the editor clamps the column), so that line is included
          // and the reference reads `:10-25`, not `:10-26`.
          file.startLine === undefined
            ? uri
            : new vscode.Location(uri, new vscode.Range(file.startLine - 1, 0, Math.max(file.startLine, file.endLine ?? file.startLine) - 1, LINE_END)),
        );
      }
      // The call's start said what it does; its end says what it found (the chat folds both into its steps).
      if (event.outcome.todos) {
        const doing = event.outcome.todos.find((todo) => todo.status === 'in_progress');
        const done = event.outcome.todos.filter((todo) => todo.status === 'completed').length;
        stream.progress(
          doing
            ? vscode.l10n.t('Plan: {0} of {1} done · {2}', done, event.outcome.todos.length, doing.activeForm ?? doing.content)
            : vscode.l10n.t('Plan: {0} of {1} done', done, event.outcome.todos.length),
        );
      } else {
        stream.progress(event.outcome.summary);
      }
      break;
    case 'server':
      for (const result of event.event.results) {
        stream.reference(vscode.Uri.parse(result.url));
      }
      stream.progress(
        event.event.kind === 'search'
          ? vscode.l10n.t('Searched the web for “{0}”', event.event.query ?? '')
          : event.event.url === undefined
            ? vscode.l10n.t('Fetched a page')
            : vscode.l10n.t('Fetched {0}', event.event.url),
      );
      break;
    default:
      assertNever(event);
  }
}

/**
 * The agent a question is for: a name and a colon first (`prisma-expert: why is this slow?`),
 * else the agent the conversation was with, else the default agent (undefined).
 */
async function addressee(prompt: string, chatContext: vscode.ChatContext, agents: AgentLookup): Promise<{ agent?: AgentDefinition; prompt: string }> {
  // A mention typed again (the Chat view keeps `@lingualeap ` in the box) is not part of the question.
  prompt = prompt.replace(new RegExp(`^\\s*${PARTICIPANT.mention}\\s+`, 'i'), '');
  const match = /^\s*([a-z0-9][\w.-]{0,63})\s*:\s*/i.exec(prompt);
  const named = match ? await agents.find(match[1]) : undefined;
  if (named && match) {
    return { agent: named, prompt: prompt.slice(match[0].length) };
  }
  for (const turn of [...chatContext.history].reverse()) {
    if (turn instanceof vscode.ChatResponseTurn && turn.participant === PARTICIPANT.id) {
      const previous = (turn.result as ArchitectChatResult).metadata?.agent;
      return { agent: previous ? await agents.find(previous) : undefined, prompt };
    }
  }
  return { prompt };
}

/** How the line naming the agent starts (the quote's label alone, so `withoutPreamble` knows it in any language). */
function answeringPrefix(): string {
  return `> ${vscode.l10n.t({ message: 'Answering:', comment: ['Label before the name of the agent that answers a question in the Chat view'] })} `;
}

/** The line that names the agent (and its model) above the answer. */
function answeringMarkdown(agentName: string, model: string | undefined): string {
  return `${answeringPrefix()}**${agentName.replace(/[*_`\\[\]<>]/g, '')}**${model ? ` · ${model}` : ''}\n\n`;
}

/** A column past the end of any line: the editor clamps it to the line's end. */
const LINE_END = 100_000;

/** How the quote of missing tools starts (its label alone, so `withoutPreamble` knows it in any language). */
function unavailablePrefix(): string {
  return `> ${vscode.l10n.t({ message: 'Not available here:', comment: ['Label before a list of tool names the agent file asks for and the Chat view lacks'] })} `;
}

/** The tools the agent names that this extension lacks, as a quote above the answer (taken out of the history). */
function unavailableToolsMarkdown(names: readonly string[]): string {
  return `${unavailablePrefix()}${vscode.l10n.t('{0} (named in the agent file\'s `tools`).', names.join(', '))}\n\n`;
}

/** How the receipt's line starts (so `withoutReceipt` finds it in any language). */
function receiptPrefix(): string {
  return `> ${vscode.l10n.t({ message: 'Receipt', comment: ['Label of the line that lists the tokens and price of an answer'] })} · `;
}

/**
 * The receipt's line at the end of an answer (a stopped or failed one's too): tokens, price,
 * cache savings, requests, whose bill. The whole receipt is in the log.
 */
function showReceipt(receipt: AnswerReceipt | undefined, shown: string, stream: vscode.ChatResponseStream): void {
  if (!receipt) {
    return;
  }
  const line = receiptSummary(receiptOf(receipt.requests), receipt.context.billedTo);
  stream.markdown(`${closingFence(shown)}${shown.trim() === '' ? '' : '\n\n'}${receiptPrefix()}${line}\n`);
}

/** An answer without the receipt line `showReceipt` put last. */
function withoutReceipt(answer: string): string {
  const at = answer.lastIndexOf(receiptPrefix());
  if (at < 0 || answer.slice(at).trimEnd().includes('\n')) {
    return answer;
  }
  return answer.slice(0, at).replace(/\n+$/, '');
}

/** The previous answer's first request, as the last response of this participant remembers it. */
function previousFrom(chatContext: vscode.ChatContext): PreviousRequest | undefined {
  for (const turn of [...chatContext.history].reverse()) {
    if (turn instanceof vscode.ChatResponseTurn && turn.participant === PARTICIPANT.id) {
      return (turn.result as ArchitectChatResult).metadata?.previous;
    }
  }
  return undefined;
}

/** What a button sends to the Chat view to ask `request` again. */
function chatQuery(request: vscode.ChatRequest): string {
  return [PARTICIPANT.mention, request.command && `/${request.command}`, request.prompt].filter(Boolean).join(' ');
}

/** An answer without the quoted lines the participant put above it (the agent's name, missing tools). */
function withoutPreamble(answer: string): string {
  let text = answer;
  for (const prefix of [answeringPrefix(), unavailablePrefix()]) {
    const end = text.indexOf('\n\n');
    if (text.startsWith(prefix) && end >= 0) {
      text = text.slice(end + 2);
    }
  }
  return text;
}

/** A failed answer's action as a button under it. Retry sends the same request to the Chat view again. */
function actionButton(action: TurnAction, request: vscode.ChatRequest): vscode.Command {
  const title = TURN_ACTION_LABELS[action];
  const query = chatQuery(request);
  switch (action) {
    case 'setApiKey':
      // Once a key is stored, the same question is asked again (as the panel does).
      return { command: COMMANDS.setApiKey, title, arguments: [{ retryChatQuery: query }] };
    case 'retry':
      // preserveInput: whatever the user has started typing stays in the input box.
      return { command: WORKBENCH_COMMANDS.openChat, title, arguments: [{ query, preserveInput: true }] };
    case 'openLog':
      return { command: COMMANDS.showLog, title };
    case 'openSettings':
      return { command: WORKBENCH_COMMANDS.openSettings, title, arguments: ['lingualeap'] };
    case 'raiseBudget':
      return { command: WORKBENCH_COMMANDS.openSettings, title, arguments: [BUDGET_SETTING] };
    case 'sendAnyway':
      // The same question again, let through the budget once.
      return { command: COMMANDS.chatSendAnyway, title, arguments: [query] };
    default:
      return assertNever(action);
  }
}

/** Said once per window: the fallback to the chat's model is a surprise worth one sentence. */
let fallbackExplained = false;

/**
 * Which model answers. `lingualeap.chat.model` = "agent" (default): the agent's Claude model
 * with the user's key, or the chat's model when there is no key. "chat": the model picked in
 * the Chat view. A Claude model of ours picked in the chat goes straight to the API.
 */
async function chooseRoute(architect: Architect, model: vscode.LanguageModelChat, stream: vscode.ChatResponseStream): Promise<AskRoute> {
  const ours = model.vendor === MODEL_VENDOR;
  if (readConfig().chatModel === 'chat') {
    return ours ? { modelId: model.id } : chatRoute(model);
  }
  if (ours || (await architect.hasApiKey())) {
    return {};
  }
  if (!fallbackExplained) {
    fallbackExplained = true;
    stream.markdown(
      `*No Anthropic API key is set, so ${model.name} answers with the architect's instructions. Run **LinguaLeap: Set Anthropic API Key** to use the agent's Claude model.*\n\n`,
    );
  }
  return chatRoute(model);
}

/** Answers from a model the Chat view selected, budgeted by what that model reads. */
function chatRoute(model: vscode.LanguageModelChat): AskRoute {
  return {
    replies: () => chatModelReplies(model),
    maxInputTokens: model.maxInputTokens,
    // The same tools through the model's own tool calling (a model without it answers from the text).
    toolTurn: (turn) => runChatModelToolTurn({ model, ...turn }),
  };
}

interface ReferencedCode {
  readonly code: CodeContext;
  readonly location: vscode.Uri | vscode.Location;
}

/** `#file` / `#selection` references, else the active editor's selection. */
async function contextsFromRequest(request: vscode.ChatRequest, maxChars: number): Promise<ReferencedCode[]> {
  const found: ReferencedCode[] = [];
  const seen = new Set<string>();
  const add = (code: CodeContext, location: vscode.Uri | vscode.Location) => {
    const key = `${code.reference.path}:${code.reference.startLine}-${code.reference.endLine}`;
    if (!seen.has(key)) {
      seen.add(key);
      found.push({ code, location });
    }
  };
  for (const reference of request.references) {
    const { value } = reference;
    try {
      if (value instanceof vscode.Location) {
        const document = await vscode.workspace.openTextDocument(value.uri);
        add(contextFromRange(document, value.range, 'selection', maxChars), value);
      } else if (value instanceof vscode.Uri) {
        const document = await vscode.workspace.openTextDocument(value);
        const whole = new vscode.Range(0, 0, document.lineCount, 0);
        add(contextFromRange(document, whole, 'file', maxChars), value);
      }
    } catch {
      // A reference to a folder or a binary file has no text to send; the question still goes.
    }
  }
  const editor = vscode.window.activeTextEditor;
  if (found.length === 0 && editor && !editor.selection.isEmpty) {
    const code = contextFromEditor(editor, maxChars);
    if (code) {
      add(code, new vscode.Location(editor.document.uri, editor.selection));
    }
  }
  return found;
}

/** Prior turns addressed to this participant, as API messages. */
function historyFrom(chatContext: vscode.ChatContext): ChatTurn[] {
  const turns: ChatTurn[] = [];
  for (const turn of chatContext.history) {
    if (turn.participant !== PARTICIPANT.id) {
      continue;
    }
    if (turn instanceof vscode.ChatRequestTurn) {
      turns.push({ role: 'user', content: applyCommand(turn.command, turn.prompt) });
    } else if (turn instanceof vscode.ChatResponseTurn) {
      const text = turn.response
        .map((part) => (part instanceof vscode.ChatResponseMarkdownPart ? part.value.value : ''))
        .join('');
      turns.push({ role: 'assistant', content: withoutIncompleteNote(withoutFitNotice(withoutPreamble(withoutReceipt(text)))) });
    }
  }
  return turns;
}
