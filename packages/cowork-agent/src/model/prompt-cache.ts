import type Anthropic from '@anthropic-ai/sdk';
import type { ModelRequest } from './model-client';

/** The API allows at most this many cache_control breakpoints per request. */
export const MAX_CACHE_BREAKPOINTS = 4;

const EPHEMERAL: Anthropic.CacheControlEphemeral = { type: 'ephemeral' };

/** The request body the client sends, keys in the order the API caches them (tools, system, messages). */
export interface CachedRequestParams {
    model: string;
    max_tokens: number;
    tools?: Anthropic.Tool[];
    system?: Anthropic.TextBlockParam[];
    messages: Anthropic.MessageParam[];
}

export interface CacheOptions {
    /** Also mark the last tool, so the tool list is cached on its own (default true). */
    cacheTools?: boolean;
}

/**
 * Builds the request body with prompt-cache breakpoints on a copy, never touching the loop's
 * history: one on the last tool, one on the last system block, one moving breakpoint on the last
 * block of the last message. Successive requests of a task then repeat the previous body byte
 * for byte up to the old moving breakpoint, which is what the cache needs. String message
 * contents are sent as one text block so a message is written the same way whether or not it
 * is the last one (and carries the breakpoint).
 */
export function withCacheBreakpoints(request: ModelRequest, options: CacheOptions = {}): CachedRequestParams {
    const tools = request.tools.length > 0 ? [...request.tools] : undefined;
    const system = request.system.length > 0 ? [...request.system] : undefined;
    const messages: Anthropic.MessageParam[] = request.messages.map(m => ({ ...m, content: asBlocks(m.content) }) as Anthropic.MessageParam);
    let budget = MAX_CACHE_BREAKPOINTS - countExisting(request);

    // The moving breakpoint matters most: it caches the whole conversation so far.
    if (budget > 0 && markLastMessage(messages)) budget--;
    if (budget > 0 && system && markLast(system, b => b.type === 'text' && b.text !== '')) budget--;
    if (budget > 0 && tools && options.cacheTools !== false && markLast(tools, () => true)) budget--;

    return {
        model: request.model,
        max_tokens: request.maxTokens,
        ...(tools ? { tools } : {}),
        ...(system ? { system } : {}),
        messages
    };
}

function asBlocks(content: Anthropic.MessageParam['content']): Anthropic.ContentBlockParam[] {
    return typeof content === 'string' ? [{ type: 'text', text: content }] : [...content];
}

/** Puts a breakpoint on a copy of the last item that `accepts`; false when none does. */
function markLast<T extends { cache_control?: Anthropic.CacheControlEphemeral | null }>(items: T[], accepts: (item: T) => boolean): boolean {
    for (let i = items.length - 1; i >= 0; i--) {
        if (accepts(items[i])) {
            if (!items[i].cache_control) {
                items[i] = { ...items[i], cache_control: EPHEMERAL };
            }
            return true;
        }
    }
    return false;
}

/** Thinking blocks and empty text cannot carry cache_control; the last block that can gets it. */
function markLastMessage(messages: Anthropic.MessageParam[]): boolean {
    const last = messages[messages.length - 1];
    if (!last) {
        return false;
    }
    const blocks = last.content as (Anthropic.ContentBlockParam & { cache_control?: Anthropic.CacheControlEphemeral | null })[];
    return markLast(blocks, b => !['thinking', 'redacted_thinking'].includes(b.type) && !(b.type === 'text' && b.text === ''));
}

/** Breakpoints the loop put there itself count against the limit of four. */
function countExisting(request: ModelRequest): number {
    const marked = (x: unknown): number => (x && typeof x === 'object' && (x as { cache_control?: unknown }).cache_control ? 1 : 0);
    let n = 0;
    for (const t of request.tools) n += marked(t);
    for (const s of request.system) n += marked(s);
    for (const m of request.messages) {
        if (typeof m.content !== 'string') {
            for (const b of m.content) n += marked(b);
        }
    }
    return n;
}
