import type { HooksConfig } from './hooks-config';
import type { McpServerConfig } from '../mcp/mcp-config';

/** A problem found while loading: the file, the 1-based line, and what is wrong. */
export interface PluginIssue {
    severity: 'error' | 'warning';
    file: string;
    line: number;
    message: string;
}

/** Where a plugin came from; decides whether it can be edited, updated or removed. */
export type PluginSource = 'bundled' | 'installed' | 'custom' | 'path';

export interface PluginManifest {
    name: string;
    version?: string;
    description?: string;
    author?: { name?: string; email?: string; url?: string };
    keywords?: string[];
    homepage?: string;
    license?: string;
    repository?: string;
    /** Extra component paths (string | string[]); they add to the default folders. */
    commands?: string[];
    agents?: string[];
    skills?: string[];
    hooks?: string[];
    /** Either paths to JSON files or inline server definitions. */
    mcpServers?: string[];
    inlineMcpServers?: Record<string, unknown>;
    inlineHooks?: unknown;
}

/** A skill: `skills/<id>/SKILL.md` plus its bundled files. */
export interface Skill {
    kind: 'skill';
    plugin: string;
    /** The directory name; stable id used in `/plugin:id`. */
    id: string;
    /** The frontmatter name, kept as a label (may contain spaces, slashes, Title Case). */
    name: string;
    description: string;
    argumentHint?: string;
    userInvocable: boolean;
    disableModelInvocation: boolean;
    allowedTools?: string[];
    model?: string;
    /** Absolute path of SKILL.md. */
    file: string;
    /** Absolute path of the skill folder. */
    dir: string;
    pluginRoot: string;
    body: string;
    /** Line of SKILL.md where the body starts. */
    bodyLine: number;
    meta: Record<string, unknown>;
}

/** A legacy single-file slash command: `commands/<id>.md`. */
export interface Command {
    kind: 'command';
    plugin: string;
    id: string;
    name: string;
    description: string;
    argumentHint?: string;
    allowedTools?: string[];
    model?: string;
    disableModelInvocation: boolean;
    hideFromSlashCommandTool: boolean;
    file: string;
    pluginRoot: string;
    body: string;
    bodyLine: number;
    meta: Record<string, unknown>;
}

/** A sub-agent definition (`agents/<id>.md`), handed to the Task tool. */
export interface AgentDefinition {
    plugin: string;
    id: string;
    /** `plugin:id`, the subagent_type the Task tool accepts. */
    qualifiedName: string;
    name: string;
    description: string;
    /** Tool names the sub-agent may use; undefined = all the parent's tools. */
    tools?: string[];
    /** `haiku` | `sonnet` | `opus` | `inherit` | a model id; undefined = inherit. */
    model?: string;
    maxTurns?: number;
    color?: string;
    /** The body: the sub-agent's system prompt, with ${CLAUDE_PLUGIN_ROOT} resolved. */
    systemPrompt: string;
    file: string;
    pluginRoot: string;
}

/** A `~~category` placeholder and the servers CONNECTORS.md says fill it. */
export interface ConnectorCategory {
    placeholder: string;
    category: string;
    servers: string[];
}

export interface LoadedPlugin {
    name: string;
    root: string;
    source: PluginSource;
    hasManifest: boolean;
    manifest: PluginManifest;
    skills: Skill[];
    commands: Command[];
    agents: AgentDefinition[];
    mcpServers: Record<string, McpServerConfig>;
    hooks: HooksConfig;
    connectorCategories: ConnectorCategory[];
    issues: PluginIssue[];
}
