import * as fs from 'fs';
import * as path from 'path';
import { parseMcpServers, McpServerConfig } from '../mcp/mcp-config';
import { parseConnectorsDoc } from './connectors-doc';
import { HooksConfig, parseHooks } from './hooks-config';
import { defaultPluginName, parseManifest } from './manifest';
import { loadAgent, loadCommand, loadSkill, markdownFilesIn } from './markdown-components';
import type { LoadedPlugin, PluginIssue, PluginManifest, PluginSource } from './plugin-types';
import { JsonSyntaxError, parsePositionedJson, PositionedJson } from './positioned-json';
import { PathEscapeError, resolveInside } from './safe-path';

export interface LoadOptions {
    source?: PluginSource;
    /** Name to use when there is no plugin.json (a marketplace entry's name). */
    nameHint?: string;
    /** ${CLAUDE_PLUGIN_DATA}: a per-plugin folder for state that survives updates. */
    pluginData?: string;
}

/**
 * Loads one plugin folder. Never throws for bad content: each broken component becomes one
 * issue naming its file and line, and everything else still loads.
 */
export function loadPlugin(dir: string, opts: LoadOptions = {}): LoadedPlugin {
    const issues: PluginIssue[] = [];
    const fallback = opts.nameHint ?? defaultPluginName(dir);
    let root: string;
    try {
        root = fs.realpathSync.native(dir);
        if (!fs.statSync(root).isDirectory()) {
            throw new Error('not a folder');
        }
    } catch (e) {
        issues.push({ severity: 'error', file: dir, line: 1, message: `plugin folder cannot be read: ${(e as Error).message}` });
        return emptyPlugin(fallback, dir, opts.source ?? 'path', issues);
    }
    const manifestFile = path.join(root, '.claude-plugin', 'plugin.json');
    const hasManifest = fs.existsSync(manifestFile);
    let manifest: PluginManifest = { name: fallback };
    if (hasManifest) {
        const json = readJson(root, manifestFile, issues);
        if (json) {
            manifest = parseManifest(json, manifestFile, fallback, issues);
        }
    }
    const plugin = emptyPlugin(manifest.name, root, opts.source ?? 'path', issues);
    plugin.hasManifest = hasManifest;
    plugin.manifest = manifest;
    const origin = { plugin: manifest.name, pluginRoot: root, issues };

    for (const skillsDir of componentDirs(root, 'skills', manifest.skills, issues, manifestFile)) {
        loadSkillsFrom(root, skillsDir, origin, plugin);
    }
    for (const p of componentDirs(root, 'commands', manifest.commands, issues, manifestFile)) {
        const files = isFile(p) ? [p] : markdownFilesIn(root, p, issues);
        files.map(f => loadCommand(f, origin)).forEach(c => c && plugin.commands.push(c));
    }
    for (const p of componentDirs(root, 'agents', manifest.agents, issues, manifestFile)) {
        const files = isFile(p) ? [p] : markdownFilesIn(root, p, issues);
        files.map(f => loadAgent(f, origin)).forEach(a => a && plugin.agents.push(a));
    }
    plugin.mcpServers = loadMcp(root, manifest, manifestFile, opts.pluginData, issues);
    plugin.hooks = loadHooks(root, manifest, manifestFile, issues);
    const connectorsDoc = path.join(root, 'CONNECTORS.md');
    if (isFile(connectorsDoc)) {
        try {
            plugin.connectorCategories = parseConnectorsDoc(fs.readFileSync(resolveInside(root, connectorsDoc, true), 'utf8'));
        } catch (e) {
            issues.push({ severity: 'error', file: connectorsDoc, line: 1, message: (e as Error).message });
        }
    }
    dedupe(plugin);
    return plugin;
}

function emptyPlugin(name: string, root: string, source: PluginSource, issues: PluginIssue[]): LoadedPlugin {
    return {
        name, root, source, hasManifest: false, manifest: { name }, skills: [], commands: [], agents: [],
        mcpServers: {}, hooks: [], connectorCategories: [], issues
    };
}

/** The default folder (if present) plus folders or files the manifest adds, all inside the plugin. */
function componentDirs(root: string, dflt: string, extra: string[] | undefined, issues: PluginIssue[], manifestFile: string): string[] {
    const out: string[] = [];
    const add = (rel: string, fromManifest: boolean) => {
        try {
            const real = resolveInside(root, rel.replace(/\$\{CLAUDE_PLUGIN_ROOT\}/g, root), true);
            if (fs.existsSync(real)) {
                if (!out.includes(real)) {
                    out.push(real);
                }
            } else if (fromManifest) {
                issues.push({ severity: 'error', file: manifestFile, line: 1, message: `"${dflt}" path ${rel} does not exist` });
            }
        } catch (e) {
            issues.push({ severity: 'error', file: fromManifest ? manifestFile : path.join(root, rel), line: 1, message: (e as Error).message });
        }
    };
    add(dflt, false);
    (extra ?? []).forEach(rel => add(rel, true));
    return out;
}

/** Depth-1 `<dir>/*\/SKILL.md` are skills; a folder that is itself a skill counts too. Stray files are skipped. */
function loadSkillsFrom(root: string, skillsDir: string, origin: { plugin: string; pluginRoot: string; issues: PluginIssue[] }, plugin: LoadedPlugin): void {
    if (isFile(path.join(skillsDir, 'SKILL.md'))) {
        const s = loadSkill(skillsDir, path.basename(skillsDir), origin);
        if (s) {
            plugin.skills.push(s);
        }
        return;
    }
    let names: string[];
    try {
        names = fs.readdirSync(skillsDir).sort();
    } catch {
        return;
    }
    for (const name of names) {
        const abs = path.join(skillsDir, name);
        let real: string;
        try {
            real = resolveInside(root, abs, true);
        } catch (e) {
            origin.issues.push({ severity: 'error', file: abs, line: 1, message: (e as Error).message });
            continue;
        }
        if (name.startsWith('.') || !fs.statSync(real).isDirectory()) {
            continue;
        }
        const skillFile = path.join(abs, 'SKILL.md');
        // The folder is known to be inside; only a link in place of SKILL.md could lead out.
        if (isLink(skillFile)) {
            try {
                resolveInside(root, skillFile, true);
            } catch (e) {
                origin.issues.push({ severity: 'error', file: skillFile, line: 1, message: (e as Error).message });
                continue;
            }
        }
        if (!isFile(skillFile)) {
            origin.issues.push({ severity: 'warning', file: abs, line: 1, message: 'folder in skills/ has no SKILL.md; not a skill' });
            continue;
        }
        const s = loadSkill(abs, name, origin);
        if (s) {
            plugin.skills.push(s);
        }
    }
}

function loadMcp(root: string, manifest: PluginManifest, manifestFile: string, pluginData: string | undefined, issues: PluginIssue[]): Record<string, McpServerConfig> {
    const origin = { plugin: manifest.name, pluginRoot: root, pluginData };
    const out: Record<string, McpServerConfig> = {};
    const files = ['.mcp.json', ...(manifest.mcpServers ?? [])];
    files.forEach((rel, i) => {
        const file = safeJoin(root, rel, i === 0 ? undefined : manifestFile, issues);
        if (!file || !isFile(file)) {
            if (file && i > 0) {
                issues.push({ severity: 'error', file: manifestFile, line: 1, message: `"mcpServers" file ${rel} does not exist` });
            }
            return;
        }
        const json = readJson(root, file, issues);
        if (json) {
            Object.assign(out, parseMcpServers(json, file, origin, issues));
        }
    });
    if (manifest.inlineMcpServers) {
        const json = readJson(root, manifestFile, issues);
        if (json) {
            Object.assign(out, parseMcpServers(json, manifestFile, origin, issues, ['mcpServers']));
        }
    }
    return out;
}

function loadHooks(root: string, manifest: PluginManifest, manifestFile: string, issues: PluginIssue[]): HooksConfig {
    const out: HooksConfig = [];
    const files = ['hooks/hooks.json', ...(manifest.hooks ?? [])];
    files.forEach((rel, i) => {
        const file = safeJoin(root, rel, i === 0 ? undefined : manifestFile, issues);
        if (!file || !isFile(file)) {
            if (file && i > 0) {
                issues.push({ severity: 'error', file: manifestFile, line: 1, message: `"hooks" file ${rel} does not exist` });
            }
            return;
        }
        const json = readJson(root, file, issues);
        if (json) {
            out.push(...parseHooks(json, file, manifest.name, root, issues));
        }
    });
    if (manifest.inlineHooks) {
        const json = readJson(root, manifestFile, issues);
        if (json) {
            out.push(...parseHooks(json, manifestFile, manifest.name, root, issues, ['hooks']));
        }
    }
    return out;
}

function safeJoin(root: string, rel: string, reportIn: string | undefined, issues: PluginIssue[]): string | undefined {
    try {
        return resolveInside(root, rel.replace(/\$\{CLAUDE_PLUGIN_ROOT\}/g, root), true);
    } catch (e) {
        issues.push({ severity: 'error', file: reportIn ?? path.join(root, rel), line: 1, message: (e as Error).message });
        return undefined;
    }
}

function readJson(root: string, file: string, issues: PluginIssue[]): PositionedJson | undefined {
    try {
        const real = resolveInside(root, file, true);
        return parsePositionedJson(fs.readFileSync(real, 'utf8'));
    } catch (e) {
        const line = e instanceof JsonSyntaxError ? e.line : 1;
        const msg = e instanceof PathEscapeError || e instanceof JsonSyntaxError ? e.message : `cannot read: ${(e as Error).message}`;
        issues.push({ severity: 'error', file, line, message: msg });
        return undefined;
    }
}

/** A component listed twice (default folder + manifest path) is loaded once; a clash of ids is reported. */
function dedupe(plugin: LoadedPlugin): void {
    const seen = new Map<string, string>();
    const keep = <T extends { id: string; file: string }>(kind: string, list: T[]): T[] => list.filter(c => {
        const key = `${kind}:${c.id}`;
        const prev = seen.get(key);
        if (prev === c.file) {
            return false;
        }
        if (prev) {
            plugin.issues.push({ severity: 'warning', file: c.file, line: 1, message: `${kind} "${c.id}" is also defined in ${prev}; this one is ignored` });
            return false;
        }
        seen.set(key, c.file);
        return true;
    });
    plugin.skills = keep('skill', plugin.skills);
    plugin.commands = keep('command', plugin.commands);
    plugin.agents = keep('agent', plugin.agents);
}

function isLink(p: string): boolean {
    try {
        return fs.lstatSync(p).isSymbolicLink();
    } catch {
        return false;
    }
}

function isFile(p: string): boolean {
    try {
        return fs.statSync(p).isFile();
    } catch {
        return false;
    }
}

export function formatIssue(issue: PluginIssue): string {
    return `${issue.file}:${issue.line}: ${issue.severity}: ${issue.message}`;
}
