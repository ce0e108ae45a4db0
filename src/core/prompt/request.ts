/**
 * Builds the Anthropic request for one question: the agent's body as the system prompt,
 * prior turns, and the question with its code. Pure.
 */
import type { AgentDefinition } from '../agent/parse';
import type { ArchitectRequest, ChatTurn } from '../llm/types';
import { describeReference, fenceFor, type CodeContext } from './context';

/** Sent when the user asks nothing in particular: an empty question means "review this". */
export const DEFAULT_REVIEW_QUESTION =
  'Review this code as the LinguaLeap backend architect: point out design, security, performance and scalability issues, and suggest concrete improvements.';

const DEFAULT_QUESTION_WITHOUT_CODE =
  'What should I consider first when designing the LinguaLeap backend?';

/** The question actually asked, after the empty-question rule. */
function effectiveQuestion(question: string, hasCode: boolean): string {
  const trimmed = question.trim();
  if (trimmed !== '') {
    return trimmed;
  }
  return hasCode ? DEFAULT_REVIEW_QUESTION : DEFAULT_QUESTION_WITHOUT_CODE;
}

/**
 * The user message: the question, then the code under a line naming its file, language
 * and lines, and a note when the code was cut so the model does not guess at the rest.
 */
export function buildUserMessage(question: string, contexts: readonly CodeContext[]): string {
  return [effectiveQuestion(question, contexts.length > 0), ...contexts.map(codeBlock)].join('\n\n');
}

/**
 * One piece of code as the user message carries it: a line naming its file, language and
 * lines, the fenced code, and a note when it was cut.
 */
export function codeBlock(context: CodeContext): string {
  const { reference } = context;
  const what = reference.kind === 'selection' ? 'Selected code from' : 'The file';
  const fence = fenceFor(context.code);
  const block = `${what} \`${describeReference(reference)}\` (${reference.languageId}):\n\n${fence}${reference.languageId}\n${context.code}\n${fence}`;
  if (!reference.truncated) {
    return block;
  }
  const sent = reference.endLine - reference.startLine + 1;
  return `${block}\n\nNote: only the first ${sent} of ${context.totalLines} lines were sent, to fit the size limit; the rest was cut.`;
}

export interface RequestInput {
  readonly agent: AgentDefinition;
  readonly model: string;
  readonly maxTokens: number;
  readonly question: string;
  readonly contexts: readonly CodeContext[];
  /** Earlier turns of the same conversation, oldest first. */
  readonly history?: readonly ChatTurn[];
  /** The architect's tool definitions (Messages API params), for a turn run by `runToolLoop`. */
  readonly tools?: readonly unknown[];
}

/** The whole request; the agent body is the `system` parameter, never part of a message. */
export function buildArchitectRequest(input: RequestInput): ArchitectRequest {
  return {
    model: input.model,
    system: input.agent.body,
    maxTokens: input.maxTokens,
    ...(input.tools && input.tools.length > 0 ? { tools: input.tools } : {}),
    messages: normalizeHistory([
      ...(input.history ?? []),
      { role: 'user', content: buildUserMessage(input.question, input.contexts) },
    ]),
  };
}

/**
 * The API wants alternating roles starting with the user. Chat history can hold empty
 * answers (a failed or stopped turn) and two questions in a row; empty turns are dropped,
 * neighbours of the same role merged, and a leading answer removed.
 */
export function normalizeHistory(turns: readonly ChatTurn[]): ChatTurn[] {
  const result: ChatTurn[] = [];
  for (const turn of turns) {
    if (turn.content.trim() === '') {
      continue;
    }
    const last = result[result.length - 1];
    if (last && last.role === turn.role) {
      result[result.length - 1] = { role: turn.role, content: `${last.content}\n\n${turn.content}` };
    } else if (result.length > 0 || turn.role === 'user') {
      result.push(turn);
    }
  }
  return result;
}
