import type { GrantSet } from '../grants';
import { expandFileIncludes } from './file-includes';
import { Invocable, PluginRegistry, qualifiedName } from './plugin-registry';
import { deferShellInjections, substituteArguments, substitutePlaceholders, substitutePluginRoot } from './substitutions';

export interface ExpandedCommand {
    /** The user message to send in place of what was typed. */
    prompt: string;
    /** Tool names the turn is narrowed to (from `allowed-tools`), or undefined for all. */
    allowedTools?: string[];
    /** The raw `allowed-tools` rules, e.g. `Bash(git add:*)`. */
    allowedToolRules?: string[];
    /** The component that was run, as `plugin:id`. */
    command: string;
    model?: string;
    /** Files inlined through `@path`. */
    includedFiles: string[];
}

export class SlashCommandError extends Error { }

/** The names the connector meta-tools go by, kept when `allowed-tools` names an MCP tool. */
export const CONNECTOR_META_TOOLS = ['ConnectorTools', 'ConnectorCall'];

/**
 * Turns `/plugin:name args` (or `/name args` where only one plugin has `name`) into the prompt
 * the model receives. Returns undefined when the input is not a slash command at all.
 */
export function expandSlashCommand(input: string, registry: PluginRegistry, grants: GrantSet): ExpandedCommand | undefined {
    const m = /^\s*\/([^\s/][^\s]*)(?:\s+([\s\S]*))?$/.exec(input);
    if (!m) {
        return undefined;
    }
    const [, name, rawArgs] = m;
    const { found, ambiguous } = registry.findUserInvocable(name);
    if (ambiguous) {
        throw new SlashCommandError(`/${name} is ambiguous; use one of ${ambiguous.map(a => '/' + a).join(', ')}`);
    }
    if (!found) {
        // A path like /home/x typed as a prompt is not a command.
        if (name.includes('/')) {
            return undefined;
        }
        const names = registry.userInvocables().map(c => '/' + qualifiedName(c));
        const hint = names.length > 0 ? ` Available: ${names.slice(0, 30).join(', ')}${names.length > 30 ? ', …' : ''}` : ' No plugin commands are installed.';
        throw new SlashCommandError(`Unknown command /${name}.${hint}`);
    }
    return renderInvocable(found, (rawArgs ?? '').trim(), registry, grants);
}

/** The text of a skill or command with every substitution applied (also used by the Skill tool). */
export function renderInvocable(c: Invocable, args: string, registry: PluginRegistry, grants: GrantSet | undefined): ExpandedCommand {
    const plugin = registry.plugin(c.plugin);
    let body = substituteArguments(c.body, args);
    body = substitutePluginRoot(body, c.pluginRoot);
    body = substitutePlaceholders(body, plugin, registry);
    body = deferShellInjections(body);
    let includedFiles: string[] = [];
    if (grants) {
        const inc = expandFileIncludes(body, grants);
        body = inc.text;
        includedFiles = inc.included;
    }
    const header = [`<command-name>/${qualifiedName(c)}</command-name>`];
    if (args) {
        header.push(`<command-args>${args}</command-args>`);
    }
    if (c.kind === 'skill') {
        header.push(`Base directory for this skill: ${c.dir}`);
    }
    const rules = c.allowedTools;
    let allowedTools: string[] | undefined;
    if (rules && rules.length > 0) {
        const names = new Set(rules.map(r => r.replace(/\(.*$/s, '').trim()).filter(r => r !== ''));
        if ([...names].some(n => n.startsWith('mcp__'))) {
            CONNECTOR_META_TOOLS.forEach(n => names.add(n));
        }
        allowedTools = [...names];
    }
    return {
        prompt: `${header.join('\n')}\n\n${body.trim()}\n`,
        allowedTools,
        allowedToolRules: rules,
        command: qualifiedName(c),
        model: c.model,
        includedFiles
    };
}
