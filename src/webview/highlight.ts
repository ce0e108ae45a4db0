/**
 * Syntax highlighting for fenced code in answers: highlight.js core with the languages a
 * backend architect writes about, so the bundle carries ~20 grammars instead of ~190. A fence
 * in any other language (prisma, graphql, …) is shown as plain, escaped text.
 */
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import dockerfile from 'highlight.js/lib/languages/dockerfile';
import go from 'highlight.js/lib/languages/go';
import http from 'highlight.js/lib/languages/http';
import ini from 'highlight.js/lib/languages/ini';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import plaintext from 'highlight.js/lib/languages/plaintext';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const LANGUAGES = {
  bash,
  console: shell, // highlight.js calls it "shell"; models mean bash by ```shell, see the aliases
  css,
  diff,
  dockerfile,
  go,
  http,
  ini,
  java,
  javascript,
  json,
  markdown,
  plaintext,
  python,
  rust,
  sql,
  typescript,
  xml,
  yaml,
};

for (const [name, language] of Object.entries(LANGUAGES)) {
  hljs.registerLanguage(name, language);
}
hljs.registerAliases(['shell', 'sh', 'zsh'], { languageName: 'bash' });
hljs.registerAliases(['postgres', 'postgresql', 'psql', 'pgsql', 'plpgsql', 'mysql', 'sqlite'], { languageName: 'sql' });
hljs.registerAliases(['jsonl', 'ndjson'], { languageName: 'json' });
hljs.registerAliases(['env', 'dotenv', 'properties', 'conf'], { languageName: 'ini' });
hljs.registerAliases(['text', 'txt', 'plain'], { languageName: 'plaintext' });
hljs.configure({ ignoreUnescapedHTML: true });

/** The registered language for a fence's first info word, if any. */
export function resolveLanguage(word: string): string | undefined {
  const id = word.toLowerCase();
  return /^[a-z0-9_+#.-]{1,32}$/.test(id) && hljs.getLanguage(id) ? id : undefined;
}

/**
 * Highlighted HTML for `code`: highlight.js escapes the text and adds only `<span class>`.
 * `language` must come from `resolveLanguage`.
 */
export function highlight(code: string, language: string): string {
  return hljs.highlight(code, { language, ignoreIllegals: true }).value;
}
