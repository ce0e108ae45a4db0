/**
 * The fake's server tools (web search and fetch run "on Anthropic's side"), over plain HTTP:
 * the blocks in the real wire shape, streamed and as JSON, and the rules the real API checks
 * when they come back.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { FakeAnthropic, Scenario } from '../../fake-anthropic/server';
import { useFakeAnthropic } from '../support/fakeApi';

const KEY = 'fake-key-test-server-tools-0123456789';
let fake: FakeAnthropic;
useFakeAnthropic({ validKey: KEY, defaultScenario: { delayMs: 0, text: 'ok' } }, (started) => (fake = started));

const WEB_TOOLS = [
  { type: 'web_search_20250305', name: 'web_search', max_uses: 5 },
  { type: 'web_fetch_20250910', name: 'web_fetch' },
];

function post(body: Record<string, unknown>) {
  return fetch(`${fake.url}/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}` },
    body: JSON.stringify({ model: 'claude-sonnet-5-5', max_tokens: 100, tools: WEB_TOOLS, messages: [{ role: 'user', content: 'Search it.' }], ...body }),
  });
}

interface Frame {
  readonly event: string;
  readonly data: {
    readonly index?: number;
    readonly content_block?: Record<string, unknown>;
    readonly delta?: Record<string, unknown>;
    readonly usage?: Record<string, unknown>;
  };
}

async function frames(res: Response): Promise<Frame[]> {
  return (await res.text())
    .split('\n\n')
    .filter((f) => f.trim() !== '')
    .map((f) => ({ event: /^event: (.*)$/m.exec(f)![1], data: JSON.parse(/^data: (.*)$/m.exec(f)![1]) as Frame['data'] }));
}

const SEARCH: Scenario = {
  text: 'Searching.',
  chunkSize: 100,
  serverToolCalls: [
    {
      name: 'web_search',
      input: { query: 'pg pool' },
      results: [
        { url: 'https://node-postgres.com/apis/pool', title: 'pg.Pool', text: 'max clients', pageAge: 'April 1, 2026' },
        { url: 'https://example.org/b' },
      ],
    },
    { name: 'web_fetch', input: { url: 'https://node-postgres.com/apis/pool' }, results: [{ url: 'https://node-postgres.com/apis/pool', title: 'pg.Pool', text: 'The pool docs.' }] },
  ],
  textAfter: 'Use max.',
};

test('streams server_tool_use (input as input_json_delta) and its result block whole, then the cited answer', async () => {
  fake.script(SEARCH);
  const all = await frames(await post({ stream: true }));
  const starts = all.filter((f) => f.event === 'content_block_start').map((f) => [f.data.index, f.data.content_block?.type]);
  assert.deepEqual(starts, [
    [0, 'text'],
    [1, 'server_tool_use'],
    [2, 'web_search_tool_result'],
    [3, 'server_tool_use'],
    [4, 'web_fetch_tool_result'],
    [5, 'text'],
  ]);
  const use = all.find((f) => f.data.content_block?.type === 'server_tool_use')!;
  assert.deepEqual(use.data.content_block, { type: 'server_tool_use', id: 'srvtoolu_fake_0_0', name: 'web_search', input: {}, caller: { type: 'direct' } });
  const json = all
    .filter((f) => f.data.index === 1 && f.data.delta?.type === 'input_json_delta')
    .map((f) => f.data.delta?.partial_json)
    .join('');
  assert.deepEqual(JSON.parse(json), { query: 'pg pool' });
  assert.deepEqual(all.find((f) => f.data.content_block?.type === 'web_search_tool_result')!.data.content_block, {
    type: 'web_search_tool_result',
    tool_use_id: 'srvtoolu_fake_0_0',
    caller: { type: 'direct' },
    content: [
      {
        type: 'web_search_result',
        url: 'https://node-postgres.com/apis/pool',
        title: 'pg.Pool',
        encrypted_content: Buffer.from('max clients').toString('base64'),
        page_age: 'April 1, 2026',
      },
      { type: 'web_search_result', url: 'https://example.org/b', title: 'https://example.org/b', encrypted_content: '', page_age: null },
    ],
  });
  assert.deepEqual(all.find((f) => f.data.content_block?.type === 'web_fetch_tool_result')!.data.content_block, {
    type: 'web_fetch_tool_result',
    tool_use_id: 'srvtoolu_fake_0_1',
    caller: { type: 'direct' },
    content: {
      type: 'web_fetch_result',
      url: 'https://node-postgres.com/apis/pool',
      content: { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'The pool docs.' }, title: 'pg.Pool', citations: null },
      retrieved_at: '2026-10-01T00:00:00Z',
    },
  });
  const citation = all.find((f) => f.data.delta?.type === 'citations_delta')!;
  assert.equal(citation.data.index, 5);
  assert.deepEqual(
    { ...(citation.data.delta?.citation as Record<string, unknown>), encrypted_index: 'x' },
    { type: 'web_search_result_location', url: 'https://node-postgres.com/apis/pool', title: 'pg.Pool', cited_text: 'max clients', encrypted_index: 'x' },
  );
  const texts = all.filter((f) => f.data.delta?.type === 'text_delta').map((f) => [f.data.index, f.data.delta?.text]);
  assert.deepEqual(texts, [
    [0, 'Searching.'],
    [5, 'Use max.'],
  ]);
  const delta = all.find((f) => f.event === 'message_delta')!;
  assert.equal(delta.data.delta?.stop_reason, 'end_turn');
  assert.deepEqual(delta.data.usage?.server_tool_use, { web_search_requests: 1, web_fetch_requests: 1 });
});

test('the JSON reply carries the same blocks; a failed search or fetch has the real error content', async () => {
  fake.script(SEARCH, {
    serverToolCalls: [
      { name: 'web_search', errorCode: 'max_uses_exceeded' },
      { name: 'web_fetch', input: { url: 'https://x.example/' }, errorCode: 'url_not_accessible' },
    ],
    stopReason: 'pause_turn',
  });
  const ok = (await (await post({})).json()) as { content: { type: string; citations?: unknown[] }[] };
  assert.deepEqual(
    ok.content.map((b) => b.type),
    ['text', 'server_tool_use', 'web_search_tool_result', 'server_tool_use', 'web_fetch_tool_result', 'text'],
  );
  assert.equal(ok.content[5].citations?.length, 1);
  const failed = (await (await post({})).json()) as { stop_reason: string; content: { type: string; input?: unknown; content?: unknown }[] };
  assert.equal(failed.stop_reason, 'pause_turn');
  assert.deepEqual(failed.content[0].input, { query: 'fake search' });
  assert.deepEqual(failed.content[1].content, { type: 'web_search_tool_result_error', error_code: 'max_uses_exceeded' });
  assert.deepEqual(failed.content[3].content, { type: 'web_fetch_tool_result_error', error_code: 'url_not_accessible' });
});

test('server tools come back as the real API wants them, or a 400 says what is wrong', async () => {
  const use = { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'q' } };
  const result = { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] };
  const cases: [string, Record<string, unknown>, number, RegExp?][] = [
    ['a call with its result, then a question', { messages: [{ role: 'user', content: 'Q' }, { role: 'assistant', content: [use, result] }, { role: 'user', content: 'more?' }] }, 200],
    ['a paused call as the last message', { messages: [{ role: 'user', content: 'Q' }, { role: 'assistant', content: [use] }] }, 200],
    [
      'a call without its result, followed by more',
      { messages: [{ role: 'user', content: 'Q' }, { role: 'assistant', content: [use] }, { role: 'user', content: 'more?' }] },
      400,
      /server_tool_use ids were found without a result block after them: srvtoolu_1/,
    ],
    ['a result without its call', { messages: [{ role: 'user', content: 'Q' }, { role: 'assistant', content: [result] }] }, 400, /no matching server_tool_use/],
    ['a server tool block from the user', { messages: [{ role: 'user', content: [use] }] }, 400, /only allowed in assistant messages/],
    ['an unknown tool type', { tools: [{ type: 'web_browse_20250101', name: 'web_browse' }] }, 400, /does not match any of the expected tags/],
    ['a server tool under another name', { tools: [{ type: 'web_search_20250305', name: 'search' }] }, 400, /Input should be 'web_search'/],
    [
      'an error tool_result without content',
      {
        tools: [{ name: 'Read', input_schema: { type: 'object' } }],
        messages: [
          { role: 'user', content: 'Q' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Read', input: {} }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '', is_error: true }] },
        ],
      },
      400,
      /content cannot be empty if `is_error` is true/,
    ],
  ];
  for (const [what, body, status, message] of cases) {
    const res = await post(body);
    const text = await res.text();
    assert.equal(res.status, status, `${what}: ${text}`);
    if (message) {
      assert.match((JSON.parse(text) as { error: { message: string } }).error.message, message, what);
    }
  }
});
