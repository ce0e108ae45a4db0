/**
 * The chat participant's slash commands, chosen from the agent's stated responsibilities:
 * each adds a short focus instruction to the request. The manifest lists the same names and
 * descriptions (a unit test keeps the two in step). Pure.
 *
 * Only the follow-ups' labels are translated here: the descriptions VS Code shows in the `/` list
 * are the manifest's (translated by package.nls.json), and the instructions, default questions
 * and follow-up prompts are sent to the model, in English.
 */
import * as l10n from '@vscode/l10n';

export interface ArchitectCommand {
  /** As the manifest says it: VS Code shows the manifest's (translated) copy in the Chat view's `/` list. */
  readonly description: string;
  /** Prepended to the question so the architect answers with this focus. */
  readonly instruction: string;
  /** Asked when the user types the command with no question. */
  readonly defaultQuestion: string;
}

export interface ArchitectFollowup {
  readonly prompt: string;
  readonly label: string;
  readonly command?: ArchitectCommandName;
}

export type ArchitectCommandName = 'review' | 'schema' | 'api' | 'security' | 'scale' | 'ai' | 'infra';

export const ARCHITECT_COMMANDS: Readonly<Record<ArchitectCommandName, ArchitectCommand>> = {
  review: {
    description: 'Review the selected code or file as the LinguaLeap backend architect',
    instruction:
      'Focus: an architecture review of the code. Rank the findings by impact (correctness, security, scalability, cost) and give a concrete fix for each.',
    defaultQuestion: 'Review this code.',
  },
  schema: {
    description: 'Design or review PostgreSQL schemas, Prisma models, indexes and migrations',
    instruction:
      'Focus: the data model. Answer with PostgreSQL and Prisma specifics: models, relations, indexes, constraints, migrations and the queries they serve.',
    defaultQuestion: 'Design the schema this code needs.',
  },
  api: {
    description: 'Design REST and WebSocket APIs: resources, versioning, validation, rate limits',
    instruction:
      'Focus: API design. Cover routes or events, request and response shapes, validation, status codes, versioning, pagination and rate limiting, with Express/TypeScript examples.',
    defaultQuestion: 'Design the API for this.',
  },
  security: {
    description: 'Check authentication (JWT, OAuth 2.0), authorization, input validation and GDPR',
    instruction:
      'Focus: security and compliance. Check authentication, authorization, input validation, secrets, encryption and GDPR obligations for learner data; name each risk and its fix.',
    defaultQuestion: 'What are the security risks here?',
  },
  scale: {
    description: 'Plan for load: caching with Redis, database performance, concurrency, queues',
    instruction:
      'Focus: scalability and performance under high concurrency. Identify bottlenecks and propose caching (Redis), query, connection-pool, queueing and horizontal-scaling changes, with the numbers that justify them.',
    defaultQuestion: 'How does this scale?',
  },
  ai: {
    description: 'Integrate OpenAI conversation and speech (STT/TTS) pipelines: errors, latency, cost',
    instruction:
      'Focus: AI service integration. Cover OpenAI conversation and speech-to-text/text-to-speech calls: retries, rate limits, streaming, latency, context management across turns and cost per learner.',
    defaultQuestion: 'How should this integrate the AI services?',
  },
  infra: {
    description: 'Docker, CI/CD, monitoring, logging and deployment for the LinguaLeap backend',
    instruction:
      'Focus: infrastructure. Cover Docker images and compose files, CI/CD steps, configuration, monitoring, logging and error tracking.',
    defaultQuestion: 'How should this be deployed and monitored?',
  },
};

/**
 * The follow-ups offered after an answer to each command, and after one with no command
 * (`general`). A function: the labels are read in the display language, known only once the
 * extension runs. The prompts are what the follow-up asks the model, so they stay English.
 */
function followupTable(): Readonly<Record<ArchitectCommandName | 'general', readonly ArchitectFollowup[]>> {
  return {
    review: [
      { command: 'security', prompt: 'What are the security and GDPR risks in this code?', label: l10n.t('Check security and GDPR') },
      { command: 'scale', prompt: 'How will this behave at 10x the load?', label: l10n.t('Check it at 10x load') },
    ],
    schema: [
      { command: 'schema', prompt: 'Which indexes do these queries need, and why?', label: l10n.t('Plan the indexes') },
      { command: 'scale', prompt: 'How should this data be cached in Redis?', label: l10n.t('Add a Redis cache') },
    ],
    api: [
      { command: 'security', prompt: 'How should these endpoints be authenticated and authorized?', label: l10n.t('Secure these endpoints') },
      { command: 'api', prompt: 'Write the OpenAPI description for these endpoints.', label: l10n.t('Write the OpenAPI spec') },
    ],
    security: [
      { command: 'security', prompt: 'What must we do to be GDPR compliant for this data?', label: l10n.t('GDPR checklist') },
      { command: 'review', prompt: 'Review the fixed version of this code.', label: l10n.t('Review the fix') },
    ],
    scale: [
      { command: 'infra', prompt: 'How should we monitor this in production?', label: l10n.t('Monitoring plan') },
      { command: 'scale', prompt: 'Write a load test plan for this.', label: l10n.t('Plan a load test') },
    ],
    ai: [
      { command: 'ai', prompt: 'How can we cut the AI cost per learner?', label: l10n.t('Cut AI cost') },
      { command: 'scale', prompt: 'How do we keep speech latency low under load?', label: l10n.t('Keep latency low') },
    ],
    infra: [
      { command: 'infra', prompt: 'Write the Dockerfile for this service.', label: l10n.t('Write the Dockerfile') },
      { command: 'infra', prompt: 'Write the CI pipeline for this service.', label: l10n.t('Write the CI pipeline') },
    ],
    general: [
      { command: 'review', prompt: 'Review the selected code.', label: l10n.t('Review the selection') },
      { command: 'scale', prompt: 'How does this scale?', label: l10n.t('How does this scale?') },
    ],
  };
}

export function isArchitectCommand(name: string | undefined): name is ArchitectCommandName {
  return name !== undefined && Object.prototype.hasOwnProperty.call(ARCHITECT_COMMANDS, name);
}

/** The question as sent for a command: its focus line, then the question (or its default). */
export function applyCommand(name: string | undefined, question: string): string {
  if (!isArchitectCommand(name)) {
    return question;
  }
  const command = ARCHITECT_COMMANDS[name];
  return `${command.instruction}\n\n${question.trim() || command.defaultQuestion}`;
}

/** The follow-ups offered after an answer to command `name` (or to a question with no command). */
export function followupsFor(name: string | undefined): readonly ArchitectFollowup[] {
  return followupTable()[isArchitectCommand(name) ? name : 'general'];
}
