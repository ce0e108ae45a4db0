/**
 * The pure agent-file analysis the editor features use, gathered in one module that is only
 * ever loaded through `loadAgentCore()` (`lazyCore.ts`): it pulls in the YAML reader
 * (gray-matter, js-yaml), which has no business in the extension's startup.
 */
import { useDisplayLanguage } from '../host/l10n';

export { diagnoseAgentText } from '../core/agent/diagnostics';
export { completionsAt, hoverAt } from '../core/agent/editor';
export { parseAgentFile } from '../core/agent/parse';
export { sameAgentName } from '../core/agent/catalog';

// The analysis's messages (diagnostics, hovers, quick fixes) come from pure code: hand it the
// display language's strings before the first one is made.
useDisplayLanguage();
