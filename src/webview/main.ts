/**
 * The architect panel's webview. It renders what the host posts (see `../shared/protocol.ts`)
 * and posts back only the user's intents: stop, an action on a failed turn, open a link or a
 * tool step's link, a follow-up question, a new conversation, a code block action.
 * Handshake first: `ready` is posted once the message listener is in place.
 */
import * as l10n from '@vscode/l10n';
import { L10N_ELEMENT_ID, useL10nBlock } from '../shared/l10nBlock';
import { assertNever, type HostMessage, type TurnSnapshot, type UsageSummary } from '../shared/protocol';
import { Announcer } from './announcer';
import { byId } from './dom';
import { icon } from './icons';
import { isSafeHref } from './markdown';
import { ScrollFollower } from './scroll';
import { totalText, TurnView, type TurnHost } from './turnView';
import { connectToHost } from './vscodeApi';

// First: every string below and in the modules' functions is translated when it is made.
useL10nBlock(document.getElementById(L10N_ELEMENT_ID)?.textContent);
const host = connectToHost();
const transcript = byId('transcript');
const emptyState = byId('empty-state');
const agentNameEl = byId('agent-name');
const agentModelEl = byId('agent-model');
const announcer = new Announcer(byId('announcer'));
const scroll = new ScrollFollower();
const totalEl = byId('conversation-total');
const newConversationButton = byId<HTMLButtonElement>('new-conversation');
const composerInput = byId<HTMLTextAreaElement>('composer-input');
const composerSend = byId<HTMLButtonElement>('composer-send');
const composerEstimate = byId('composer-estimate');
byId('logo').append(icon('logo'));
newConversationButton.append(icon('add'));
composerSend.replaceChildren(icon('send'));

const turns = new Map<string, TurnView>();
let agentName = agentNameEl.textContent?.trim() || 'LinguaLeap Architect';

/** Deltas are applied once per frame, however many arrive in between. */
const dirty = new Set<TurnView>();
let frame = 0;

/**
 * One frame's rendering (`now`: the frame's time). Each turn's renderer bounds its own work per
 * frame; a turn with work left (a backlog of blocks, or the end of a finished answer) asks for
 * the next frame.
 */
function flush(now?: number): void {
  if (frame) {
    cancelAnimationFrame(frame);
    frame = 0;
  }
  if (dirty.size === 0) {
    return;
  }
  const following = scroll.isFollowing;
  const more: TurnView[] = [];
  for (const turn of dirty) {
    if (turn.render(now)) {
      more.push(turn);
    }
  }
  dirty.clear();
  // Writing scrollTop costs a scroll update even when the view is already at the bottom.
  if (following && scrollingElement.scrollTop < scrollingElement.scrollHeight - scrollingElement.clientHeight - 1) {
    scroll.keepUp(following);
  }
  for (const turn of more) {
    turnHost.requestRender(turn);
  }
}

const turnHost: TurnHost = {
  post: (message) => host.post(message),
  requestRender(turn) {
    dirty.add(turn);
    frame ||= requestAnimationFrame(flush);
  },
};

/** Runs a change to a turn's final state with everything pending rendered first. */
function finishTurn(turnId: string, change: (turn: TurnView) => void): TurnView | undefined {
  const turn = turns.get(turnId);
  if (!turn?.isStreaming) {
    return undefined;
  }
  // This turn's pending text is rendered by its finish; other turns catch up first.
  dirty.delete(turn);
  flush();
  const following = scroll.isFollowing;
  change(turn);
  scroll.keepUp(following);
  return turn;
}

/** A change to a turn's layout outside the frame batching, keeping the view on the stream. */
function changeTurn(turnId: string, change: (turn: TurnView) => void): void {
  const turn = turns.get(turnId);
  if (turn) {
    const following = scroll.isFollowing;
    change(turn);
    scroll.keepUp(following);
  }
}

function handle(message: HostMessage): void {
  switch (message.type) {
    case 'init': {
      agentName = message.agentName || agentName;
      agentNameEl.textContent = agentName;
      agentModelEl.textContent = message.model;
      agentModelEl.hidden = !message.model;
      agentModelEl.title = message.model ? l10n.t('Model: {0}', message.model) : '';
      // Only a theme color variable the host named: the accent of the logo and the header.
      if (message.color && /^--vscode-[a-z0-9-]+$/.test(message.color)) {
        document.documentElement.style.setProperty('--ll-agent-accent', `var(${message.color})`);
      } else {
        document.documentElement.style.removeProperty('--ll-agent-accent');
      }
      for (const turn of turns.values()) {
        turn.setAgentName(agentName);
      }
      break;
    }
    case 'conversation':
      showConversation(message.conversationId, message.turns, message.total);
      break;
    case 'notice':
      announcer.announce(message.text);
      break;
    case 'turnStarted': {
      flush();
      // A reused id (a host restarted without reloading us) starts a new turn; the old stays as history.
      const turn = new TurnView(message.turnId, transcript.querySelectorAll('.turn').length + 1, message.question, message.reference, agentName, turnHost);
      turns.set(message.turnId, turn);
      emptyState.hidden = true;
      transcript.append(turn.element);
      scroll.jumpToBottom();
      break;
    }
    case 'turnNotice': {
      const turn = turns.get(message.turnId);
      if (turn) {
        turn.showNotice(message.text, message.reference);
        announcer.announce(message.text);
      }
      break;
    }
    case 'delta':
      turns.get(message.turnId)?.appendDelta(message.text);
      break;
    case 'toolStep':
      changeTurn(message.turnId, (turn) => turn.showStep(message.step));
      break;
    case 'todos':
      changeTurn(message.turnId, (turn) => turn.showTodos(message.todos));
      break;
    case 'turnDetails':
      changeTurn(message.turnId, (turn) => turn.addDetails(message.lines));
      break;
    case 'turnCompleted': {
      const turn = finishTurn(message.turnId, (t) => t.complete(message.usage, message.stopReason, message.summary, message.receipt));
      showTotal(message.total);
      if (turn) {
        announcer.announce(l10n.t('{0} answered. {1}', agentName, turn.answerText));
      }
      requestEstimate();
      break;
    }
    case 'turnCancelled':
      if (finishTurn(message.turnId, (t) => t.cancel(message.receipt, message.notSent))) {
        announcer.announce(message.notSent ? l10n.t('Not sent.') : l10n.t('Answer stopped.'));
      }
      showTotal(message.total);
      requestEstimate();
      break;
    case 'turnFailed':
      if (finishTurn(message.turnId, (t) => t.fail(message.message, message.actions, message.receipt))) {
        announcer.announce(l10n.t('Answer failed. {0}', message.message));
      }
      showTotal(message.total);
      requestEstimate();
      break;
    case 'estimate':
      showEstimate(message.seq, message.line, message.detail);
      break;
    default:
      assertNever(message);
  }
  updateComposer();
}

/** Replaces the transcript with a conversation's finished turns (new, restored or from history). */
function showConversation(id: string, snapshots: readonly TurnSnapshot[], total: UsageSummary | undefined): void {
  flush();
  dirty.clear();
  const saved = host.getState();
  const sameConversation = saved.conversationId === id;
  for (const turn of turns.values()) {
    turn.element.remove();
  }
  turns.clear();
  transcript.querySelectorAll('.turn').forEach((element) => element.remove());
  snapshots.forEach((snapshot, index) => {
    const turn = new TurnView(snapshot.turnId, index + 1, snapshot.question, snapshot.reference, agentName, turnHost);
    turns.set(snapshot.turnId, turn);
    transcript.append(turn.element);
    turn.restore(snapshot);
  });
  emptyState.hidden = snapshots.length > 0;
  showTotal(total, true);
  conversationId = id;
  requestEstimate();
  // Back where the reader was after a reload; a conversation opened from the history starts at its end.
  if (sameConversation && saved.atBottom === false && typeof saved.scrollTop === 'number') {
    scrollingElement.scrollTop = saved.scrollTop;
  } else {
    scroll.jumpToBottom();
  }
  saveState();
}

/** The conversation's total in the header; a turn that ended without one leaves it as it was. */
function showTotal(total: UsageSummary | undefined, replace = false): void {
  if (total === undefined && !replace) {
    return;
  }
  totalEl.hidden = !total;
  totalEl.textContent = total ? totalText(total) : '';
}

// ---------- persisted state: the conversation id for the host's serializer, and the scroll ----------

const scrollingElement = (document.scrollingElement as HTMLElement | null) ?? document.documentElement;
let conversationId = host.getState().conversationId;
let stateFrame = 0;

function saveState(): void {
  const { scrollTop, scrollHeight, clientHeight } = scrollingElement;
  host.setState({ conversationId, scrollTop: Math.round(scrollTop), atBottom: scrollHeight - scrollTop - clientHeight <= 24 });
}
window.addEventListener(
  'scroll',
  () => {
    stateFrame ||= requestAnimationFrame(() => {
      stateFrame = 0;
      saveState();
    });
  },
  { passive: true },
);

// ---------- the follow-up box ----------

function isAnswering(): boolean {
  for (const turn of turns.values()) {
    if (turn.isStreaming) {
      return true;
    }
  }
  return false;
}

/** Sending waits for the current answer; the box stays editable meanwhile. */
function updateComposer(): void {
  const busy = isAnswering();
  composerSend.setAttribute('aria-disabled', String(busy || composerInput.value.trim() === ''));
  composerSend.title = busy ? l10n.t('Wait for the answer to finish (or Stop it)') : l10n.t('Send (Enter)');
}

function sendFollowUp(): void {
  const question = composerInput.value.trim();
  if (question === '' || isAnswering()) {
    return;
  }
  host.post({ type: 'ask', question: question.slice(0, 20_000) });
  composerInput.value = '';
  resizeComposer();
  updateComposer();
  hideEstimate();
}

// ---------- the follow-up's estimate, under the box ----------

/** How long typing pauses before the host is asked: the estimate never holds up a keystroke. */
const ESTIMATE_DELAY_MS = 250;
let estimateSeq = 0;
let estimateTimer: ReturnType<typeof setTimeout> | undefined;

/** Asks the host what the box's question would send and cost, once typing pauses. */
function requestEstimate(): void {
  clearTimeout(estimateTimer);
  const seq = ++estimateSeq;
  if (composerInput.value.trim() === '') {
    hideEstimate();
    return;
  }
  estimateTimer = setTimeout(() => host.post({ type: 'estimate', seq, question: composerInput.value.trim().slice(0, 20_000) }), ESTIMATE_DELAY_MS);
}

/** The host's answer; one for older text than the box holds now is dropped. */
function showEstimate(seq: number, line: string, detail: string): void {
  if (seq !== estimateSeq || composerInput.value.trim() === '') {
    return;
  }
  composerEstimate.textContent = line;
  composerEstimate.title = detail;
  composerEstimate.hidden = false;
}

function hideEstimate(): void {
  composerEstimate.hidden = true;
  composerEstimate.textContent = '';
}

function resizeComposer(): void {
  composerInput.rows = Math.min(8, Math.max(1, composerInput.value.split('\n').length));
}

composerInput.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    sendFollowUp();
  }
});
composerInput.addEventListener('input', () => {
  resizeComposer();
  updateComposer();
  requestEstimate();
});
composerSend.addEventListener('click', sendFollowUp);
newConversationButton.addEventListener('click', () => host.post({ type: 'newConversation' }));
updateComposer();

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const data = event.data;
  if (typeof data !== 'object' || data === null || typeof (data as { type?: unknown }).type !== 'string') {
    return;
  }
  try {
    handle(data as HostMessage);
  } catch (error) {
    console.error('LinguaLeap panel: could not handle a message from the host.', error);
  }
});

// Links never navigate the webview: http(s) goes to the host, which opens it externally.
function onLinkActivation(event: MouseEvent): void {
  const anchor = event.target instanceof Element ? event.target.closest('a') : null;
  if (!anchor) {
    return;
  }
  event.preventDefault();
  // The webview host's own window-level click handler would open the link too, bypassing
  // openExternal's confirmation (seen in code-server): this handler is the only way out.
  event.stopPropagation();
  const href = anchor.getAttribute('href');
  if (event.type === 'click' && href && !href.startsWith('#') && isSafeHref(href)) {
    host.post({ type: 'openLink', href });
  }
}
document.addEventListener('click', onLinkActivation);
document.addEventListener('auxclick', onLinkActivation);
// Dragging a link out of the panel would hand it to the workbench; there is no use for it here.
document.addEventListener('dragstart', (event) => {
  if (event.target instanceof Element && event.target.closest('a')) {
    event.preventDefault();
  }
});

host.post({ type: 'ready' });
