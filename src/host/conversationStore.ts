/**
 * Conversations of the architect panel, kept per workspace in `workspaceState` (never in
 * settings, never with the API key), newest first, at most `MAX_CONVERSATIONS`.
 */
import type * as vscode from 'vscode';
import type { StoredConversation } from '../core/conversation/conversation';

const MAX_CONVERSATIONS = 50;
const KEY = 'lingualeap.conversations';
/** Code sent with a question is kept up to this size per context; more is cut in storage only. */
const MAX_STORED_CODE = 200_000;

export class ConversationStore {
  constructor(private readonly memento: vscode.Memento) {}

  /** Newest first. */
  list(): StoredConversation[] {
    const value = this.memento.get<unknown>(KEY);
    return Array.isArray(value) ? (value.filter(isConversation) as StoredConversation[]) : [];
  }

  get(id: string): StoredConversation | undefined {
    return this.list().find((conversation) => conversation.id === id);
  }

  /** Saves (or moves to the front) a conversation; the oldest beyond the cap are dropped. */
  async save(conversation: StoredConversation): Promise<void> {
    if (conversation.turns.length === 0) {
      return;
    }
    const slim: StoredConversation = {
      ...conversation,
      turns: conversation.turns.map((turn) => ({
        ...turn,
        status: turn.status === 'streaming' ? 'cancelled' : turn.status,
        contexts: turn.contexts.map((context) =>
          context.code.length > MAX_STORED_CODE ? { ...context, code: context.code.slice(0, MAX_STORED_CODE) } : context,
        ),
      })),
    };
    const others = this.list().filter((candidate) => candidate.id !== conversation.id);
    await this.memento.update(KEY, [slim, ...others].slice(0, MAX_CONVERSATIONS));
  }

  async clear(): Promise<void> {
    await this.memento.update(KEY, undefined);
  }
}

function isConversation(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const c = value as Partial<StoredConversation>;
  return typeof c.id === 'string' && typeof c.createdAt === 'number' && Array.isArray(c.turns);
}
