import * as fs from 'fs';
import * as path from 'path';
import type { GrantSet } from '../grants';
import { ConnectorApprovals } from '../mcp/connector-approvals';
import { ConnectorManager } from '../mcp/connector-manager';
import { createConnectorTools, directConnectorTool } from '../mcp/connector-tools';
import { McpServerConfig, parseMcpServers } from '../mcp/mcp-config';
import type { ConnectorStatus } from '../mcp/mcp-connection';
import { dataDir as defaultDataDir } from '../settings';
import type { Tool } from '../tool';
import type { HookExecutor } from './hook-exec';
import { HookRunner } from './hook-runner';
import { defaultHookExecutor } from './sandboxed-hook-executor';
import { loadPlugin } from './plugin-loader';
import { PluginRegistry } from './plugin-registry';
import { PluginStore } from './plugin-store';
import type { AgentDefinition, ConnectorCategory, LoadedPlugin, PluginIssue } from './plugin-types';
import { JsonSyntaxError, parsePositionedJson } from './positioned-json';
import { skillListing } from './skill-listing';
import { createSkillTool } from './skill-tool';
import { ExpandedCommand, expandSlashCommand } from './slash-command';

export interface PluginHostOptions {
    /** Default: COWORK_DATA_DIR, else $XDG_DATA_HOME/cowork, else ~/.cowork. */
    dataDir?: string;
    /** Bundled plugins; default the repository's plugins/ folder. `null` for none. */
    bundledDir?: string | null;
    /** Plugin folders loaded in place for this process (e.g. `--plugin-dir`). */
    extraPluginDirs?: string[];
    /** For the default `hooks` runner; per-task runners come from hookRunner(). */
    sessionId?: string;
    cwd?: string;
    connectTimeoutMs?: number;
    callTimeoutMs?: number;
    /** How hook commands run; default the cowork-vm sandbox (host with a cleared environment where there is none). */
    hookExecutor?: HookExecutor;
    /** Variables for ${VAR} in connector configs; default process.env. */
    vars?: Record<string, string | undefined>;
}

/** The repository's plugins/ folder, found from this file (lib/src/plugins/ in the package). */
export function bundledPluginsDir(): string | undefined {
    const fromEnv = process.env.COWORK_BUNDLED_PLUGINS;
    if (fromEnv) {
        return fromEnv;
    }
    const dir = path.resolve(__dirname, '../../../../../plugins');
    return fs.existsSync(dir) ? dir : undefined;
}

/**
 * Everything plugins give a task: the Skill tool and connector meta-tools, the skill listing for
 * the system prompt, slash commands, sub-agent definitions, hooks and connector status.
 */
export class PluginHost {
    readonly store: PluginStore;
    readonly registry: PluginRegistry;
    readonly connectors: ConnectorManager;
    readonly approvals: ConnectorApprovals;
    readonly hooks: HookRunner;
    private readonly userIssues: PluginIssue[] = [];
    private readonly toolList: Tool[];
    private readonly hookExecutor: HookExecutor;

    constructor(private readonly opts: PluginHostOptions = {}) {
        const dataDir = opts.dataDir ?? defaultDataDir();
        this.hookExecutor = opts.hookExecutor ?? defaultHookExecutor();
        const bundled = opts.bundledDir === null ? undefined : opts.bundledDir ?? bundledPluginsDir();
        this.store = new PluginStore(dataDir, bundled);
        const plugins: LoadedPlugin[] = this.store.load().map(x => x.plugin);
        for (const dir of opts.extraPluginDirs ?? []) {
            const p = loadPlugin(dir, { source: 'path' });
            const i = plugins.findIndex(q => q.name === p.name);
            if (i >= 0) {
                plugins[i] = p;
            } else {
                plugins.push(p);
            }
        }
        this.registry = new PluginRegistry(plugins);
        this.approvals = new ConnectorApprovals(path.join(dataDir, 'connector-approvals.json'));
        this.connectors = new ConnectorManager([...plugins.flatMap(p => Object.values(p.mcpServers)), ...this.userConnectors(dataDir)], {
            connectTimeoutMs: opts.connectTimeoutMs, callTimeoutMs: opts.callTimeoutMs, vars: opts.vars
        });
        this.registry.placeholderResolver = (plugin, category, placeholder) => this.describePlaceholder(plugin, category, placeholder);
        this.hooks = this.hookRunner({ sessionId: opts.sessionId ?? 'none', cwd: opts.cwd ?? process.cwd() });
        const skill = createSkillTool(() => this.registry);
        this.toolList = this.connectors.names().length > 0 ? [skill, ...createConnectorTools(this.connectors, this.approvals)] : [skill];
    }

    /** Tools to add to every task: Skill, and ConnectorTools/ConnectorCall/ConnectorRead when there are connectors. */
    tools(): Tool[] {
        return this.registry.modelInvocables().length > 0 || this.connectors.names().length > 0 ? [...this.toolList] : [];
    }

    /** The skill listing and connector summary for the system prompt (compact by design). */
    systemPromptSection(): string {
        const parts: string[] = [];
        const skills = skillListing(this.registry);
        if (skills) {
            parts.push(skills);
        }
        const st = this.connectors.status();
        if (st.length > 0) {
            const lines = st.map(s => `- ${s.name}: ${s.state === 'not-configured' ? 'not configured' : s.state === 'failed' ? `unavailable (${s.reason})` : 'available'}`);
            parts.push('## Connectors\nMCP connectors give access to outside services. Their tools are not listed here: find them with '
                + 'ConnectorTools (search, or get one tool\'s input schema), then call them with ConnectorCall.\n' + lines.join('\n') + '\n');
        }
        return parts.join('\n');
    }

    /** `/plugin:cmd args` → the prompt to send and the tools to allow; undefined if not a slash command. */
    expandSlashCommand(input: string, grants: GrantSet): ExpandedCommand | undefined {
        return expandSlashCommand(input, this.registry, grants);
    }

    /** Sub-agent definitions for the Task tool (`qualifiedName` is the subagent_type). */
    agentDefinitions(): AgentDefinition[] {
        return this.registry.agents();
    }

    connectorStatus(): ConnectorStatus[] {
        return this.connectors.status();
    }

    /** Connects every configured connector now (otherwise each connects on first use). */
    async connect(): Promise<ConnectorStatus[]> {
        await this.connectors.connectAll();
        return this.connectors.status();
    }

    /** A Tool for `mcp__server__tool`, for a model that calls a connector tool by its own name. */
    async connectorTool(name: string): Promise<Tool | undefined> {
        const hit = await this.connectors.resolve(name).catch(() => undefined);
        if (!hit) {
            return undefined;
        }
        return directConnectorTool(this.connectors, this.approvals, { ...hit.tool, qualified: name });
    }

    /** Hooks of the enabled plugins for one task. */
    hookRunner(o: { sessionId: string; cwd: string; transcriptPath?: string }): HookRunner {
        return new HookRunner(this.registry.plugins.flatMap(p => p.hooks), { ...o, executor: this.hookExecutor });
    }

    /** Folders the sandbox must mount read-only so bundled scripts can run. */
    pluginRoots(): string[] {
        return this.registry.plugins.map(p => p.root);
    }

    /** Every loading problem, plugins and user connector config together. */
    issues(): PluginIssue[] {
        return [...this.registry.issues(), ...this.userIssues, ...this.connectors.issues];
    }

    async close(): Promise<void> {
        await this.connectors.close();
    }

    /** The user's own connectors: `<data>/mcp.json`, same shape as a plugin's `.mcp.json`. */
    private userConnectors(dataDir: string): McpServerConfig[] {
        const file = path.join(dataDir, 'mcp.json');
        if (!fs.existsSync(file)) {
            return [];
        }
        try {
            const json = parsePositionedJson(fs.readFileSync(file, 'utf8'));
            return Object.values(parseMcpServers(json, file, {}, this.userIssues));
        } catch (e) {
            this.userIssues.push({ severity: 'error', file, line: e instanceof JsonSyntaxError ? e.line : 1, message: (e as Error).message });
            return [];
        }
    }

    /** `~~chat` → which connector fills it now, so the model knows whether it can use one. */
    private describePlaceholder(plugin: LoadedPlugin, category: ConnectorCategory | undefined, placeholder: string): string {
        const label = category?.category.toLowerCase() ?? placeholder.slice(2);
        const norm = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');
        const wanted = new Set((category?.servers ?? []).map(norm));
        const candidates = Object.keys(plugin.mcpServers).filter(n => wanted.has(norm(n)) || norm(n) === norm(label));
        const usable = candidates
            .map(n => this.connectors.get(n)?.status())
            .filter((s): s is ConnectorStatus => !!s && s.state !== 'not-configured' && s.state !== 'failed');
        if (usable.length > 0) {
            return `${label} [connector: ${usable.map(s => s.name).join(' or ')}]`;
        }
        return `${label} [no ${label} connector is configured: ask the user or work from local files]`;
    }
}
