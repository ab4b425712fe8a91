import type { MessagesRequestBody } from './scenario';

/**
 * The request checks the real Messages API makes that an agent loop most often gets wrong, with
 * the API's own wording, so a loop bug fails in tests the way it would in production. Returns
 * the error message, or undefined when the request is fine.
 */
export function checkMessagesRequest(body: unknown): string | undefined {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        return 'request body must be a JSON object';
    }
    const b = body as Partial<MessagesRequestBody>;
    if (typeof b.model !== 'string' || b.model === '') {
        return 'model: Field required';
    }
    if (typeof b.max_tokens !== 'number' || !Number.isInteger(b.max_tokens) || b.max_tokens < 1) {
        return 'max_tokens: Field required (a positive integer)';
    }
    if (!Array.isArray(b.messages) || b.messages.length === 0) {
        return 'messages: at least one message is required';
    }
    return checkMessages(b.messages) ?? checkCacheControl(JSON.stringify(body));
}

function checkMessages(messages: MessagesRequestBody['messages']): string | undefined {
    for (let i = 0; i < messages.length; i++) {
        const m = messages[i];
        if (m?.role !== 'user' && m?.role !== 'assistant') {
            return `messages.${i}.role: Input should be 'user' or 'assistant'`;
        }
        if (typeof m.content !== 'string' && !Array.isArray(m.content)) {
            return `messages.${i}.content: Input should be a valid string or list`;
        }
        if (Array.isArray(m.content) && m.content.length === 0 && i < messages.length - 1) {
            return `messages.${i}: all messages must have non-empty content except for the optional final assistant message`;
        }
        const pending = toolUseIds(m);
        if (pending.length > 0) {
            const answered = new Set(toolResultIds(messages[i + 1]));
            const missing = pending.filter(id => !answered.has(id));
            if (missing.length > 0) {
                return `messages.${i + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. `
                    + 'Each `tool_use` block must have a corresponding `tool_result` block in the next message.';
            }
        }
        const results = toolResultIds(m);
        if (results.length > 0) {
            const asked = new Set(i > 0 ? toolUseIds(messages[i - 1]) : []);
            const unknown = results.filter(id => !asked.has(id));
            if (unknown.length > 0) {
                return `messages.${i}.content: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${unknown.join(', ')}. `
                    + 'Each `tool_result` block must have a corresponding `tool_use` block in the previous message.';
            }
        }
    }
    return undefined;
}

function blocks(m: MessagesRequestBody['messages'][number] | undefined): { type: string; [key: string]: unknown }[] {
    return m && Array.isArray(m.content) ? m.content : [];
}

function toolUseIds(m: MessagesRequestBody['messages'][number] | undefined): string[] {
    return m?.role === 'assistant' ? blocks(m).filter(b => b.type === 'tool_use').map(b => String(b.id)) : [];
}

function toolResultIds(m: MessagesRequestBody['messages'][number] | undefined): string[] {
    return m?.role === 'user' ? blocks(m).filter(b => b.type === 'tool_result').map(b => String(b.tool_use_id)) : [];
}

function checkCacheControl(raw: string): string | undefined {
    const count = raw.split('"cache_control"').length - 1;
    return count > 4 ? `A maximum of 4 blocks with cache_control may be provided. Found ${count}.` : undefined;
}
