/**
 * The token estimate against known samples. The reference counts come from Claude's earlier
 * published tokenizer (`@anthropic-ai/tokenizer` 0.0.4, not a dependency: counted once when
 * these samples were written); Claude's current tokenizer is not published. The estimate must
 * never count fewer tokens than the reference, and stay close: under twice as many.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { estimateRequestTokens, estimateTokens, MESSAGE_OVERHEAD_TOKENS, REQUEST_OVERHEAD_TOKENS } from '../../../../src/core/prompt/tokens';

const PROSE = `Keep sessions in Redis and the lesson history in PostgreSQL, and stop writing every speech attempt to the events table synchronously. The hot path today does three round trips per utterance; it only needs one. Score the attempt first, outside any transaction, because it is the slow part and needs no lock. Then insert the event and bump the learner's streak counter. Under load, the connection pool is exhausted long before the database itself is busy, so measure the pool's wait time before adding replicas.`;

const CODE = `import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { prisma } from '../db';

const LessonQuery = z.object({ learnerId: z.string().uuid(), limit: z.coerce.number().int().min(1).max(50).default(20) });

export const lessons = Router();

lessons.get('/lessons', async (req: Request, res: Response) => {
  const parsed = LessonQuery.safeParse(req.query);
  if (!parsed.success) {
    return res.status(400).json({ error: parsed.error.flatten() });
  }
  const rows = await prisma.lesson.findMany({
    where: { learnerId: parsed.data.learnerId },
    orderBy: { createdAt: 'desc' },
    take: parsed.data.limit,
  });
  res.json(rows.map((row) => ({ id: row.id, title: row.title, score: row.score ?? null })));
});
`;

const JSON_TEXT = JSON.stringify(
  {
    name: 'lingualeap-backend',
    version: '1.4.2',
    private: true,
    scripts: { build: 'tsc -p .', start: 'node dist/server.js', test: 'vitest run' },
    dependencies: { '@prisma/client': '^5.19.0', express: '^4.21.0', ioredis: '^5.4.1', zod: '^3.23.8' },
  },
  null,
  2,
);

/** Each sample with the reference tokenizer's count. */
const SAMPLES: ReadonlyArray<{ readonly name: string; readonly text: string; readonly reference: number }> = [
  { name: 'English prose', text: PROSE, reference: 100 },
  { name: 'TypeScript', text: CODE, reference: 238 },
  { name: 'JSON', text: JSON_TEXT, reference: 129 },
  { name: 'minified code', text: 'var a=1;'.repeat(200), reference: 1000 },
  {
    name: 'Chinese',
    text: '后端架构需要支持十万名学习者同时在线。个人数据必须符合通用数据保护条例的要求，缓存使用Redis，队列用于吸收负载高峰。'.repeat(5),
    reference: 260,
  },
  {
    name: 'Russian',
    text: 'Архитектура сервера должна выдерживать сто тысяч одновременных учеников. Персональные данные защищаются в соответствии с GDPR. '.repeat(5),
    reference: 310,
  },
  { name: 'emoji', text: '🚀 Ship it! 🎉 Great work 👍🏽 — done ✅ '.repeat(10), reference: 220 },
  { name: 'base64', text: Buffer.from(Array.from({ length: 900 }, (_, i) => (i * 37 + 11) % 256)).toString('base64'), reference: 847 },
];

for (const sample of SAMPLES) {
  void test(`the estimate errs high but stays close: ${sample.name}`, () => {
    const estimate = estimateTokens(sample.text);
    assert.ok(estimate >= sample.reference, `${estimate} tokens estimated, the tokenizer counts ${sample.reference}`);
    assert.ok(estimate < 2 * sample.reference, `${estimate} tokens estimated, the tokenizer counts ${sample.reference}`);
  });
}

void test('prose comes out at about 3.5 characters per token, code and other scripts at fewer', () => {
  const perToken = (text: string) => text.length / estimateTokens(text);
  assert.ok(perToken(PROSE) > 3 && perToken(PROSE) < 4, `prose: ${perToken(PROSE).toFixed(2)}`);
  assert.ok(perToken(CODE) < perToken(PROSE), `code: ${perToken(CODE).toFixed(2)}`);
  assert.ok(perToken(SAMPLES[4].text) < 1.5, 'Chinese: about a token a character');
});

void test('small texts: nothing costs nothing, one word costs one', () => {
  assert.equal(estimateTokens(''), 0);
  assert.equal(estimateTokens(' '), 0);
  assert.equal(estimateTokens('x'), 1);
  assert.equal(estimateTokens('Redis'), 2);
  assert.equal(estimateTokens('a\r\nb'), 3, 'CRLF is one line break');
  assert.equal(estimateTokens('getLessonById'), 5, 'camelCase words are counted apart: get, Less-on, By, Id');
});

void test('the estimate grows with the text', () => {
  let previous = 0;
  for (let length = 0; length <= CODE.length; length += 37) {
    const estimate = estimateTokens(CODE.slice(0, length));
    assert.ok(estimate >= previous, `${length} characters: ${estimate} < ${previous}`);
    previous = estimate;
  }
});

void test('a request counts its system prompt, each message and what the API adds around them', () => {
  const request = {
    system: PROSE,
    messages: [
      { role: 'user' as const, content: CODE },
      { role: 'assistant' as const, content: JSON_TEXT },
    ],
  };
  assert.equal(
    estimateRequestTokens(request),
    REQUEST_OVERHEAD_TOKENS + 3 * MESSAGE_OVERHEAD_TOKENS + estimateTokens(PROSE) + estimateTokens(CODE) + estimateTokens(JSON_TEXT),
  );
  assert.equal(estimateRequestTokens({ ...request, system: '  ' }), estimateRequestTokens(request) - estimateTokens(PROSE) - MESSAGE_OVERHEAD_TOKENS);
});

void test('a megabyte is estimated quickly', () => {
  const big = (PROSE + CODE + SAMPLES[4].text).repeat(700);
  const started = Date.now();
  estimateTokens(big);
  assert.ok(Date.now() - started < 1000, `${Date.now() - started} ms for ${big.length} characters`);
});
