/**
 * The API's exact count of a request's input tokens (`POST /v1/messages/count_tokens`), for
 * budgeting a request that comes near the model's context window. Pure: no `vscode`.
 */
import { getClient } from './client';
import { LlmCancelledError } from './errors';
import { buildMessageParams } from './stream';
import type { ArchitectRequest, ConnectionSettings, RequestMessage } from './types';

/** Counting must not hold up the question: after this long the estimate decides. */
const COUNT_TIMEOUT_MS = 5000;

/**
 * Input tokens of `request` as the API counts them: the same tools, system prompt, messages
 * and cache breakpoints that `streamArchitectReply` and `runToolLoop` send. One try (no retries) within
 * `timeoutMs`; aborting `signal` closes the connection at once.
 *
 * Throws `LlmCancelledError` when `signal` aborted, `MissingApiKeyError` without a key, and
 * the SDK's errors otherwise (a timeout is `APIConnectionTimeoutError`).
 */
export async function countRequestTokens(
  settings: ConnectionSettings,
  request: ArchitectRequest<RequestMessage>,
  signal: AbortSignal,
  timeoutMs = COUNT_TIMEOUT_MS,
): Promise<number> {
  if (signal.aborted) {
    throw new LlmCancelledError();
  }
  const { model, system, messages, tools } = buildMessageParams(request);
  try {
    const { input_tokens } = await getClient(settings).messages.countTokens(
      {
        model,
        messages,
        ...(system !== undefined ? { system } : {}),
        // The tool definitions take tokens too (and a tool turn's messages need them).
        ...(tools !== undefined ? { tools } : {}),
      },
      { signal, maxRetries: 0, timeout: timeoutMs },
    );
    return input_tokens;
  } catch (err) {
    throw signal.aborted ? new LlmCancelledError() : err;
  }
}
