import type { PluginIssue } from '../plugins/plugin-types';
import type { PositionedJson } from '../plugins/positioned-json';

export type McpTransportKind = 'stdio' | 'http' | 'sse';

/** One MCP server ("connector") as declared in a `.mcp.json` or a plugin manifest. */
export interface McpServerConfig {
    name: string;
    transport: McpTransportKind;
    command?: string;
    args?: string[];
    env?: Record<string, string>;
    cwd?: string;
    url?: string;
    headers?: Record<string, string>;
    /** Declared OAuth client settings; kept so the UI can say what the server expects. */
    oauth?: Record<string, unknown>;
    /** An empty URL: a name-only slot the host fills from its connector directory. */
    notConfigured: boolean;
    /** Plugin that declared it, and its root for ${CLAUDE_PLUGIN_ROOT}. */
    plugin?: string;
    pluginRoot?: string;
    pluginData?: string;
    file: string;
    line: number;
}

const TRANSPORTS: Record<string, McpTransportKind> = {
    stdio: 'stdio', http: 'http', 'streamable-http': 'http', streamableHttp: 'http', sse: 'sse'
};

/** Reads the servers from `{ "mcpServers": {...} }` or a bare `{ name: {...} }` map. */
export function parseMcpServers(
    json: PositionedJson,
    file: string,
    origin: { plugin?: string; pluginRoot?: string; pluginData?: string },
    issues: PluginIssue[],
    basePath: (string | number)[] = []
): Record<string, McpServerConfig> {
    // `basePath` locates the config in the file: [] for .mcp.json, ['mcpServers'] inline in plugin.json.
    let value: unknown = json.value;
    for (const k of basePath) {
        value = (value as Record<string, unknown> | null)?.[k as string];
    }
    const root = value as Record<string, unknown> | null;
    if (!root || typeof root !== 'object' || Array.isArray(root)) {
        issues.push({ severity: 'error', file, line: json.lineOf(basePath), message: 'MCP config must be a JSON object with "mcpServers"' });
        return {};
    }
    const wrapped = root.mcpServers !== undefined && typeof root.mcpServers === 'object';
    const servers = wrapped ? root.mcpServers : root;
    const serversPath = wrapped ? [...basePath, 'mcpServers'] : basePath;
    if (!servers || typeof servers !== 'object' || Array.isArray(servers)) {
        issues.push({ severity: 'error', file, line: json.lineOf(serversPath), message: '"mcpServers" must be an object of server definitions' });
        return {};
    }
    const out: Record<string, McpServerConfig> = {};
    for (const [name, raw] of Object.entries(servers as Record<string, unknown>)) {
        const at = [...serversPath, name];
        const parsed = parseOne(name, raw, file, json.lineOf(at), origin);
        if (typeof parsed === 'string') {
            issues.push({ severity: 'error', file, line: json.lineOf(at), message: `MCP server "${name}": ${parsed}` });
        } else {
            out[name] = parsed;
        }
    }
    return out;
}

function parseOne(
    name: string, raw: unknown, file: string, line: number,
    origin: { plugin?: string; pluginRoot?: string; pluginData?: string }
): McpServerConfig | string {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
        return 'must be an object with "command" or "url"';
    }
    const r = raw as Record<string, unknown>;
    const declared = typeof r.type === 'string' ? r.type : undefined;
    if (declared !== undefined && !TRANSPORTS[declared]) {
        return `unknown type "${declared}" (expected stdio, http or sse)`;
    }
    const transport: McpTransportKind = declared ? TRANSPORTS[declared] : (r.command !== undefined ? 'stdio' : 'http');
    const base = { name, transport, file, line, ...origin, oauth: isObject(r.oauth) ? r.oauth : undefined };
    if (transport === 'stdio') {
        if (typeof r.command !== 'string' || r.command.trim() === '') {
            return 'a stdio server needs a "command" string';
        }
        if (r.args !== undefined && !(Array.isArray(r.args) && r.args.every(a => typeof a === 'string' || typeof a === 'number'))) {
            return '"args" must be a list of strings';
        }
        const env = stringMap(r.env);
        if (env === null) {
            return '"env" must be an object of strings';
        }
        return {
            ...base, command: r.command, args: (r.args as unknown[] | undefined)?.map(String), env,
            cwd: typeof r.cwd === 'string' ? r.cwd : undefined, notConfigured: false
        };
    }
    if (r.url !== undefined && typeof r.url !== 'string') {
        return '"url" must be a string';
    }
    const headers = stringMap(r.headers);
    if (headers === null) {
        return '"headers" must be an object of strings';
    }
    const url = (r.url as string | undefined) ?? '';
    return { ...base, url, headers, notConfigured: url.trim() === '' };
}

function isObject(v: unknown): v is Record<string, unknown> {
    return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** undefined when absent, null when malformed. */
function stringMap(v: unknown): Record<string, string> | undefined | null {
    if (v === undefined) {
        return undefined;
    }
    if (!isObject(v)) {
        return null;
    }
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v)) {
        if (typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean') {
            return null;
        }
        out[k] = String(x);
    }
    return out;
}
