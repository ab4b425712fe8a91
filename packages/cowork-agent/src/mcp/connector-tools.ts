import type { Tool, ToolContext, ToolResult, ToolResultBlock } from '../tool';
import { ToolError } from '../tool';
import type { ConnectorApprovals } from './connector-approvals';
import type { CatalogEntry, ConnectorManager } from './connector-manager';
import { mcpToolName } from './mcp-tool-name';

const MAX_RESULT_CHARS = 100_000;
const SEARCH_LIMIT = 25;

/**
 * Connector tools are not sent with every request (5 servers × 30 schemas would dwarf the
 * prompt). The model finds them with ConnectorTools, reads one schema on demand, and calls it
 * with ConnectorCall; each server's tool asks the user once, and the answer is kept.
 */
export function createConnectorTools(manager: ConnectorManager, approvals: ConnectorApprovals): Tool[] {
    return [connectorToolsTool(manager), connectorCallTool(manager, approvals), connectorReadTool(manager, approvals)];
}

function connectorToolsTool(manager: ConnectorManager): Tool<{ query?: string; server?: string; tool?: string }> {
    return {
        name: 'ConnectorTools',
        description: 'Find tools of the connected MCP connectors. No input: list connectors and their tools (one line each). '
            + '"query": search tool names and descriptions. "tool": the full description and input schema of one tool '
            + '(mcp__server__tool), needed before calling it with ConnectorCall.',
        inputSchema: {
            type: 'object',
            properties: {
                query: { type: 'string', description: 'Words to search for in tool names and descriptions' },
                server: { type: 'string', description: 'Only this connector' },
                tool: { type: 'string', description: 'A tool name, mcp__server__tool, to get its input schema' }
            },
            additionalProperties: false
        },
        readOnly: true,
        async run(input): Promise<ToolResult> {
            if (input.tool) {
                const hit = await manager.resolve(input.tool);
                if (!hit) {
                    throw new ToolError(`No connector tool ${input.tool}. ${await suggestions(manager, input.tool)}`);
                }
                return {
                    content: `${input.tool}\n${hit.tool.description}\n\nInput schema:\n${JSON.stringify(hit.tool.inputSchema, null, 2)}`
                };
            }
            const entries = await manager.catalog(input.server);
            const hits = input.query ? search(entries, input.query).slice(0, SEARCH_LIMIT) : entries;
            const lines: string[] = [];
            for (const s of manager.status().filter(st => !input.server || st.name === input.server)) {
                const state = s.state === 'connected' ? `connected, ${s.tools ?? 0} tools` : `${s.state}${s.reason ? `: ${s.reason}` : ''}`;
                lines.push(`## ${s.name} (${state})`);
                for (const e of hits.filter(h => h.server === s.name)) {
                    lines.push(`- ${e.qualified}: ${firstLine(e.description)}`);
                }
            }
            if (input.query && hits.length === 0) {
                lines.push(`No connector tool matches "${input.query}".`);
            }
            return { content: lines.join('\n') || 'No connectors are configured.' };
        }
    };
}

function connectorCallTool(manager: ConnectorManager, approvals: ConnectorApprovals): Tool<{ tool: string; input?: Record<string, unknown> }> {
    return {
        name: 'ConnectorCall',
        description: 'Call a connector (MCP) tool by its name mcp__server__tool with its input object. '
            + 'Look up the input schema with ConnectorTools first.',
        inputSchema: {
            type: 'object',
            properties: {
                tool: { type: 'string', description: 'mcp__server__tool' },
                input: { type: 'object', description: 'The tool\'s input, as its schema describes' }
            },
            required: ['tool'],
            additionalProperties: false
        },
        async run(input, ctx): Promise<ToolResult> {
            return callConnectorTool(manager, approvals, input.tool, input.input ?? {}, ctx);
        }
    };
}

function connectorReadTool(manager: ConnectorManager, approvals: ConnectorApprovals): Tool<{ server: string; uri?: string }> {
    return {
        name: 'ConnectorRead',
        description: 'List the resources a connector offers (server only), or read one resource (server and uri; the user is asked once per connector).',
        inputSchema: {
            type: 'object',
            properties: {
                server: { type: 'string', description: 'Connector name' },
                uri: { type: 'string', description: 'Resource URI to read' }
            },
            required: ['server'],
            additionalProperties: false
        },
        async run(input, ctx): Promise<ToolResult> {
            const conn = manager.get(input.server);
            if (!conn) {
                throw new ToolError(`No connector named ${input.server}. Connectors: ${manager.names().join(', ') || '(none)'}`);
            }
            // Reading a resource brings a service's data into the task, like a tool call: asked once per server.
            const key = `${mcpToolName(conn.name, 'read_resource')}`;
            if (input.uri && !(await approve(approvals, key, ctx))) {
                throw new ToolError(`The user did not allow reading resources of ${conn.name}.`);
            }
            try {
                if (!input.uri) {
                    const res = await conn.listResources();
                    return { content: res.resources.map(r => `- ${r.uri}${r.name ? ` (${r.name})` : ''}${r.description ? `: ${firstLine(r.description)}` : ''}`).join('\n') || 'No resources.' };
                }
                const res = await conn.readResource(input.uri, ctx.signal);
                return clip(res.contents.map(c => 'text' in c && typeof c.text === 'string'
                    ? c.text
                    : `[${c.mimeType ?? 'binary'} content of ${c.uri}, ${String((c as { blob?: string }).blob ?? '').length} base64 characters]`).join('\n'));
            } catch (e) {
                throw new ToolError((e as Error).message);
            }
        }
    };
}

/** One connector tool as an ordinary Tool, for a model that calls `mcp__server__tool` directly. */
export function directConnectorTool(manager: ConnectorManager, approvals: ConnectorApprovals, entry: CatalogEntry): Tool {
    return {
        name: entry.qualified,
        description: entry.description,
        inputSchema: entry.inputSchema,
        run: (input: Record<string, unknown>, ctx: ToolContext) => callConnectorTool(manager, approvals, entry.qualified, input ?? {}, ctx)
    };
}

export async function callConnectorTool(
    manager: ConnectorManager, approvals: ConnectorApprovals, name: string, args: Record<string, unknown>, ctx: ToolContext
): Promise<ToolResult> {
    let hit: Awaited<ReturnType<ConnectorManager['resolve']>>;
    try {
        hit = await manager.resolve(name);
    } catch (e) {
        throw new ToolError((e as Error).message);
    }
    if (!hit) {
        throw new ToolError(`No connector tool ${name}. ${await suggestions(manager, name)}`);
    }
    if (!(await approve(approvals, name, ctx))) {
        throw new ToolError(`The user did not allow ${name}.`);
    }
    let result: Awaited<ReturnType<typeof hit.connection.callTool>>;
    try {
        result = await hit.connection.callTool(hit.tool.name, args, ctx.signal);
    } catch (e) {
        throw new ToolError((e as Error).message);
    }
    return toToolResult(result as { content?: unknown[]; structuredContent?: unknown; isError?: boolean });
}

async function approve(approvals: ConnectorApprovals, name: string, ctx: ToolContext): Promise<boolean> {
    if (approvals.isApproved(name)) {
        return true;
    }
    if (approvals.isDenied(name)) {
        return false;
    }
    const allowed = await ctx.gate.request({ tool: name, action: 'connector', paths: [], agentId: ctx.agentId }, ctx.signal);
    if (allowed) {
        approvals.approve(name);
    } else if (!ctx.signal.aborted) {
        approvals.deny(name);
    }
    return allowed;
}

function toToolResult(r: { content?: unknown[]; structuredContent?: unknown; isError?: boolean }): ToolResult {
    const blocks: ToolResultBlock[] = [];
    for (const c of (r.content ?? []) as Record<string, any>[]) {
        if (c.type === 'text') {
            blocks.push({ type: 'text', text: String(c.text) });
        } else if (c.type === 'image' && /^image\/(png|jpeg|gif|webp)$/.test(c.mimeType)) {
            blocks.push({ type: 'image', source: { type: 'base64', media_type: c.mimeType, data: c.data } });
        } else if (c.type === 'resource') {
            const res = c.resource ?? {};
            blocks.push({ type: 'text', text: typeof res.text === 'string' ? `[${res.uri}]\n${res.text}` : `[${res.mimeType ?? 'binary'} resource ${res.uri}]` });
        } else if (c.type === 'resource_link') {
            blocks.push({ type: 'text', text: `[resource link ${c.uri}${c.name ? ` (${c.name})` : ''}]` });
        } else {
            blocks.push({ type: 'text', text: `[${String(c.type)} content]` });
        }
    }
    if (blocks.length === 0 && r.structuredContent !== undefined) {
        blocks.push({ type: 'text', text: JSON.stringify(r.structuredContent, null, 2) });
    }
    const text = blocks.filter(b => b.type === 'text').map(b => (b as { text: string }).text).join('\n');
    if (text.length > MAX_RESULT_CHARS) {
        return { ...clip(text), isError: r.isError };
    }
    return { content: blocks.length > 0 ? blocks : '(no content)', isError: r.isError };
}

function clip(text: string): ToolResult {
    if (text.length <= MAX_RESULT_CHARS) {
        return { content: text };
    }
    return { content: `${text.slice(0, MAX_RESULT_CHARS)}\n[… ${text.length - MAX_RESULT_CHARS} more characters not shown]`, fullText: text };
}

function search(entries: CatalogEntry[], query: string): CatalogEntry[] {
    const words = query.toLowerCase().split(/[\s_,-]+/).filter(w => w !== '');
    return entries
        .map(e => {
            const name = e.qualified.toLowerCase();
            const desc = e.description.toLowerCase();
            const score = words.reduce((s, w) => s + (name.includes(w) ? 3 : 0) + (desc.includes(w) ? 1 : 0), 0);
            return { e, score };
        })
        .filter(x => x.score > 0)
        .sort((a, b) => b.score - a.score)
        .map(x => x.e);
}

async function suggestions(manager: ConnectorManager, name: string): Promise<string> {
    const server = /^mcp__(.+?)__/.exec(name)?.[1];
    const conn = server ? manager.get(server) : undefined;
    if (server && !conn) {
        return `There is no connector "${server}"; connectors: ${manager.names().join(', ') || '(none)'}.`;
    }
    const st = conn?.status();
    if (st && st.state !== 'connected') {
        return `Connector ${st.name} is ${st.state}${st.reason ? `: ${st.reason}` : ''}.`;
    }
    const near = search(await manager.catalog(server), name.replace(/^mcp__.+?__/, '')).slice(0, 5).map(e => e.qualified);
    return near.length > 0 ? `Did you mean ${near.join(', ')}?` : 'Use ConnectorTools to list the available tools.';
}

function firstLine(s: string): string {
    const line = s.split('\n').map(l => l.trim()).find(l => l !== '') ?? '';
    return line.length > 160 ? line.slice(0, 159) + '…' : line;
}
