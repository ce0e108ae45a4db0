/**
 * Replies from a model the Chat view selected (e.g. Copilot's), for when there is no
 * Anthropic key or the user prefers the chat's model. The agent's prompt still leads:
 * the stable Language Model API has no system role, so it opens the first user message.
 */
import * as vscode from 'vscode';
import { DescribedError, LlmCancelledError } from '../core/llm/errors';
import type { ReplySource } from '../core/llm/pipeline';
import type { ArchitectRequest, LlmFailure, StreamEvent } from '../core/llm/types';
import type { TurnUsage } from '../shared/protocol';

export function chatModelReplies(model: vscode.LanguageModelChat): ReplySource {
  return { stream: (request, signal) => streamFromChatModel(model, request, signal) };
}

async function* streamFromChatModel(
  model: vscode.LanguageModelChat,
  request: ArchitectRequest,
  signal: AbortSignal,
): AsyncGenerator<StreamEvent, void, undefined> {
  const messages = chatMessages(request);
  // The chat's token cancels the model; our AbortSignal is bridged onto it.
  const cancellation = new vscode.CancellationTokenSource();
  const onAbort = () => cancellation.cancel();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const response = await model.sendRequest(
      messages,
      { justification: vscode.l10n.t('LinguaLeap Architect answers with its agent prompt through the model you selected.') },
      cancellation.token,
    );
    yield { type: 'start', model: model.id };
    let text = '';
    for await (const chunk of response.text) {
      if (signal.aborted) {
        throw new LlmCancelledError();
      }
      text += chunk;
      yield { type: 'text', text: chunk };
    }
    if (signal.aborted) {
      throw new LlmCancelledError();
    }
    yield { type: 'done', stopReason: 'end_turn', usage: await chatModelUsage(model, messages, text) };
  } catch (err) {
    throw chatModelError(err, model, signal);
  } finally {
    signal.removeEventListener('abort', onAbort);
    cancellation.dispose();
  }
}

/** The request as Language Model API messages, the agent's prompt leading the first user message. */
export function chatMessages(request: ArchitectRequest): vscode.LanguageModelChatMessage[] {
  return request.messages.map((turn, index) => {
    const content = index === 0 ? `${instructions(request.system)}${turn.content}` : turn.content;
    return turn.role === 'user' ? vscode.LanguageModelChatMessage.User(content) : vscode.LanguageModelChatMessage.Assistant(content);
  });
}

/** The chat model's own token counts (it reports no usage); zeros when it cannot count. */
export async function chatModelUsage(model: vscode.LanguageModelChat, messages: readonly vscode.LanguageModelChatMessage[], text: string): Promise<TurnUsage> {
  const [inputTokens, outputTokens] = await Promise.all([
    Promise.all(messages.map((message) => model.countTokens(message))).then((counts) => counts.reduce((a, b) => a + b, 0)),
    model.countTokens(text),
  ]).catch(() => [0, 0]);
  return { inputTokens, outputTokens, cacheReadTokens: 0, cacheWriteTokens: 0 };
}

/** What a chat model's failure is to the turn: Stop is a cancellation, its own errors one sentence. */
export function chatModelError(err: unknown, model: vscode.LanguageModelChat, signal: AbortSignal): unknown {
  if (signal.aborted || err instanceof vscode.CancellationError) {
    return new LlmCancelledError();
  }
  if (err instanceof vscode.LanguageModelError) {
    return new DescribedError(describeChatModelError(err, model));
  }
  return err;
}

/** The agent's prompt, leading the first user message (the Language Model API has no system role). */
function instructions(system: string): string {
  return system.trim() === '' ? '' : `Follow these instructions for the whole conversation:\n\n${system}\n\n---\n\n`;
}

/** A Language Model API error as one sentence with its action. */
function describeChatModelError(err: vscode.LanguageModelError, model: vscode.LanguageModelChat): LlmFailure {
  const name = model.name || model.id;
  switch (err.code) {
    case 'NoPermissions':
      return { kind: 'permission', message: vscode.l10n.t('{0} may not be used by this extension; allow it, or set an Anthropic API key to use Claude.', name), actions: ['setApiKey'] };
    case 'Blocked':
      return { kind: 'rateLimit', message: vscode.l10n.t('{0} is not answering requests right now (rate limit or quota); try again later.', name), actions: ['retry'] };
    case 'NotFound':
      return { kind: 'notFound', message: vscode.l10n.t('The model {0} is no longer available; pick another one in the Chat view.', name), actions: [] };
    default:
      return { kind: 'unknown', message: vscode.l10n.t('{0} failed: {1}', name, err.message.split('\n')[0]), actions: ['retry', 'openLog'] };
  }
}
