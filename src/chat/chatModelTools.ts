/**
 * The agent's tools with a model the Chat view selected (e.g. Copilot's), through the Language
 * Model API's tool calling: the same tools, the same consent and the same step limit as with
 * Claude through the Anthropic API. Only the tools that run in the editor are offered: web search
 * and fetch are Anthropic's, on Anthropic's side.
 */
import * as vscode from 'vscode';
import { LlmCancelledError } from '../core/llm/errors';
import type { TurnResult } from '../core/llm/pipeline';
import { stepLimitNote, type RequestReceipt, type ToolCall, type ToolResult } from '../core/llm/toolLoop';
import type { TurnUsage } from '../shared/protocol';
import { runTurn, type LlmLogger } from '../core/llm/turn';
import type { ArchitectRequest } from '../core/llm/types';
import { chatMessages, chatModelError, chatModelUsage } from './chatModelReplies';

/** A client tool as the Messages API declares it (`toolDefinitions` of `core/tools`). */
interface DeclaredTool {
  readonly name: string;
  readonly description?: string;
  readonly input_schema?: object;
}

export interface ChatModelToolTurn {
  readonly model: vscode.LanguageModelChat;
  readonly request: ArchitectRequest;
  readonly tools: readonly DeclaredTool[];
  readonly executeTool: (call: ToolCall, signal: AbortSignal) => Promise<ToolResult>;
  readonly onText: (text: string) => void;
  readonly signal: AbortSignal;
  readonly maxSteps: number;
  readonly logger: LlmLogger;
}

/**
 * Sends the request with the tools; while the model calls tools, runs them and sends their
 * results back, until it answers without a call or the step limit. Never throws: Stop is
 * `cancelled`, model errors are `failed` with one sentence.
 */
export function runChatModelToolTurn(turn: ChatModelToolTurn): Promise<TurnResult> {
  const { model, request, signal } = turn;
  const messages = chatMessages(request);
  const tools: vscode.LanguageModelChatTool[] = turn.tools.map((tool) => ({
    name: tool.name,
    description: tool.description ?? tool.name,
    inputSchema: tool.input_schema,
  }));
  let text = '';
  let steps = 0;
  let usage: TurnUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
  const say = (chunk: string) => {
    text += chunk;
    turn.onText(chunk);
  };
  let offered = tools;
  const send = async (first: boolean, token: vscode.CancellationToken) => {
    const justification = vscode.l10n.t('LinguaLeap Architect answers with its agent prompt and tools through the model you selected.');
    try {
      return await model.sendRequest(messages, { tools: offered, justification }, token);
    } catch (err) {
      // A model without tool calling refuses the first request: it answers from the text alone.
      if (first && offered.length > 0 && err instanceof vscode.LanguageModelError && !signal.aborted) {
        turn.logger.warn(`${model.name || model.id} refused the tools (${err.message.split('\n')[0]}); it answers without them.`);
        offered = [];
        return model.sendRequest(messages, { justification }, token);
      }
      throw err;
    }
  };
  return runTurn({
    read: async () => {
      const cancellation = new vscode.CancellationTokenSource();
      const onAbort = () => cancellation.cancel();
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        for (;;) {
          steps++;
          const response = await send(steps === 1, cancellation.token);
          const parts: (vscode.LanguageModelTextPart | vscode.LanguageModelToolCallPart)[] = [];
          // A new step's text starts a new paragraph, as with Claude.
          let first = true;
          for await (const part of response.stream) {
            if (signal.aborted) {
              throw new LlmCancelledError();
            }
            if (part instanceof vscode.LanguageModelTextPart) {
              if (first && text !== '' && part.value.trim() !== '') {
                say('\n\n');
              }
              first = false;
              say(part.value);
              parts.push(part);
            } else if (part instanceof vscode.LanguageModelToolCallPart) {
              parts.push(part);
            }
          }
          const calls = parts.filter((part): part is vscode.LanguageModelToolCallPart => part instanceof vscode.LanguageModelToolCallPart);
          if (calls.length === 0) {
            usage = await chatModelUsage(model, messages, text);
            return { usage, stopReason: 'end_turn' };
          }
          if (steps >= turn.maxSteps) {
            say(`${text === '' ? '' : '\n\n'}*${stepLimitNote(turn.maxSteps)}*`);
            usage = await chatModelUsage(model, messages, text);
            return { usage, stopReason: 'tool_use' };
          }
          messages.push(vscode.LanguageModelChatMessage.Assistant(parts));
          const results: vscode.LanguageModelToolResultPart[] = [];
          for (const call of calls) {
            const result = await turn.executeTool({ id: call.callId, name: call.name, input: call.input }, signal);
            if (signal.aborted) {
              throw new LlmCancelledError();
            }
            // The Language Model API has no error flag on a result: the text says so.
            const content = result.isError ? `Error: ${result.content}` : result.content;
            results.push(new vscode.LanguageModelToolResultPart(call.callId, [new vscode.LanguageModelTextPart(content)]));
          }
          messages.push(vscode.LanguageModelChatMessage.User(results));
        }
      } catch (err) {
        throw chatModelError(err, model, signal);
      } finally {
        signal.removeEventListener('abort', onAbort);
        cancellation.dispose();
      }
    },
    // One line of the receipt for the whole turn: the chat's model reports no usage and no request ids, and bills
    // the user's chat plan, not the Anthropic key.
    fields: (durationMs) => ({ text, model: model.id, durationMs, requests: [chatRequest(model.id, durationMs, usage, signal.aborted)] }),
    failureContext: { model: model.id },
    logger: turn.logger,
    logFields: (result) => ({
      asked: [`Chat model tool turn: model=${result.model}`, `steps=${steps}`, `tools=${offered.length}`],
      received: `received=${result.text.length} chars`,
      receivedIn: 'always',
    }),
    secret: '',
  });
}

/** The turn as one request of a receipt (the chat's model tells no more). */
function chatRequest(model: string, durationMs: number, usage: TurnUsage, stopped: boolean): RequestReceipt {
  return {
    model,
    usage,
    partial: stopped,
    outcome: stopped ? 'cancelled' : 'completed',
    stopReason: stopped ? null : 'end_turn',
    durationMs,
    webSearches: 0,
    webFetches: 0,
  };
}
