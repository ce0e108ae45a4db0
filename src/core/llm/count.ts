/**
 * The API's exact count of a request's input tokens (`POST /v1/messages/count_tokens`), for
 * budgeting a request that comes near the model's context window. Pure: no `vscode`.
 */
import { getClient } from './client';
import { LlmCancelledError } from './errors';
import { buildMessageParams } from './stream';
import type { ArchitectRequest, ConnectionSettings } from './types';

/** Counting must not hold up the question: after this long the estimate decides. */
export const COUNT_TIMEOUT_MS = 5000;

/**
 * Input tokens of `request` as the API counts them: the same system prompt, messages and
 * cache breakpoints that `streamArchitectReply` sends. One try (no retries) within
 * `timeoutMs`; aborting `signal` closes the connection at once.
 *
 * Throws `LlmCancelledError` when `signal` aborted, `MissingApiKeyError` without a key, and
 * the SDK's errors otherwise (a timeout is `APIConnectionTimeoutError`).
 */
export async function countRequestTokens(
  settings: ConnectionSettings,
  request: ArchitectRequest,
  signal: AbortSignal,
  timeoutMs = COUNT_TIMEOUT_MS,
): Promise<number> {
  if (signal.aborted) {
    throw new LlmCancelledError();
  }
  const { model, system, messages } = buildMessageParams(request);
  try {
    const { input_tokens } = await getClient(settings).messages.countTokens(
      { model, messages, ...(system !== undefined ? { system } : {}) },
      { signal, maxRetries: 0, timeout: timeoutMs },
    );
    return input_tokens;
  } catch (err) {
    throw signal.aborted ? new LlmCancelledError() : err;
  }
}
