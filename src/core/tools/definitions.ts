/**
 * Which tools an agent gets, and how they are declared to the Messages API: client tools with
 * Claude Code's names and input fields, WebSearch / WebFetch as Anthropic's server tools.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { BASH_DEFAULT_TIMEOUT_MS, BASH_MAX_OUTPUT_CHARS, BASH_MAX_TIMEOUT_MS } from './bash';
import { GLOB_MAX_RESULTS } from './glob';
import { GREP_DEFAULT_HEAD_LIMIT } from './grep';
import { LS_MAX_ENTRIES } from './ls';
import { READ_DEFAULT_LIMIT, READ_MAX_LINE_CHARS } from './read';
import { CLIENT_TOOLS, TOOL_NAMES, type ToolName } from './types';

/**
 * From an agent's `tools` field: which of ours it grants (an absent field grants all of them, as
 * in Claude Code), and which names are not available here (Edit, Write, mcp__…, typos), each once,
 * in file order. `Bash(git status:*)`-style entries grant the tool itself: every command still
 * asks the user.
 */
export function grantTools(agentTools: readonly string[] | undefined): { granted: ToolName[]; unavailable: string[] } {
  if (agentTools === undefined) {
    return { granted: [...TOOL_NAMES], unavailable: [] };
  }
  const granted: ToolName[] = [];
  const unavailable: string[] = [];
  for (const entry of agentTools) {
    const name = entry.trim().replace(/\(.*\)$/s, '');
    if (name === '') {
      continue;
    }
    if ((TOOL_NAMES as readonly string[]).includes(name)) {
      if (!granted.includes(name as ToolName)) {
        granted.push(name as ToolName);
      }
    } else if (!unavailable.includes(entry.trim())) {
      unavailable.push(entry.trim());
    }
  }
  return { granted, unavailable };
}

/** A client tool's declaration. */
type ClientTool = Anthropic.Messages.Tool;

/**
 * The `tools` array for the Messages API, in a fixed order whatever the agent's order (so the
 * prompt cache holds): client tools for the granted client tools, and Anthropic's server tools
 * for WebSearch / WebFetch when granted and `web` is on. Both server tools are in the SDK's
 * non-beta `ToolUnion`: no beta header.
 */
export function toolDefinitions(granted: readonly ToolName[], options: { web: boolean }): Anthropic.Messages.ToolUnion[] {
  const tools: Anthropic.Messages.ToolUnion[] = [];
  for (const name of TOOL_NAMES) {
    if (!granted.includes(name)) {
      continue;
    }
    if ((CLIENT_TOOLS as readonly string[]).includes(name)) {
      tools.push(CLIENT_DEFINITIONS[name as ClientToolName]);
    } else if (options.web && name === 'WebSearch') {
      tools.push({ type: 'web_search_20250305', name: 'web_search' } satisfies Anthropic.Messages.WebSearchTool20250305);
    } else if (options.web && name === 'WebFetch') {
      tools.push({ type: 'web_fetch_20250910', name: 'web_fetch' } satisfies Anthropic.Messages.WebFetchTool20250910);
    }
  }
  return tools;
}

type ClientToolName = 'Read' | 'Glob' | 'Grep' | 'LS' | 'Bash' | 'TodoWrite';

const PATHS =
  'Paths are absolute or relative to the first workspace folder; only files inside the workspace folders can be reached, and files matching the user\'s exclude patterns (secrets such as .env and keys, .git) are never read, listed or searched.';

const CLIENT_DEFINITIONS: Record<ClientToolName, ClientTool> = {
  Read: {
    name: 'Read',
    description: [
      'Reads a text file from the user\'s workspace.',
      `- Returns up to ${READ_DEFAULT_LIMIT} lines from the start by default; pass offset (1-based line number) and limit to read a long file in parts.`,
      `- Output is numbered like cat -n: the line number, a tab, then the line. Lines longer than ${READ_MAX_LINE_CHARS} characters are cut.`,
      '- Reads text only: binary files and Jupyter notebooks are refused. Use LS for directories.',
      `- ${PATHS}`,
      '- Read several files in one turn when you expect to need them.',
    ].join('\n'),
    input_schema: {
      type: 'object',
      properties: {
        file_path: { type: 'string', description: 'The path of the file to read (absolute, or relative to the workspace folder)' },
        offset: { type: 'number', description: 'The line number to start reading from (1 is the first line). Only needed when the file is too long to read at once' },
        limit: { type: 'number', description: 'The number of lines to read. Only needed when the file is too long to read at once' },
      },
      required: ['file_path'],
    },
  },
  Glob: {
    name: 'Glob',
    description: [
      'Finds files by name with a glob pattern such as "**/*.ts" or "src/**/*.prisma".',
      `- Returns matching paths, most recently modified first, at most ${GLOB_MAX_RESULTS}.`,
      '- Follows the editor\'s file search: .gitignore\'d and files.exclude\'d files are not found.',
      `- ${PATHS}`,
      '- To search file contents, use Grep.',
    ].join('\n'),
    input_schema: {
      type: 'object',
      properties: {
        pattern: { type: 'string', description: 'The glob pattern to match files against' },
        path: {
          type: 'string',
          description: 'The directory to search in. Omit it to search the whole workspace folder (do not pass "undefined" or "null")',
        },
      },
      required: ['pattern'],
    },
  },
  Grep: {
    name: 'Grep',
    description: [
      'Searches file contents with ripgrep.',
      '- Full regular expression syntax (ripgrep\'s, not grep\'s): escape literal braces and parentheses, e.g. `interface\\{\\}`.',
      '- Filter files with glob (e.g. "*.js", "*.{ts,tsx}") or type (e.g. "js", "py", "rust").',
      '- output_mode: "files_with_matches" (default) lists file paths, most recently modified first; "content" shows matching lines; "count" shows match counts per file.',
      '- Patterns match within one line unless multiline is true.',
      `- ${PATHS}`,
      '- Always use Grep to search contents, never grep or rg through Bash.',
    ].join('\n'),
    input_schema: {
      type: 'object',
      properties: {
        pattern: { type: 'string', description: 'The regular expression pattern to search for in file contents' },
        path: { type: 'string', description: 'File or directory to search in (rg PATH). Defaults to the workspace folder' },
        glob: { type: 'string', description: 'Glob pattern to filter files (e.g. "*.js", "*.{ts,tsx}") - maps to rg --glob' },
        type: { type: 'string', description: 'File type to search (rg --type), e.g. js, ts, py, rust, go, java. More efficient than glob for standard file types' },
        output_mode: {
          type: 'string',
          enum: ['content', 'files_with_matches', 'count'],
          description:
            'Output mode: "content" shows matching lines (supports -A/-B/-C context, -n line numbers, head_limit), "files_with_matches" shows file paths (supports head_limit), "count" shows match counts (supports head_limit). Defaults to "files_with_matches"',
        },
        '-i': { type: 'boolean', description: 'Case insensitive search (rg -i)' },
        '-n': { type: 'boolean', description: 'Show line numbers in output (rg -n). Requires output_mode: "content", ignored otherwise. Defaults to true' },
        '-A': { type: 'number', description: 'Number of lines to show after each match (rg -A). Requires output_mode: "content", ignored otherwise' },
        '-B': { type: 'number', description: 'Number of lines to show before each match (rg -B). Requires output_mode: "content", ignored otherwise' },
        '-C': { type: 'number', description: 'Number of lines to show before and after each match (rg -C). Requires output_mode: "content", ignored otherwise' },
        head_limit: {
          type: 'number',
          description: `Limit output to the first N lines/entries, like "| head -N", in every output mode. Defaults to ${GREP_DEFAULT_HEAD_LIMIT}; 0 for no limit (use sparingly)`,
        },
        offset: { type: 'number', description: 'Skip the first N lines/entries before applying head_limit, like "| tail -n +N | head -N". Defaults to 0' },
        multiline: { type: 'boolean', description: 'Enable multiline mode where . matches newlines and patterns can span lines (rg -U --multiline-dotall). Default: false' },
      },
      required: ['pattern'],
    },
  },
  LS: {
    name: 'LS',
    description: [
      'Lists a directory as an indented tree (directories end with /), breadth first.',
      `- At most ${LS_MAX_ENTRIES} entries; dependency folders such as node_modules are shown but not expanded; symbolic links are shown, not followed.`,
      '- ignore takes glob patterns to leave out (matched against names and paths relative to the listed directory).',
      `- ${PATHS}`,
      '- Prefer Glob and Grep when you know what you are looking for.',
    ].join('\n'),
    input_schema: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'The directory to list (absolute, or relative to the workspace folder). Defaults to the workspace folder' },
        ignore: { type: 'array', items: { type: 'string' }, description: 'List of glob patterns to ignore' },
      },
      required: [],
    },
  },
  Bash: {
    name: 'Bash',
    description: [
      'Runs a shell command in the first workspace folder, after the user approves it in a dialog.',
      '- The user sees the exact command and may deny it: run only what you need to answer (status, versions, listings, tests, builds), one clear command at a time, and say why in description.',
      '- Never run commands that change or delete files, install packages, push, or reach the network unless the user asked for exactly that.',
      `- Timeout in milliseconds: default ${BASH_DEFAULT_TIMEOUT_MS}, at most ${BASH_MAX_TIMEOUT_MS}. stdin is closed, so interactive commands fail; nothing keeps running in the background after the command ends.`,
      `- Output (stdout and stderr together) longer than ${BASH_MAX_OUTPUT_CHARS} characters keeps its beginning and end. The exit code is reported.`,
      '- Use Read, Glob, Grep and LS rather than cat, find, grep or ls.',
      '- Unavailable in Restricted Mode or when the user turned commands off.',
    ].join('\n'),
    input_schema: {
      type: 'object',
      properties: {
        command: { type: 'string', description: 'The command to execute' },
        timeout: { type: 'number', description: `Optional timeout in milliseconds (max ${BASH_MAX_TIMEOUT_MS})` },
        description: {
          type: 'string',
          description: 'Clear, concise description of what this command does in 5-10 words, shown to the user with the command',
        },
      },
      required: ['command'],
    },
  },
  TodoWrite: {
    name: 'TodoWrite',
    description: [
      'Keeps your plan for a multi-step task, shown to the user as a checklist.',
      '- Use it for work of three or more steps; skip it for a single question.',
      '- Each call replaces the whole list. Keep exactly one step in_progress while you work; mark a step completed as soon as it is done.',
      '- content is the step in the imperative ("Read the Prisma schema"); activeForm the same in the present continuous ("Reading the Prisma schema").',
    ].join('\n'),
    input_schema: {
      type: 'object',
      properties: {
        todos: {
          type: 'array',
          description: 'The updated todo list',
          items: {
            type: 'object',
            properties: {
              content: { type: 'string', minLength: 1 },
              status: { type: 'string', enum: ['pending', 'in_progress', 'completed'] },
              activeForm: { type: 'string', minLength: 1 },
            },
            required: ['content', 'status'],
          },
        },
      },
      required: ['todos'],
    },
  },
};
