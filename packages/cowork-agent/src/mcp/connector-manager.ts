import type { PluginIssue } from '../plugins/plugin-types';
import type { McpServerConfig } from './mcp-config';
import { ConnectionOptions, ConnectorStatus, McpConnection, McpToolInfo } from './mcp-connection';
import { mcpToolName, sanitize } from './mcp-tool-name';

export interface CatalogEntry extends McpToolInfo {
    /** `mcp__server__tool` */
    qualified: string;
}

/**
 * All connectors of the enabled plugins (and the user's own). Servers with the same name and the
 * same definition in several plugins (Slack is in 14) share one connection.
 */
export class ConnectorManager {
    private readonly connections = new Map<string, McpConnection>();
    readonly issues: PluginIssue[] = [];

    constructor(configs: McpServerConfig[], private readonly opts: ConnectionOptions = {}) {
        for (const c of configs) {
            this.add(c);
        }
    }

    private add(c: McpServerConfig): void {
        const key = sanitize(c.name);
        const existing = this.connections.get(key);
        if (!existing) {
            this.connections.set(key, new McpConnection(c, this.opts));
            return;
        }
        if (sameServer(existing.config, c)) {
            return;
        }
        const alt = sanitize(`${c.plugin ?? 'user'}_${c.name}`);
        this.issues.push({
            severity: 'warning', file: c.file, line: c.line,
            message: `connector "${c.name}" of ${c.plugin ?? 'the user config'} differs from the one in ${existing.config.plugin ?? 'the user config'}; it is named "${alt}"`
        });
        if (!this.connections.has(alt)) {
            this.connections.set(alt, new McpConnection({ ...c, name: alt }, this.opts));
        }
    }

    names(): string[] {
        return [...this.connections.keys()];
    }

    get(server: string): McpConnection | undefined {
        return this.connections.get(sanitize(server));
    }

    status(): ConnectorStatus[] {
        return [...this.connections.values()].map(c => c.status());
    }

    /** Connects every configured server in parallel; failures end up in status, never thrown. */
    async connectAll(): Promise<void> {
        await Promise.all([...this.connections.values()]
            .filter(c => !c.config.notConfigured)
            .map(c => c.listTools().catch(() => undefined)));
    }

    /** Tools of every reachable server; a failing server contributes none (its status says why). */
    async catalog(server?: string): Promise<CatalogEntry[]> {
        const conns = server ? [this.get(server)].filter((c): c is McpConnection => !!c) : [...this.connections.values()];
        const lists = await Promise.all(conns
            .filter(c => !c.config.notConfigured)
            .map(async c => (await c.listTools().catch(() => [])).map(t => ({ ...t, server: c.name, qualified: mcpToolName(c.name, t.name) }))));
        return lists.flat();
    }

    /** Splits `mcp__server__tool` into its connection and the server's own tool name. */
    async resolve(qualified: string): Promise<{ connection: McpConnection; tool: McpToolInfo } | undefined> {
        const m = /^mcp__(.+?)__(.+)$/.exec(qualified);
        if (!m) {
            return undefined;
        }
        const connection = this.get(m[1]);
        if (!connection) {
            return undefined;
        }
        const tools = await connection.listTools();
        const tool = tools.find(t => mcpToolName(connection.name, t.name) === qualified);
        return tool ? { connection, tool } : undefined;
    }

    async close(): Promise<void> {
        await Promise.all([...this.connections.values()].map(c => c.close()));
    }
}

function sameServer(a: McpServerConfig, b: McpServerConfig): boolean {
    return a.transport === b.transport && a.url === b.url && a.command === b.command
        && JSON.stringify(a.args ?? []) === JSON.stringify(b.args ?? [])
        && JSON.stringify(a.headers ?? {}) === JSON.stringify(b.headers ?? {})
        && JSON.stringify(a.env ?? {}) === JSON.stringify(b.env ?? {})
        && (a.pluginRoot === b.pluginRoot || !JSON.stringify([a.command, a.args, a.env, a.cwd, a.url]).includes('CLAUDE_PLUGIN_'));
}
