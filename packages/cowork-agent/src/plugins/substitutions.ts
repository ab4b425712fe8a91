import type { LoadedPlugin } from './plugin-types';
import type { PluginRegistry } from './plugin-registry';

/** Splits arguments like a shell does for words: spaces separate, quotes group. */
export function splitArguments(args: string): string[] {
    const out: string[] = [];
    const re = /"((?:\\.|[^"\\])*)"|'([^']*)'|(\S+)/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(args)) !== null) {
        out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2] ?? m[3]);
    }
    return out;
}

/**
 * `$ARGUMENTS` (all of them), `$ARGUMENTS[N]` (0-based) and `$1`..`$9` (1-based). A body that uses
 * none of them still gets the arguments, appended, so nothing the user typed is dropped.
 */
export function substituteArguments(body: string, args: string): string {
    const words = splitArguments(args);
    let used = false;
    let out = body.replace(/\$ARGUMENTS\[(\d+)\]/g, (_m, n: string) => {
        used = true;
        return words[Number(n)] ?? '';
    });
    out = out.replace(/\$ARGUMENTS\b/g, () => {
        used = true;
        return args;
    });
    out = out.replace(/\$([1-9])(?![0-9])/g, (_m, n: string) => {
        used = true;
        return words[Number(n) - 1] ?? '';
    });
    if (!used && args.trim() !== '') {
        out = `${out.trimEnd()}\n\nARGUMENTS: ${args}`;
    }
    return out;
}

export function substitutePluginRoot(text: string, pluginRoot: string, pluginData?: string): string {
    let out = text.replace(/\$\{CLAUDE_PLUGIN_ROOT\}/g, pluginRoot);
    if (pluginData) {
        out = out.replace(/\$\{CLAUDE_PLUGIN_DATA\}/g, pluginData);
    }
    return out;
}

/**
 * `~~chat`, `~~project tracker`: placeholders for "whatever connector fills this category".
 * The longest placeholder named in CONNECTORS.md matches first (they may contain spaces);
 * unknown ones are matched as a single word.
 */
export function substitutePlaceholders(text: string, plugin: LoadedPlugin | undefined, registry: PluginRegistry): string {
    const resolver = registry.placeholderResolver;
    if (!resolver || !plugin || !text.includes('~~')) {
        return text;
    }
    const known = [...plugin.connectorCategories].sort((a, b) => b.placeholder.length - a.placeholder.length);
    const alternatives = known.map(k => escapeRe(k.placeholder.slice(2)));
    const re = new RegExp(`~~(${[...alternatives, '[A-Za-z][\\w-]*'].join('|')})`, 'gi');
    return text.replace(re, (whole, name: string) => {
        const category = known.find(k => k.placeholder.slice(2).toLowerCase() === name.toLowerCase());
        return resolver(plugin, category, whole);
    });
}

function escapeRe(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * `` !`cmd` `` and ```` ```! ```` blocks ask Claude Code to run a shell command while expanding
 * the command. Cowork does not run plugin shell code outside a task: the command is handed to the
 * model to run with its (sandboxed, permission-checked) Bash tool instead.
 */
export function deferShellInjections(text: string): string {
    const block = text.replace(/```!\s*\n([\s\S]*?)```/g, (_m, body: string) =>
        '```bash\n' + body + '```\n(Run the commands above with the Bash tool first and use their output.)');
    return block.replace(/!`([^`\n]+)`/g, (_m, cmd: string) => `\`${cmd}\` (run this with the Bash tool and use its output)`);
}
