/** `mcp__<server>__<tool>`, with characters the API refuses in tool names replaced by `_`. */
export function mcpToolName(server: string, tool: string): string {
    return `mcp__${sanitize(server)}__${sanitize(tool)}`;
}

export function sanitize(s: string): string {
    return s.replace(/[^A-Za-z0-9_-]/g, '_');
}
