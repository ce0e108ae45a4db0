/**
 * The agent catalog: project shadows user shadows bundled, untrusted project agents are listed
 * but unusable, and the default agent follows the `lingualeap.agent` setting.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildAgentCatalog, type AgentCatalogInput, type AgentScope } from '../../../../src/core/agent/catalog';
import { parseAgentFile } from '../../../../src/core/agent/parse';

function entry(scope: AgentScope, path: string, name: string, description = `The ${name} agent.`): AgentCatalogInput {
  return { scope, path, result: parseAgentFile(`---\nname: ${name}\ndescription: ${description}\n---\nBody of ${path}.\n`, path) };
}

const bundled = entry('bundled', 'agents/lingualeap-backend-architect.md', 'lingualeap-backend-architect');
const userReviewer = entry('user', '~/.claude/agents/reviewer.md', 'reviewer');
const projectReviewer = entry('project', '.claude/agents/reviewer.md', 'reviewer');
const projectOnly = entry('project', '.claude/agents/db.md', 'db-tuner');
const broken: AgentCatalogInput = { scope: 'project', path: '.claude/agents/broken.md', result: parseAgentFile('no front matter', '.claude/agents/broken.md') };

test('a project agent shadows the user agent of the same name, and every agent is listed', () => {
  const catalog = buildAgentCatalog([bundled, userReviewer, projectReviewer, projectOnly, broken], { trusted: true });
  assert.deepEqual(
    catalog.entries.map((e) => [e.agent?.name ?? '(broken)', e.scope, e.usable, e.shadowedBy?.scope]),
    [
      ['db-tuner', 'project', true, undefined],
      ['lingualeap-backend-architect', 'bundled', true, undefined],
      ['reviewer', 'project', true, undefined],
      ['reviewer', 'user', true, 'project'],
      ['(broken)', 'project', false, undefined],
    ],
  );
  assert.equal(catalog.resolve('reviewer')?.path, '.claude/agents/reviewer.md');
  assert.equal(catalog.resolve('Reviewer')?.path, '.claude/agents/reviewer.md', 'names match without case');
  assert.equal(catalog.resolve('nobody'), undefined);
  assert.match(catalog.entries[4].unusableReason ?? '', /broken\.md has errors: .*no front matter/);
});

test('untrusted: project agents are listed but unusable, and shadow nothing', () => {
  const catalog = buildAgentCatalog([bundled, userReviewer, projectReviewer, projectOnly], { trusted: false });
  const project = catalog.entries.filter((e) => e.scope === 'project');
  assert.equal(project.length, 2);
  for (const e of project) {
    assert.equal(e.usable, false);
    assert.match(e.unusableReason ?? '', /not trusted \(Restricted Mode\)/);
  }
  assert.equal(catalog.resolve('reviewer')?.scope, 'user', 'the user agent answers');
  assert.equal(catalog.entries.find((e) => e.scope === 'user')?.shadowedBy, undefined);
  assert.equal(catalog.resolve('db-tuner'), undefined);
});

test('a project or user agent named like the bundled one shadows it, also as the default', () => {
  const override = entry('user', '~/.claude/agents/architect.md', 'lingualeap-backend-architect', 'My own architect.');
  const catalog = buildAgentCatalog([bundled, override], { trusted: true });
  assert.deepEqual(catalog.entries.find((e) => e.scope === 'bundled')?.shadowedBy, { scope: 'user', path: '~/.claude/agents/architect.md' });
  assert.equal(catalog.defaultAgent(undefined).entry?.scope, 'user');
  assert.equal(catalog.defaultAgent('').message, undefined);
});

test('two files of one scope with one name: the path that sorts first wins, stably', () => {
  const a = entry('project', '.claude/agents/a/reviewer.md', 'reviewer');
  const b = entry('project', '.claude/agents/b/reviewer.md', 'reviewer');
  for (const order of [
    [a, b],
    [b, a],
  ]) {
    const catalog = buildAgentCatalog(order, { trusted: true });
    assert.equal(catalog.resolve('reviewer')?.path, '.claude/agents/a/reviewer.md');
    assert.deepEqual(catalog.entries.map((e) => e.path), ['.claude/agents/a/reviewer.md', '.claude/agents/b/reviewer.md']);
  }
});

test('defaultAgent: the setting, else the bundled one; a setting naming no usable agent says why', () => {
  const trusted = buildAgentCatalog([bundled, userReviewer, projectOnly], { trusted: true });
  assert.equal(trusted.defaultAgent(undefined).entry?.agent?.name, 'lingualeap-backend-architect');
  assert.equal(trusted.defaultAgent(' db-tuner ').entry?.agent?.name, 'db-tuner');
  const missing = trusted.defaultAgent('nobody');
  assert.equal(missing.entry?.scope, 'bundled');
  assert.equal(
    missing.message,
    'The "lingualeap.agent" setting names "nobody", but no usable agent has that name (found: "db-tuner", "lingualeap-backend-architect", "reviewer"); the bundled architect answers.',
  );
  const untrusted = buildAgentCatalog([bundled, userReviewer, projectOnly], { trusted: false }).defaultAgent('db-tuner');
  assert.equal(untrusted.entry?.scope, 'bundled');
  assert.match(untrusted.message ?? '', /names "db-tuner", but no usable agent has that name \(\.claude\/agents\/db\.md is a project agent and this workspace is not trusted \(Restricted Mode\)\); the bundled architect answers\.$/);
  assert.deepEqual(buildAgentCatalog([], { trusted: true }).defaultAgent(undefined), { entry: undefined, message: 'The bundled architect could not be read.' });
});
