import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { expandVars, referencedVars } from './expand-vars';
import type { McpServerConfig } from './mcp-config';

export type ConnectorState = 'not-configured' | 'idle' | 'connecting' | 'connected' | 'failed';

export interface ConnectorStatus {
    name: string;
    transport: McpServerConfig['transport'];
    state: ConnectorState;
    /** Why it failed or is not configured. Never contains a secret. */
    reason?: string;
    tools?: number;
    plugin?: string;
    restarts: number;
}

export interface McpToolInfo {
    server: string;
    name: string;
    description: string;
    inputSchema: Record<string, unknown>;
}

export interface ConnectionOptions {
    connectTimeoutMs?: number;
    callTimeoutMs?: number;
    /** Restarts allowed after crashes or hangs before the server is given up. */
    maxRestarts?: number;
    /** Variables for `${VAR}` expansion (the user's environment). */
    vars?: Record<string, string | undefined>;
}

const STDERR_TAIL = 2000;

/**
 * One MCP server behind the SDK's transports. Connects lazily and with a deadline; a crash or a
 * hang marks it failed with the reason, and the next use starts it again (up to `maxRestarts`).
 */
export class McpConnection {
    private client: Client | undefined;
    private transport: Transport | undefined;
    private connecting: Promise<Client> | undefined;
    private state: ConnectorState;
    private reason: string | undefined;
    private tools: McpToolInfo[] | undefined;
    private restarts = 0;
    private everConnected = false;
    private stderrTail = '';
    private readonly secrets = new Set<string>();
    private closing = false;

    constructor(readonly config: McpServerConfig, private readonly opts: ConnectionOptions = {}) {
        this.state = config.notConfigured ? 'not-configured' : 'idle';
        if (config.notConfigured) {
            this.reason = 'not configured (no URL; connect it from the connector directory)';
        }
    }

    get name(): string {
        return this.config.name;
    }

    status(): ConnectorStatus {
        return {
            name: this.config.name, transport: this.config.transport, state: this.state, reason: this.reason,
            tools: this.tools?.length, plugin: this.config.plugin, restarts: this.restarts
        };
    }

    /** Connects if needed and returns the tool list (cached until the server says it changed). */
    async listTools(): Promise<McpToolInfo[]> {
        const client = await this.ensure();
        if (!this.tools) {
            this.tools = await this.guard(async () => {
                const out: McpToolInfo[] = [];
                let cursor: string | undefined;
                do {
                    const page = await client.listTools(cursor ? { cursor } : undefined, { timeout: this.callTimeout() });
                    for (const t of page.tools) {
                        out.push({ server: this.name, name: t.name, description: t.description ?? '', inputSchema: t.inputSchema as Record<string, unknown> });
                    }
                    cursor = page.nextCursor;
                } while (cursor);
                return out;
            }, 'listing tools');
        }
        return this.tools;
    }

    async callTool(name: string, args: Record<string, unknown>, signal?: AbortSignal) {
        const client = await this.ensure();
        return this.guard(() => client.callTool({ name, arguments: args }, undefined, { timeout: this.callTimeout(), signal }), `calling ${name}`);
    }

    async listResources() {
        const client = await this.ensure();
        // A server that declares no resources would answer "method not found": that just means none.
        if (!client.getServerCapabilities()?.resources) {
            return { resources: [] };
        }
        return this.guard(() => client.listResources(undefined, { timeout: this.callTimeout() }), 'listing resources');
    }

    async readResource(uri: string, signal?: AbortSignal) {
        const client = await this.ensure();
        return this.guard(() => client.readResource({ uri }, { timeout: this.callTimeout(), signal }), `reading ${uri}`);
    }

    async listPrompts() {
        const client = await this.ensure();
        if (!client.getServerCapabilities()?.prompts) {
            return { prompts: [] };
        }
        return this.guard(() => client.listPrompts(undefined, { timeout: this.callTimeout() }), 'listing prompts');
    }

    async getPrompt(name: string, args: Record<string, string> = {}) {
        const client = await this.ensure();
        return this.guard(() => client.getPrompt({ name, arguments: args }, { timeout: this.callTimeout() }), `getting prompt ${name}`);
    }

    async close(): Promise<void> {
        this.closing = true;
        const t = this.transport;
        this.client = undefined;
        this.transport = undefined;
        this.connecting = undefined;
        try {
            await t?.close();
        } catch {
            // already gone
        }
        this.closing = false;
    }

    private callTimeout(): number {
        return this.opts.callTimeoutMs ?? 60_000;
    }

    /** Runs a request; a timeout or a dead connection fails the server so the next use restarts it. */
    private async guard<T>(fn: () => Promise<T>, what: string): Promise<T> {
        try {
            return await fn();
        } catch (e) {
            const msg = this.redact(errorMessage(e));
            if (/timed out|timeout/i.test(msg)) {
                const reason = `${what} timed out after ${Math.round(this.callTimeout() / 1000)}s; the server was stopped and will be restarted on next use`;
                await this.fail(reason);
                throw new Error(`Connector ${this.name}: ${reason}`);
            }
            if (!this.client) {
                throw new Error(`Connector ${this.name}: ${this.reason ?? msg}`);
            }
            throw new Error(`Connector ${this.name}: ${what} failed: ${msg}`);
        }
    }

    private async fail(reason: string): Promise<void> {
        this.state = 'failed';
        this.reason = reason;
        this.tools = undefined;
        await this.close();
    }

    private async ensure(): Promise<Client> {
        if (this.config.notConfigured) {
            throw new Error(`Connector ${this.name} is not configured (it has no URL)`);
        }
        if (this.client) {
            return this.client;
        }
        if (!this.connecting) {
            // Any connection after the first attempt is a restart (after a crash, a hang or a failed start).
            if (this.everConnected || this.state === 'failed') {
                if (this.restarts >= (this.opts.maxRestarts ?? 3)) {
                    throw new Error(`Connector ${this.name} failed and was restarted ${this.restarts} times; giving up: ${this.reason ?? ''}`);
                }
                this.restarts++;
            }
            this.connecting = this.connect().finally(() => { this.connecting = undefined; });
        }
        return this.connecting;
    }

    private async connect(): Promise<Client> {
        try {
            return await this.connectWith(this.config.transport);
        } catch (e) {
            // Real configs declare `type: "http"` for servers that only speak SSE at an /sse path.
            if (this.config.transport === 'http' && this.pointsAtSse()) {
                return this.connectWith('sse');
            }
            throw e;
        }
    }

    private async connectWith(kind: McpServerConfig['transport']): Promise<Client> {
        this.state = 'connecting';
        this.reason = undefined;
        this.stderrTail = '';
        const timeoutMs = this.opts.connectTimeoutMs ?? 30_000;
        let transport: Transport;
        try {
            transport = this.makeTransport(kind);
        } catch (e) {
            this.state = 'failed';
            this.reason = this.redact(errorMessage(e));
            throw new Error(`Connector ${this.name}: ${this.reason}`);
        }
        const client = new Client({ name: 'cowork', version: '0.1.0' }, { capabilities: {} });
        client.onclose = () => {
            if (this.client === client && !this.closing) {
                this.client = undefined;
                this.transport = undefined;
                this.tools = undefined;
                this.state = 'failed';
                this.reason = `the server closed the connection${this.stderrSuffix()}`;
            }
        };
        let timer: NodeJS.Timeout | undefined;
        try {
            await Promise.race([
                client.connect(transport, { timeout: timeoutMs }),
                new Promise<never>((_, reject) => {
                    timer = setTimeout(() => reject(new Error(`no answer to initialize within ${Math.round(timeoutMs / 1000)}s`)), timeoutMs);
                })
            ]);
        } catch (e) {
            clearTimeout(timer);
            this.state = 'failed';
            const msg = /timed out|timeout|within/i.test(errorMessage(e))
                ? `did not answer within ${Math.round(timeoutMs / 1000)}s`
                : errorMessage(e);
            this.reason = this.redact(`could not connect: ${msg}${this.stderrSuffix()}`);
            try {
                await transport.close();
            } catch {
                // the process may already be gone
            }
            throw new Error(`Connector ${this.name}: ${this.reason}`);
        }
        clearTimeout(timer);
        client.setNotificationHandler(ToolListChangedNotificationSchema, async () => { this.tools = undefined; });
        this.client = client;
        this.transport = transport;
        this.state = 'connected';
        this.everConnected = true;
        return client;
    }

    private pointsAtSse(): boolean {
        try {
            return /\/sse\/?$/.test(new URL(expandVars(this.config.url ?? '', { ...(this.opts.vars ?? process.env) })).pathname);
        } catch {
            return false;
        }
    }

    private makeTransport(kind: McpServerConfig['transport']): Transport {
        const c = this.config;
        const vars: Record<string, string | undefined> = {
            ...(this.opts.vars ?? process.env),
            CLAUDE_PLUGIN_ROOT: c.pluginRoot,
            CLAUDE_PLUGIN_DATA: c.pluginData
        };
        // Every value substituted from the environment counts as a secret in messages.
        const x = (s: string) => {
            for (const name of referencedVars(s)) {
                const v = vars[name];
                if (v && !name.startsWith('CLAUDE_PLUGIN_')) {
                    this.secrets.add(v);
                }
            }
            return expandVars(s, vars);
        };
        const missing = (s: string) => referencedVars(s).filter(v => vars[v] === undefined || vars[v] === '');
        if (kind === 'stdio') {
            const env: Record<string, string> = {};
            for (const [k, v] of Object.entries(c.env ?? {})) {
                env[k] = x(v);
            }
            const transport = new StdioClientTransport({
                command: x(c.command!),
                args: (c.args ?? []).map(x),
                // Only the SDK's minimal set (HOME, PATH, USER…) plus what the config maps: no API keys of ours.
                env: { ...getDefaultEnvironment(), ...env },
                cwd: c.cwd ? x(c.cwd) : c.pluginRoot,
                stderr: 'pipe'
            });
            transport.stderr?.on('data', (d: Buffer) => {
                this.stderrTail = (this.stderrTail + d.toString('utf8')).slice(-STDERR_TAIL);
            });
            return transport;
        }
        const unset = missing(c.url!);
        const url = x(c.url!);
        let parsed: URL;
        try {
            parsed = new URL(url);
        } catch {
            throw new Error(`URL ${JSON.stringify(c.url)} is not valid${unset.length ? ` (set ${unset.join(', ')})` : ''}`);
        }
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(c.headers ?? {})) {
            headers[k] = x(v);
        }
        const requestInit = { headers };
        return kind === 'sse'
            ? new SSEClientTransport(parsed, { requestInit })
            : new StreamableHTTPClientTransport(parsed, { requestInit });
    }

    private stderrSuffix(): string {
        const tail = this.stderrTail.trim().split('\n').slice(-5).join('\n');
        return tail ? ` (server said: ${tail})` : '';
    }

    /** Removes every expanded secret (mapped env values, header tokens) from a message. */
    private redact(text: string): string {
        let out = text;
        for (const s of this.secrets) {
            if (s.length >= 4) {
                out = out.split(s).join('***');
            }
        }
        return out;
    }
}

function errorMessage(e: unknown): string {
    return e instanceof Error ? e.message : String(e);
}
