/**
 * The agent's tools with a model the Chat view selected, through the Language Model API's tool
 * calling. The model here is this extension's own Claude model in the picker, so the run goes
 * through VS Code's `vscode.lm` into the fake Anthropic API: the tool call it scripts comes back
 * as a `LanguageModelToolCallPart`, the tool runs in the workspace, and its result is checked on
 * the wire in the next request.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { runChatModelToolTurn } from '../../src/chat/chatModelTools';
import { runTool, TOOL_NAMES, toolDefinitions } from '../../src/core/tools';
import { editorToolHost } from '../../src/host/toolHost';
import { useFakeApi } from './workbench';

interface Block {
  readonly type: string;
  readonly tool_use_id?: string;
  readonly content?: string | ReadonlyArray<{ readonly text: string }>;
}

suite('tools with the chat-selected model (vscode.lm tool calling)', function () {
  this.timeout(60_000);
  const fake = useFakeApi();

  test('a tool call from the model runs in the workspace and its result goes back; the text of both steps is kept', async () => {
    const [model] = await vscode.lm.selectChatModels({ vendor: 'lingualeap-anthropic', family: 'claude-sonnet' });
    assert.ok(model, 'the Claude model is in the picker');
    fake.script(
      { text: 'Reading the schema.', toolCalls: [{ name: 'Read', input: { file_path: 'prisma/schema.prisma', limit: 3 } }] },
      { text: 'It defines the datasource first.' },
    );
    const lines: string[] = [];
    const host = editorToolHost('LinguaLeap Backend Architect');
    const tools = toolDefinitions(TOOL_NAMES.filter((name) => name !== 'WebFetch' && name !== 'WebSearch'), { web: false }) as { name: string }[];
    const result = await runChatModelToolTurn({
      model,
      request: { model: model.id, system: 'You are the architect.', messages: [{ role: 'user', content: 'What is in the schema?' }], maxTokens: 1024 },
      tools,
      executeTool: async (call, signal) => {
        const outcome = await runTool(call.name, call.input, host, { allowedCommands: new Set() }, signal);
        return { content: outcome.content, isError: outcome.isError };
      },
      onText: (text) => lines.push(text),
      signal: new AbortController().signal,
      maxSteps: 5,
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    assert.equal(result.status, 'completed', JSON.stringify(result));
    assert.equal(result.text, 'Reading the schema.\n\nIt defines the datasource first.');
    assert.equal(lines.join(''), result.text);

    const requests = fake.requests.filter((r) => r.path === '/v1/messages');
    assert.equal(requests.length, 2);
    const declared = ((requests[0].body as { tools?: { name: string }[] }).tools ?? []).map((tool) => tool.name);
    assert.deepEqual(declared.sort(), ['Bash', 'Glob', 'Grep', 'LS', 'Read', 'TodoWrite']);
    const last = (requests[1].body as { messages: { content: string | Block[] }[] }).messages.at(-1);
    const blocks = Array.isArray(last?.content) ? last.content : [];
    const toolResult = blocks.find((block) => block.type === 'tool_result');
    assert.ok(toolResult, 'the second request carries the tool result');
    assert.equal(toolResult.tool_use_id, 'toolu_fake_0_0');
    const text = typeof toolResult.content === 'string' ? toolResult.content : (toolResult.content ?? []).map((part) => part.text).join('');
    assert.match(text, /^\s*1\tdatasource db \{$/m);
  });
});
