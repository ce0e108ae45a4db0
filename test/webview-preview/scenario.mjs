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
