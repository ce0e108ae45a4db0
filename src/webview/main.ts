/**
 * The architect panel's webview. It renders what the host posts (see `../protocol.ts`) and
 * posts back only the user's intents: stop, an action on a failed turn, open a link.
 * Handshake first: `ready` is posted once the message listener is in place.
 */
import { assertNever, type HostMessage } from '../protocol';
import { Announcer } from './announcer';
import { byId } from './dom';
import { icon } from './icons';
import { isSafeHref } from './markdown';
import { ScrollFollower } from './scroll';
import { TurnView, type TurnHost } from './turnView';
import { connectToHost } from './vscodeApi';

const host = connectToHost();
const transcript = byId('transcript');
const emptyState = byId('empty-state');
const agentNameEl = byId('agent-name');
const agentModelEl = byId('agent-model');
const announcer = new Announcer(byId('announcer'));
const scroll = new ScrollFollower();
byId('logo').append(icon('logo'));

const turns = new Map<string, TurnView>();
let agentName = agentNameEl.textContent?.trim() || 'LinguaLeap Architect';

/** Deltas are applied once per frame, however many arrive in between. */
const dirty = new Set<TurnView>();
let frame = 0;

function flush(): void {
  if (frame) {
    cancelAnimationFrame(frame);
    frame = 0;
  }
  if (dirty.size === 0) {
    return;
  }
  const following = scroll.isFollowing;
  for (const turn of dirty) {
    turn.render();
  }
  dirty.clear();
  scroll.keepUp(following);
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
  flush();
  const following = scroll.isFollowing;
  dirty.delete(turn);
  change(turn);
  scroll.keepUp(following);
  return turn;
}

function handle(message: HostMessage): void {
  switch (message.type) {
    case 'init': {
      agentName = message.agentName || agentName;
      agentNameEl.textContent = agentName;
      agentModelEl.textContent = message.model;
      agentModelEl.hidden = !message.model;
      agentModelEl.title = message.model ? `Model: ${message.model}` : '';
      for (const turn of turns.values()) {
        turn.setAgentName(agentName);
      }
      break;
    }
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
    case 'delta':
      turns.get(message.turnId)?.appendDelta(message.text);
      break;
    case 'turnCompleted': {
      const turn = finishTurn(message.turnId, (t) => t.complete(message.usage, message.stopReason));
      if (turn) {
        announcer.announce(`${agentName} answered. ${turn.answerText}`);
      }
      break;
    }
    case 'turnCancelled':
      if (finishTurn(message.turnId, (t) => t.cancel())) {
        announcer.announce('Answer stopped.');
      }
      break;
    case 'turnFailed':
      if (finishTurn(message.turnId, (t) => t.fail(message.message, message.actions))) {
        announcer.announce(`Answer failed. ${message.message}`);
      }
      break;
    default:
      assertNever(message);
  }
}

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
