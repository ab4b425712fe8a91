import * as fs from 'fs';
import * as path from 'path';
import { FrontmatterError, parseMarkdownComponent, ParsedMarkdown } from './frontmatter';
import { asBool, asList, asPositiveInt, asText, firstParagraph } from './frontmatter-values';
import type { AgentDefinition, Command, PluginIssue, Skill } from './plugin-types';
import { resolveInside } from './safe-path';

const SKILL_KEYS = ['name', 'description', 'argument-hint', 'user-invocable', 'allowed-tools', 'triggers', 'compatibility',
    'version', 'license', 'disable-model-invocation', 'model', 'context', 'agent', 'metadata', 'when_to_use', 'hooks',
    'disallowed-tools'] as const;
const COMMAND_KEYS = ['name', 'description', 'argument-hint', 'allowed-tools', 'hide-from-slash-command-tool', 'model',
    'disable-model-invocation'] as const;
const AGENT_KEYS = ['name', 'description', 'model', 'color', 'maxTurns', 'tools', 'disallowedTools', 'skills', 'permissionMode'] as const;

/** Largest component file read; zoom's biggest SKILL.md is 45 KB, claude-api's 74 KB. */
const MAX_COMPONENT_BYTES = 1024 * 1024;

interface Origin {
    plugin: string;
    pluginRoot: string;
    issues: PluginIssue[];
}

function readComponent(file: string, keys: readonly string[], origin: Origin): ParsedMarkdown | undefined {
    try {
        const st = fs.statSync(file);
        if (st.size > MAX_COMPONENT_BYTES) {
            origin.issues.push({ severity: 'error', file, line: 1, message: `file is ${st.size} bytes, over the ${MAX_COMPONENT_BYTES}-byte limit` });
            return undefined;
        }
        const parsed = parseMarkdownComponent(fs.readFileSync(file, 'utf8'), keys);
        if (parsed.lenient) {
            origin.issues.push({
                severity: 'warning', file, line: parsed.lenient.line,
                message: `frontmatter is not valid YAML (${parsed.lenient.reason}); read it line by line instead`
            });
        }
        return parsed;
    } catch (e) {
        const line = e instanceof FrontmatterError ? e.line : 1;
        origin.issues.push({ severity: 'error', file, line, message: (e as Error).message });
        return undefined;
    }
}

export function loadSkill(dir: string, id: string, origin: Origin): Skill | undefined {
    const file = path.join(dir, 'SKILL.md');
    const parsed = readComponent(file, SKILL_KEYS, origin);
    if (!parsed) {
        return undefined;
    }
    const d = parsed.data;
    return {
        kind: 'skill',
        plugin: origin.plugin,
        id,
        name: asText(d.name) ?? id,
        description: asText(d.description)?.trim() || firstParagraph(parsed.body),
        argumentHint: asText(d['argument-hint']),
        userInvocable: asBool(d['user-invocable'], true),
        disableModelInvocation: asBool(d['disable-model-invocation'], false),
        allowedTools: asList(d['allowed-tools']),
        model: asText(d.model),
        file,
        dir,
        pluginRoot: origin.pluginRoot,
        body: parsed.body,
        bodyLine: parsed.bodyLine,
        meta: d
    };
}

export function loadCommand(file: string, origin: Origin): Command | undefined {
    const parsed = readComponent(file, COMMAND_KEYS, origin);
    if (!parsed) {
        return undefined;
    }
    const d = parsed.data;
    const id = path.basename(file, '.md');
    return {
        kind: 'command',
        plugin: origin.plugin,
        id,
        name: asText(d.name) ?? id,
        description: asText(d.description)?.trim() || firstParagraph(parsed.body),
        argumentHint: asText(d['argument-hint']),
        allowedTools: asList(d['allowed-tools']),
        model: asText(d.model),
        disableModelInvocation: asBool(d['disable-model-invocation'], false),
        hideFromSlashCommandTool: asBool(d['hide-from-slash-command-tool'], false),
        file,
        pluginRoot: origin.pluginRoot,
        body: parsed.body,
        bodyLine: parsed.bodyLine,
        meta: d
    };
}

export function loadAgent(file: string, origin: Origin): AgentDefinition | undefined {
    const parsed = readComponent(file, AGENT_KEYS, origin);
    if (!parsed) {
        return undefined;
    }
    const d = parsed.data;
    const id = path.basename(file, '.md');
    if (parsed.body.trim() === '') {
        origin.issues.push({ severity: 'error', file, line: parsed.bodyLine, message: 'agent has no system prompt (the text after the frontmatter is empty)' });
        return undefined;
    }
    const model = asText(d.model)?.trim();
    return {
        plugin: origin.plugin,
        id,
        qualifiedName: `${origin.plugin}:${id}`,
        name: asText(d.name) ?? id,
        description: asText(d.description)?.trim() || firstParagraph(parsed.body),
        tools: asList(d.tools),
        model: model && model !== 'inherit' ? model : undefined,
        maxTurns: asPositiveInt(d.maxTurns),
        color: asText(d.color),
        systemPrompt: parsed.body.replace(/\$\{CLAUDE_PLUGIN_ROOT\}/g, origin.pluginRoot).trim(),
        file,
        pluginRoot: origin.pluginRoot
    };
}

/** `*.md` files directly in a component folder, each resolved inside the plugin. */
export function markdownFilesIn(root: string, dir: string, issues: PluginIssue[]): string[] {
    let entries: string[];
    try {
        entries = fs.readdirSync(dir).filter(n => n.toLowerCase().endsWith('.md')).sort();
    } catch {
        return [];
    }
    const out: string[] = [];
    for (const n of entries) {
        const abs = path.join(dir, n);
        try {
            const real = resolveInside(root, abs, true);
            if (fs.statSync(real).isFile()) {
                out.push(abs);
            }
        } catch (e) {
            issues.push({ severity: 'error', file: abs, line: 1, message: (e as Error).message });
        }
    }
    return out;
}
