/**
 * Replies from a model the Chat view selected (e.g. Copilot's), for when there is no
 * Anthropic key or the user prefers the chat's model. The agent's prompt still leads:
 * the stable Language Model API has no system role, so it opens the first user message.
 */
import * as vscode from 'vscode';
import { DescribedError, LlmCancelledError } from '../core/llm/errors';
import type { ReplySource } from '../core/llm/pipeline';
import type { ArchitectRequest, LlmFailure, StreamEvent } from '../core/llm/types';

export function chatModelReplies(model: vscode.LanguageModelChat): ReplySource {
  return { stream: (request, signal) => streamFromChatModel(model, request, signal) };
}

async function* streamFromChatModel(
  model: vscode.LanguageModelChat,
  request: ArchitectRequest,
  signal: AbortSignal,
): AsyncGenerator<StreamEvent, void, undefined> {
  const messages = request.messages.map((turn, index) => {
    const content = index === 0 ? `${instructions(request.system)}${turn.content}` : turn.content;
    return turn.role === 'user' ? vscode.LanguageModelChatMessage.User(content) : vscode.LanguageModelChatMessage.Assistant(content);
  });
  // The chat's token cancels the model; our AbortSignal is bridged onto it.
  const cancellation = new vscode.CancellationTokenSource();
  const onAbort = () => cancellation.cancel();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const response = await model.sendRequest(
      messages,
      { justification: 'LinguaLeap Architect answers with its agent prompt through the model you selected.' },
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
    const [inputTokens, outputTokens] = await Promise.all([
      Promise.all(messages.map((m) => model.countTokens(m))).then((counts) => counts.reduce((a, b) => a + b, 0)),
      model.countTokens(text),
    ]).catch(() => [0, 0]);
    yield {
      type: 'done',
      stopReason: 'end_turn',
      usage: { inputTokens, outputTokens, cacheReadTokens: 0, cacheWriteTokens: 0 },
    };
  } catch (err) {
    if (signal.aborted || err instanceof vscode.CancellationError) {
      throw new LlmCancelledError();
    }
    if (err instanceof vscode.LanguageModelError) {
      throw new DescribedError(describeChatModelError(err, model));
    }
    throw err;
  } finally {
    signal.removeEventListener('abort', onAbort);
    cancellation.dispose();
  }
}

/** The agent's prompt, leading the first user message (the Language Model API has no system role). */
export function instructions(system: string): string {
  return system.trim() === '' ? '' : `Follow these instructions for the whole conversation:\n\n${system}\n\n---\n\n`;
}

/** A Language Model API error as one sentence with its action. */
export function describeChatModelError(err: vscode.LanguageModelError, model: vscode.LanguageModelChat): LlmFailure {
  const name = model.name || model.id;
  switch (err.code) {
    case 'NoPermissions':
      return { kind: 'permission', message: `${name} may not be used by this extension; allow it, or set an Anthropic API key to use Claude.`, actions: ['setApiKey'] };
    case 'Blocked':
      return { kind: 'rateLimit', message: `${name} is not answering requests right now (rate limit or quota); try again later.`, actions: ['retry'] };
    case 'NotFound':
      return { kind: 'notFound', message: `The model ${name} is no longer available; pick another one in the Chat view.`, actions: [] };
    default:
      return { kind: 'unknown', message: `${name} failed: ${err.message.split('\n')[0]}`, actions: ['retry', 'openLog'] };
  }
}
