/**
 * Writing a front-matter field so that strict YAML reads back exactly the given text: for the
 * quick fixes that repair a description and for new agent files. Pure.
 */
import { loadYaml } from './frontMatter';

/**
 * `key: text` as YAML that reads back as `text`: plain when that is safe, else single-quoted
 * (one line), else a literal block (`|-`, several lines), else double-quoted. Each form is
 * checked by reading it back, so no character can change the meaning.
 */
export function yamlField(key: string, text: string): string {
  const candidates: string[] = [];
  if (!text.includes('\n')) {
    candidates.push(`${key}: ${text}`, `${key}: '${text.replace(/'/g, "''")}'`);
  } else {
    const indicator = /^[ \t]/.test(text) ? '|2-' : '|-';
    candidates.push(`${key}: ${indicator}\n${text.split('\n').map((line) => (line === '' ? '' : `  ${line}`)).join('\n')}`);
  }
  for (const candidate of candidates) {
    if (readsBackAs(candidate, key, text)) {
      return candidate;
    }
  }
  return `${key}: ${JSON.stringify(text)}`;
}

function readsBackAs(yaml: string, key: string, text: string): boolean {
  const loaded = loadYaml(yaml, 0);
  return (
    loaded.ok &&
    typeof loaded.value === 'object' &&
    loaded.value !== null &&
    Object.keys(loaded.value).length === 1 &&
    (loaded.value as Record<string, unknown>)[key] === text
  );
}
