// Answers the preview replays. They are written to look like real output and to hit every
// Markdown construct the panel renders, plus payloads that must stay inert.

export const LONG_ANSWER = `## Short answer

Keep **sessions in Redis** and the **lesson history in PostgreSQL**, and stop writing every
speech-attempt to \`lesson_events\` synchronously. The hot path today does three round trips per
utterance; it only needs one.

### What the selected code does

1. \`recordAttempt()\` opens a transaction for *every* audio chunk.
2. It reads the learner's streak with \`SELECT … FOR UPDATE\`, which serialises concurrent attempts.
3. It then calls the scoring service **inside** the transaction, so a slow model call holds the row lock.
   - At p95 (1.8 s) that blocks every other request for the same learner.
   - Under load the pool (\`max: 10\`) is exhausted and requests queue.

> The lock is the real problem: the transaction spans a network call you don't control.

### Suggested shape

\`\`\`ts
export async function recordAttempt(db: Pool, redis: Redis, attempt: Attempt): Promise<Score> {
  // Score first, outside any transaction: it is the slow part and needs no lock.
  const score = await scoring.evaluate(attempt.audioUrl, attempt.expectedText);

  await db.query(
    'INSERT INTO lesson_events (learner_id, lesson_id, score, created_at) VALUES ($1, $2, $3, now())',
    [attempt.learnerId, attempt.lessonId, score.value],
  );
  await redis.hincrby(\`streak:\${attempt.learnerId}\`, 'attempts', 1);
  return score;
}
\`\`\`

Add the index that the dashboard query is missing:

\`\`\`sql
CREATE INDEX CONCURRENTLY IF NOT EXISTS lesson_events_learner_created_idx
  ON lesson_events (learner_id, created_at DESC)
  INCLUDE (score);
\`\`\`

### Trade-offs

| Option | Latency (p95) | Consistency | Effort |
| :----- | ------------: | :---------: | :----- |
| Keep as is | 1.8 s | strict | none |
| Score outside the transaction | 240 ms | strict | small |
| Queue events (BullMQ) | 35 ms | eventual | medium |

If you go with the queue, the worker config is small:

\`\`\`yaml
queues:
  lesson-events:
    concurrency: 8
    attempts: 5
    backoff: { type: exponential, delay: 2000 }
\`\`\`

and the change to the route is a one-liner:

\`\`\`diff
- await recordAttempt(db, redis, attempt);
+ await lessonEvents.add('attempt', attempt, { removeOnComplete: true });
\`\`\`

Check the plan before and after:

\`\`\`bash
psql "$DATABASE_URL" -c "EXPLAIN (ANALYZE, BUFFERS) SELECT score FROM lesson_events WHERE learner_id = 42 ORDER BY created_at DESC LIMIT 20;"
\`\`\`

\`\`\`prisma
model LessonEvent {
  id        BigInt   @id @default(autoincrement())
  learnerId BigInt
  createdAt DateTime @default(now())
  @@index([learnerId, createdAt(sort: Desc)])
}
\`\`\`

---

Further reading: the [PostgreSQL docs on \`CREATE INDEX CONCURRENTLY\`](https://www.postgresql.org/docs/current/sql-createindex.html)
and https://docs.bullmq.io/guide/retrying-failing-jobs. A diagram would help here:
![Sequence diagram of the attempt flow](https://example.com/attempt-flow.png)
`;

export const HOSTILE_ANSWER = `None of this may run, load or navigate:

<img src=x onerror="alert('img')">
<script>alert('script')</script>
<iframe src="https://example.com"></iframe>
<svg onload="alert('svg')"><circle r="10"/></svg>
<style>body { display: none }</style>
<a href="javascript:alert('a')">raw anchor</a> and <b onclick="alert('b')">bold?</b>

- [javascript link](javascript:alert('md'))
- [mixed case](JaVaScRiPt:alert('md2'))
- [data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
- [vbscript](vbscript:msgbox(1))
- [command link](command:workbench.action.terminal.new)
- [file link](file:///etc/passwd)
- [vscode link](vscode://settings/open)
- [relative](../secrets.txt)
- [angle](<javascript:alert('angle')>)
- <javascript:alert('autolink')>
- ![tracking pixel](https://evil.example/pixel.gif?user=1)
- ![data image](data:image/png;base64,iVBORw0KGgo=)
- [![badge](https://img.shields.io/badge/x-y-green)](https://example.com/badge)
- &lt;script&gt;alert('entity')&lt;/script&gt;
- A [safe link](https://docs.anthropic.com "Anthropic docs") and https://www.postgresql.org/docs/
- File names stay text: README.md, setup.sh, app.py

\`\`\`"><img src=x onerror=alert('fence')>
payload in a fence with a hostile info string
\`\`\`

\`\`\`js" onmouseover="alert('attr')
console.log('still plain text');
\`\`\`
`;

export const PARTIAL_BEFORE_FAILURE = `Start by moving the scoring call out of the transaction. The pool has ten connections and each
attempt holds one for the whole model call, so under load

- requests queue behind the pool,
- the queue grows while the scoring service is slow, and
`;

export const PARTIAL_BEFORE_STOP = `Here is a migration plan in three steps.

1. **Add the new column** without a default, so the \`ALTER TABLE\` is instant:

   \`\`\`sql
   ALTER TABLE learners ADD COLUMN timezone text;
   \`\`\`

2. **Backfill in batches** of 5,000 rows from a job, sleeping between batches to keep replication lag
`;

/** Markdown whose block structure depends on what comes later: the stream must still end up identical. */
export const TRICKY = `Para one
continues lazily
#hashtag is not a heading
and ***this*** is emphasis

Setext heading
==============

- item one

  continuation paragraph of item one

- item two
    - nested deeper
1. ordered after a bullet list

Text before a fence
\`\`\`ts
const a = 1;

const b = 2;
\`\`\`
After the fence, a [reference link][ref] used before its definition.

    indented code

    still indented code

> quote line one
lazy quote continuation

| a | b |
|---|:-:|
| 1 | 2 |

Term with trailing spaces  
hard break above. A line of dashes follows
---
* * *
[ref]: https://example.com/ref "Ref title"
Last line without newline`;

export const CRLF = 'Windows\r\nline endings\r\n\r\n- a\r\n- b\r\n\r\n```js\r\nlet x = 1;\r\n```\r\n';

// ---------- an architect run with tools: Glob -> Read -> Grep -> Bash -> answer, with a plan ----------

const PLAN = [
  'Find the data model for lesson events',
  'Trace the queries behind the history endpoint',
  'Check that the migrations are applied',
  'Recommend a fix',
];

/** The plan with the first `done` items completed and the next one in progress. */
function planAt(done) {
  return PLAN.map((content, i) => ({ content, status: i < done ? 'completed' : i === done ? 'in_progress' : 'pending' }));
}

const SCHEMA_EXCERPT = `  1  generator client {
  2    provider = "prisma-client-js"
  3  }
  …
 88  model LessonEvent {
 89    id        BigInt   @id @default(autoincrement())
 90    learnerId BigInt
 91    lessonId  Int
 92    score     Float
 93    createdAt DateTime @default(now())
 94    learner   Learner  @relation(fields: [learnerId], references: [id])
 95
 96    @@index([learnerId])
 97  }`;

const GREP_OUTPUT = `src/routes/history.ts:31:  const events = await prisma.lessonEvent.findMany({
src/routes/history.ts:33:    orderBy: { createdAt: 'desc' },
src/services/streakService.ts:58:  const recent = await prisma.lessonEvent.findMany({ where: { learnerId }, take: 30 });
src/services/lessonService.ts:112:  return prisma.lesson.findMany({ where: { courseId }, include: { steps: true } });
src/jobs/weeklyDigest.ts:19:  for (const learner of await prisma.learner.findMany()) {
src/jobs/weeklyDigest.ts:20:    const events = await prisma.lessonEvent.findMany({ where: { learnerId: learner.id } });
src/jobs/weeklyDigest.ts:44:  const lessons = await prisma.lesson.findMany({ select: { id: true, title: true } });`;

const MIGRATE_STATUS = `Prisma schema loaded from prisma/schema.prisma
Datasource "db": PostgreSQL database "lingualeap", schema "public" at "localhost:5432"

14 migrations found in prisma/migrations

Database schema is up to date!`;

export const TOOL_QUESTION = 'GET /learners/:id/history takes ~2 s for our most active learners. Is it the Prisma query, and what should change?';

export const TOOL_REFERENCE = { path: 'src/routes/history.ts', languageId: 'typescript', startLine: 24, endLine: 52, kind: 'selection', truncated: false };

const FINAL_ANSWER = `## It is the query, not Prisma

\`findMany\` in \`src/routes/history.ts\` filters on \`learnerId\` and sorts on \`createdAt\`, but
\`LessonEvent\` only has \`@@index([learnerId])\`. For a learner with 40,000 events PostgreSQL
reads every one of them and sorts in memory before \`take: 50\` applies. The migrations are all
applied, so the index is simply missing, not pending.

### Change

Replace the single-column index with one that matches the filter **and** the order:

\`\`\`prisma
model LessonEvent {
  // …
  @@index([learnerId, createdAt(sort: Desc)])
}
\`\`\`

Then create the migration and check the plan:

\`\`\`bash
npx prisma migrate dev --name lesson_events_learner_created
\`\`\`

Two more places read all of a learner's events: \`streakService.ts:58\` (fine once the index
exists) and \`weeklyDigest.ts:19-20\`, an N+1 loop worth batching with \`groupBy\` later.
`;

/**
 * The run as the host would post it, in order: `delta` texts, `toolStep`s (running, then done),
 * `todos` and `turnDetails`. `at` is filled in by `toolRunMessages`.
 */
const TOOL_RUN = [
  { todos: planAt(0) },
  { delta: "I'll start with the data model, then find every query that reads lesson events.\n" },
  { step: { stepId: 's1', tool: 'Glob', title: 'Glob `**/*.prisma`', status: 'running' } },
  { step: { stepId: 's1', tool: 'Glob', title: 'Glob `**/*.prisma` · 1 file', status: 'done', detail: 'prisma/schema.prisma', links: [{ label: 'prisma/schema.prisma', kind: 'file' }] } },
  { step: { stepId: 's2', tool: 'Read', title: 'Read `prisma/schema.prisma`', status: 'running' } },
  {
    step: {
      stepId: 's2',
      tool: 'Read',
      title: 'Read `prisma/schema.prisma` · 212 lines',
      status: 'done',
      detail: SCHEMA_EXCERPT,
      links: [{ label: 'prisma/schema.prisma:1-212', kind: 'file' }],
    },
  },
  { todos: planAt(1) },
  { delta: '`LessonEvent` is indexed on `learnerId` alone. Now the queries:\n' },
  { step: { stepId: 's3', tool: 'Grep', title: 'Grep `findMany` in `src/`', status: 'running' } },
  {
    step: {
      stepId: 's3',
      tool: 'Grep',
      title: 'Grep `findMany` in `src/` · 7 matches in 4 files',
      status: 'done',
      detail: GREP_OUTPUT,
      links: [
        { label: 'src/routes/history.ts:31-33', kind: 'file' },
        { label: 'src/services/streakService.ts:58', kind: 'file' },
        { label: 'src/services/lessonService.ts:112', kind: 'file' },
        { label: 'src/jobs/weeklyDigest.ts:19-44', kind: 'file' },
      ],
    },
  },
  { todos: planAt(2) },
  { step: { stepId: 's4', tool: 'Bash', title: 'Bash `npx prisma migrate status`', status: 'running' } },
  { step: { stepId: 's4', tool: 'Bash', title: 'Bash `npx prisma migrate status` · exit 0', status: 'done', detail: MIGRATE_STATUS } },
  { todos: planAt(3) },
  { delta: FINAL_ANSWER },
  { todos: planAt(4) },
  { details: ['Not available here: Edit, Write, mcp__github__create_issue'] },
];

/**
 * The run as host messages for `turnId`, with each step's `at` (the answer's length when it
 * started), and the snapshot the host would store for it.
 */
export function toolRunMessages(turnId) {
  const messages = [];
  let answer = '';
  const starts = new Map();
  const steps = new Map();
  let todos = [];
  let details = [];
  for (const event of TOOL_RUN) {
    if (event.delta) {
      messages.push({ type: 'delta', turnId, text: event.delta });
      answer += event.delta;
    } else if (event.step) {
      const at = starts.get(event.step.stepId) ?? answer.length;
      starts.set(event.step.stepId, at);
      const step = { ...event.step, at };
      steps.set(step.stepId, step);
      messages.push({ type: 'toolStep', turnId, step });
    } else if (event.todos) {
      todos = event.todos;
      messages.push({ type: 'todos', turnId, todos });
    } else if (event.details) {
      details = [...details, ...event.details];
      messages.push({ type: 'turnDetails', turnId, lines: event.details });
    }
  }
  const summary = { usage: { inputTokens: 18_240, outputTokens: 1_312, cacheReadTokens: 41_900, cacheWriteTokens: 6_120 }, cost: 0.0972 };
  const snapshot = {
    turnId,
    question: TOOL_QUESTION,
    reference: TOOL_REFERENCE,
    answer,
    status: 'completed',
    summary,
    stopReason: 'end_turn',
    steps: [...steps.values()],
    todos,
    details,
  };
  return { messages, snapshot, summary };
}
