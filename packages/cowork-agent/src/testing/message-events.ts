import type { BlockSpec, MessageSpec, UsageSpec } from './scenario';
import { defaultStopReason } from './scenario';

/** One server-sent event as the Messages API sends it: `event: <name>` + `data: <json>`. */
export interface SseEvent {
    event: string;
    data: unknown;
}

/** The final message's content blocks, as the non-streaming API returns them. */
function finalBlock(block: BlockSpec): Record<string, unknown> {
    switch (block.type) {
        case 'text':
            return { type: 'text', text: block.text, citations: null };
        case 'thinking':
            return { type: 'thinking', thinking: block.thinking, signature: block.signature ?? '' };
        case 'tool_use':
            return { type: 'tool_use', id: block.id, name: block.name, input: toolInput(block) };
    }
}

/** A cut-off input (`rawInputJson`) that does not parse comes back as `{}`, as a truncated call would. */
function toolInput(block: Extract<BlockSpec, { type: 'tool_use' }>): unknown {
    if (block.rawInputJson === undefined) {
        return block.input ?? {};
    }
    try {
        return JSON.parse(block.rawInputJson);
    } catch {
        return {};
    }
}

function messageEnvelope(id: string, model: string) {
    return { id, type: 'message', role: 'assistant', model, container: null, diagnostics: null, stop_details: null };
}

function fullUsage(usage: UsageSpec) {
    return {
        ...usage,
        cache_creation: { ephemeral_5m_input_tokens: usage.cache_creation_input_tokens, ephemeral_1h_input_tokens: 0 },
        inference_geo: null,
        output_tokens_details: null,
        server_tool_use: null,
        service_tier: 'standard',
        speed: null
    };
}

function stopDetails(stopReason: string | null): unknown {
    return stopReason === 'refusal' ? { type: 'refusal', category: null, explanation: null } : null;
}

/** The JSON body of a non-streaming answer. */
export function buildMessage(spec: MessageSpec, id: string, model: string, usage: UsageSpec): Record<string, unknown> {
    const stopReason = spec.stopReason === undefined ? defaultStopReason(spec.content) : spec.stopReason;
    return {
        ...messageEnvelope(id, model),
        content: spec.content.map(finalBlock),
        stop_reason: stopReason,
        stop_details: stopDetails(stopReason),
        stop_sequence: spec.stopSequence ?? null,
        usage: fullUsage(usage)
    };
}

/** Splits `value` in pieces of `size` characters (at least one piece, even for ""). */
export function splitChunks(value: string, size: number): string[] {
    if (value.length === 0) {
        return [''];
    }
    const step = Math.max(1, Math.floor(size));
    const pieces: string[] = [];
    for (let i = 0; i < value.length; i += step) {
        pieces.push(value.slice(i, i + step));
    }
    return pieces;
}

function blockEvents(block: BlockSpec, index: number, spec: MessageSpec): SseEvent[] {
    const textSize = spec.textChunkSize ?? 16;
    const delta = (d: Record<string, unknown>): SseEvent => ({ event: 'content_block_delta', data: { type: 'content_block_delta', index, delta: d } });
    const start = (b: Record<string, unknown>): SseEvent => ({ event: 'content_block_start', data: { type: 'content_block_start', index, content_block: b } });
    const events: SseEvent[] = [];
    switch (block.type) {
        case 'text':
            events.push(start({ type: 'text', text: '', citations: null }));
            events.push(...splitChunks(block.text, textSize).map(t => delta({ type: 'text_delta', text: t })));
            break;
        case 'thinking':
            events.push(start({ type: 'thinking', thinking: '', signature: '' }));
            events.push(...splitChunks(block.thinking, textSize).map(t => delta({ type: 'thinking_delta', thinking: t })));
            events.push(delta({ type: 'signature_delta', signature: block.signature ?? '' }));
            break;
        case 'tool_use': {
            const json = block.rawInputJson ?? JSON.stringify(block.input ?? {});
            // Like the real API: the input starts as {} and arrives as JSON text in several parts.
            const size = spec.jsonChunkSize ?? Math.max(1, Math.ceil(json.length / 3));
            events.push(start({ type: 'tool_use', id: block.id, name: block.name, input: {} }));
            events.push(...splitChunks(json, size).map(p => delta({ type: 'input_json_delta', partial_json: p })));
            break;
        }
    }
    events.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index } });
    return events;
}

/** Every event of a streamed answer, in the order the real API sends them. */
export function buildStreamEvents(spec: MessageSpec, id: string, model: string, usage: UsageSpec): SseEvent[] {
    const stopReason = spec.stopReason === undefined ? defaultStopReason(spec.content) : spec.stopReason;
    const startUsage = fullUsage({ ...usage, output_tokens: Math.min(1, usage.output_tokens) });
    const events: SseEvent[] = [
        { event: 'message_start', data: { type: 'message_start', message: { ...messageEnvelope(id, model), content: [], stop_reason: null, stop_sequence: null, usage: startUsage } } }
    ];
    spec.content.forEach((block, index) => {
        const blockEventsList = blockEvents(block, index, spec);
        events.push(...blockEventsList.slice(0, 1));
        if (index === 0) {
            events.push({ event: 'ping', data: { type: 'ping' } });
        }
        events.push(...blockEventsList.slice(1));
    });
    events.push({
        event: 'message_delta',
        data: {
            type: 'message_delta',
            delta: { stop_reason: stopReason, stop_sequence: spec.stopSequence ?? null, stop_details: stopDetails(stopReason), container: null },
            usage: {
                input_tokens: usage.input_tokens,
                output_tokens: usage.output_tokens,
                cache_read_input_tokens: usage.cache_read_input_tokens,
                cache_creation_input_tokens: usage.cache_creation_input_tokens,
                server_tool_use: null
            }
        }
    });
    if (!spec.omitMessageStop) {
        events.push({ event: 'message_stop', data: { type: 'message_stop' } });
    }
    return events;
}
