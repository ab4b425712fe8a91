import type { BlockSpec, UsageSpec } from './scenario';

/**
 * Plausible token usage for a scripted answer. Not a tokenizer: tokens are estimated as bytes / 4
 * (about right for English text and JSON). Prompt caching is imitated from the raw request bodies:
 * a cache breakpoint caches the bytes before it; the next request reads from the cache the longest
 * earlier breakpoint prefix it repeats byte for byte, and writes the rest up to its own last
 * breakpoint. Real caching is by prefix of the rendered prompt (tools, system, messages), so this
 * only holds when the body's keys keep that order, which the production client ensures.
 */
export const BYTES_PER_TOKEN = 4;

export function estimateTokens(bytes: number): number {
    return Math.max(1, Math.ceil(bytes / BYTES_PER_TOKEN));
}

/** Byte offsets where a breakpoint's cached prefix ends: just before each `"cache_control"` key. */
export function breakpointOffsets(rawBody: string): number[] {
    const offsets: number[] = [];
    const key = '"cache_control"';
    for (let i = rawBody.indexOf(key); i >= 0; i = rawBody.indexOf(key, i + key.length)) {
        // The key follows a comma inside its block; the prefix the next request repeats stops before it.
        const end = i > 0 && rawBody[i - 1] === ',' ? i - 1 : i;
        offsets.push(Buffer.byteLength(rawBody.slice(0, end)));
    }
    return offsets;
}

export function commonPrefixBytes(a: string, b: string): number {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    const n = Math.min(x.length, y.length);
    let i = 0;
    while (i < n && x[i] === y[i]) {
        i++;
    }
    return i;
}

export interface CacheEstimateOptions {
    /** Prefixes shorter than this many tokens are not cached (the real API: 1,024; default here 0 so small test prompts cache). */
    minCacheableTokens: number;
}

/** Input-side usage of `rawBody`, given the body of the request before it (if any). */
export function estimateInputUsage(
    rawBody: string, previousRawBody: string | undefined, options: CacheEstimateOptions
): Pick<UsageSpec, 'input_tokens' | 'cache_read_input_tokens' | 'cache_creation_input_tokens'> {
    const totalBytes = Buffer.byteLength(rawBody);
    const minBytes = options.minCacheableTokens * BYTES_PER_TOKEN;
    let readBytes = 0;
    if (previousRawBody !== undefined) {
        const shared = commonPrefixBytes(previousRawBody, rawBody);
        const cached = breakpointOffsets(previousRawBody).filter(o => o <= shared && o >= minBytes);
        readBytes = cached.length > 0 ? Math.max(...cached) : 0;
    }
    const own = breakpointOffsets(rawBody).filter(o => o >= minBytes);
    const writeBytes = own.length > 0 ? Math.max(0, Math.max(...own) - readBytes) : 0;
    const read = readBytes > 0 ? estimateTokens(readBytes) : 0;
    const write = writeBytes > 0 ? estimateTokens(writeBytes) : 0;
    return {
        input_tokens: Math.max(1, estimateTokens(totalBytes) - read - write),
        cache_read_input_tokens: read,
        cache_creation_input_tokens: write
    };
}

/** Output tokens of the scripted content, by the same bytes / 4 rule. */
export function estimateOutputTokens(content: BlockSpec[]): number {
    let bytes = 0;
    for (const block of content) {
        if (block.type === 'text') bytes += Buffer.byteLength(block.text);
        else if (block.type === 'thinking') bytes += Buffer.byteLength(block.thinking);
        else bytes += Buffer.byteLength(block.rawInputJson ?? JSON.stringify(block.input ?? {})) + block.name.length;
    }
    return estimateTokens(bytes);
}
