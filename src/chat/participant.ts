/**
 * `@lingualeap` in the Chat view: the same architect, same system prompt and the same
 * pipeline as the panel, with prior turns from the chat history and the selection or
 * `#`-references as context.
 */
import * as vscode from 'vscode';
import { incompleteAnswerMarkdown, withoutIncompleteNote } from '../core/llm/errors';
import type { ChatTurn } from '../core/llm/types';
import { assertNever, TURN_ACTION_LABELS, type TurnAction } from '../shared/protocol';
import { fitNoticeMarkdown, withoutFitNotice } from '../core/prompt/budget';
import { applyCommand, followupsFor } from '../core/prompt/slashCommands';
import type { CodeContext } from '../core/prompt/context';
import type { Architect, AskRoute, StepEvent } from '../core/architect/architect';
import { describeCall } from '../core/conversation/steps';
import type { ToolSession } from '../core/tools';
import { readConfig } from '../host/settings';
import { COMMANDS, MODEL_VENDOR, PARTICIPANT, WORKBENCH_COMMANDS } from '../contributes/ids';
import { contextFromEditor, contextFromRange } from '../host/editorContext';
import { chatModelReplies } from './chatModelReplies';


export function registerParticipant(context: vscode.ExtensionContext, architect: Architect): void {
  const participant = vscode.chat.createChatParticipant(PARTICIPANT.id, (request, chatContext, stream, token) =>
    answer(architect, request, chatContext, stream, token),
  );
  participant.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.svg');
  participant.followupProvider = {
    provideFollowups: (result: ArchitectChatResult) =>
      result.metadata?.status === 'completed'
        ? followupsFor(result.metadata.command).map((f): vscode.ChatFollowup => ({ prompt: f.prompt, label: f.label, command: f.command }))
        : [],
  };
  context.subscriptions.push(participant);
}

/** What an answer remembers for its follow-ups. */
interface ArchitectChatResult extends vscode.ChatResult {
  readonly metadata?: { readonly command?: string; readonly status: 'completed' | 'cancelled' | 'failed' };
}

async function answer(
  architect: Architect,
  request: vscode.ChatRequest,
  chatContext: vscode.ChatContext,
  stream: vscode.ChatResponseStream,
  token: vscode.CancellationToken,
): Promise<ArchitectChatResult> {
  const { maxContextChars } = readConfig();
  const contexts = await contextsFromRequest(request, maxContextChars);
  for (const { location } of contexts) {
    stream.reference(location);
  }

  // One AbortController per request: the chat's Stop aborts the HTTP request at once.
  const controller = new AbortController();
  const cancellation = token.onCancellationRequested(() => controller.abort());
  try {
    const route = await chooseRoute(architect, request.model, stream);
    const result = await architect.ask(
      {
        question: applyCommand(request.command, request.prompt),
        contexts: contexts.map((c) => c.code),
        history: historyFrom(chatContext),
        signal: controller.signal,
        onText: (text) => stream.markdown(text),
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
    const metadata = { command: request.command, status: result.status };
    if (result.status !== 'failed') {
      return { metadata };
    }
    // As in the panel: the text that arrived stays, marked as cut, with the actions that fix it.
    if (result.text.trim() !== '') {
      stream.markdown(incompleteAnswerMarkdown(result.text));
    }
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
          file.startLine === undefined ? uri : new vscode.Location(uri, new vscode.Range(file.startLine - 1, 0, Math.max(file.startLine, file.endLine ?? file.startLine) - 1, 0)),
        );
      }
      if (event.outcome.todos) {
        const doing = event.outcome.todos.find((todo) => todo.status === 'in_progress');
        const done = event.outcome.todos.filter((todo) => todo.status === 'completed').length;
        stream.progress(`Plan: ${done} of ${event.outcome.todos.length} done${doing ? ` · ${doing.activeForm ?? doing.content}` : ''}`);
      } else {
        stream.progress(event.outcome.summary);
      }
      break;
    case 'server':
      for (const result of event.event.results) {
        stream.reference(vscode.Uri.parse(result.url));
      }
      stream.progress(event.event.kind === 'search' ? `Searched the web for “${event.event.query ?? ''}”` : `Fetched ${event.event.url ?? 'a page'}`);
      break;
    default:
      assertNever(event);
  }
}

const UNAVAILABLE_PREFIX = '> Not available here: ';

/** The tools the agent names that this extension lacks, as a quote above the answer (taken out of the history). */
function unavailableToolsMarkdown(names: readonly string[]): string {
  return `${UNAVAILABLE_PREFIX}${names.join(', ')} (named in the agent file's \`tools\`).\n\n`;
}

function withoutUnavailableTools(answer: string): string {
  if (!answer.startsWith(UNAVAILABLE_PREFIX)) {
    return answer;
  }
  const end = answer.indexOf('\n\n');
  return end < 0 ? answer : answer.slice(end + 2);
}

/** A failed answer's action as a button under it. Retry sends the same request to the Chat view again. */
function actionButton(action: TurnAction, request: vscode.ChatRequest): vscode.Command {
  const title = TURN_ACTION_LABELS[action];
  const query = [PARTICIPANT.mention, request.command && `/${request.command}`, request.prompt].filter(Boolean).join(' ');
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
  return { replies: () => chatModelReplies(model), maxInputTokens: model.maxInputTokens };
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
      turns.push({ role: 'assistant', content: withoutIncompleteNote(withoutFitNotice(withoutUnavailableTools(text))) });
    }
  }
  return turns;
}
