/**
 * A scenario is what the scripted model server answers, turn by turn. Each request to
 * `POST /v1/messages` takes the next turn. A turn is a response spec, a single content block,
 * a list of blocks, or a function of the request that returns one of those.
 */

/** A content block the scripted model "writes". */
export type BlockSpec =
    | { type: 'text'; text: string }
    | { type: 'thinking'; thinking: string; signature?: string }
    | { type: 'tool_use'; id?: string; name: string; input: unknown; rawInputJson?: string };

export interface UsageSpec {
    input_tokens: number;
    output_tokens: number;
    cache_read_input_tokens: number;
    cache_creation_input_tokens: number;
}

/** Timing knobs, shared by every kind of response. */
export interface DelaySpec {
    /** Wait this long before sending the status line and headers. */
    delayMs?: number;
    /** Wait this long before each SSE event after the first. */
    chunkDelayMs?: number;
    /** One long pause after this many SSE events (a stream that stalls mid-answer). */
    pauseAfterChunks?: { afterChunks: number; ms: number };
}

/** A 200 answer: streamed as SSE when the request says `stream: true`, else one JSON body. */
export interface MessageSpec extends DelaySpec {
    kind: 'message';
    content: BlockSpec[];
    /** Default: `tool_use` when a tool_use block is present, else `end_turn`. */
    stopReason?: string | null;
    stopSequence?: string | null;
    /** Overrides the estimated usage, field by field. */
    usage?: Partial<UsageSpec>;
    model?: string;
    /** Characters per text/thinking delta (default 16). */
    textChunkSize?: number;
    /** Characters per input_json_delta (default: the JSON split in at least 3 parts). */
    jsonChunkSize?: number;
    /** Send an SSE `error` event after this many events (streaming only), then end the response. */
    streamError?: { afterChunks: number; type: string; message: string };
    /** Destroy the socket after this many SSE events (streaming only): a connection lost mid-answer. */
    cutAfterChunks?: number;
    /** End the response cleanly but leave out `message_stop` (streaming only). */
    omitMessageStop?: boolean;
    headers?: Record<string, string>;
}

/** A non-2xx answer with the API's error body `{type:'error', error:{type, message}}`. */
export interface HttpErrorSpec extends DelaySpec {
    kind: 'http_error';
    status: number;
    errorType: string;
    message: string;
    /** Seconds, sent as `retry-after`. */
    retryAfter?: number;
    /** Milliseconds, sent as `retry-after-ms`. */
    retryAfterMs?: number;
    headers?: Record<string, string>;
}

export type ResponseSpec = MessageSpec | HttpErrorSpec;

/** What a turn function gets to look at, besides the request itself. */
export interface TurnContext {
    /** 0-based index of this turn in the scenario (the fallback gets the scenario's length). */
    turnIndex: number;
    /** Every request received so far, this one included (last). */
    requests: RecordedRequest[];
    /** tool_result blocks of the request's last user message, in order. */
    toolResults: ToolResultView[];
    /** Plain text of the request's last user message. */
    lastUserText: string;
}

export interface ToolResultView {
    toolUseId: string;
    isError: boolean;
    /** The result's text blocks joined, or the string content. */
    text: string;
}

export type StaticTurn = ResponseSpec | BlockSpec | BlockSpec[];
export type TurnFunction = (request: MessagesRequestBody, ctx: TurnContext) => StaticTurn | Promise<StaticTurn>;
export type Turn = StaticTurn | TurnFunction;

/** The parts of a Messages API request body the server reads; the rest is kept as sent. */
export interface MessagesRequestBody {
    model: string;
    max_tokens: number;
    stream?: boolean;
    system?: string | { type: string; text: string; cache_control?: unknown }[];
    tools?: { name: string; cache_control?: unknown; [key: string]: unknown }[];
    messages: { role: 'user' | 'assistant'; content: string | { type: string; [key: string]: unknown }[] }[];
    [key: string]: unknown;
}

export interface RecordedRequest {
    method: string;
    path: string;
    headers: Record<string, string | string[] | undefined>;
    /** The body exactly as received, for byte-level assertions (prompt caching). */
    rawBody: string;
    /** The parsed body; `undefined` when it was not JSON. */
    body: MessagesRequestBody | undefined;
    /** Which scenario turn answered it (-1: none; count_tokens and rejected requests). */
    turnIndex: number;
}

// ---- builders ------------------------------------------------------------------------------

export function text(value: string): BlockSpec {
    return { type: 'text', text: value };
}

export function thinking(value: string, signature = 'scripted-signature'): BlockSpec {
    return { type: 'thinking', thinking: value, signature };
}

let toolUseCounter = 0;

/** A tool call; its input JSON is streamed in several `input_json_delta` parts. */
export function toolUse(name: string, input: unknown, id?: string): BlockSpec {
    return { type: 'tool_use', id: id ?? nextToolUseId(), name, input };
}

/**
 * A tool call whose input JSON was cut off (as with stop_reason `max_tokens`): `partialJson` is
 * streamed as is. Use it with `response([...], { stopReason: 'max_tokens' })`.
 */
export function truncatedToolUse(name: string, partialJson: string, id?: string): BlockSpec {
    return { type: 'tool_use', id: id ?? nextToolUseId(), name, input: {}, rawInputJson: partialJson };
}

function nextToolUseId(): string {
    toolUseCounter += 1;
    return `toolu_scripted_${String(toolUseCounter).padStart(4, '0')}`;
}

export type ResponseOptions = Omit<MessageSpec, 'kind' | 'content'>;

/** A full response: several blocks plus stop reason, usage, delays and failure knobs. */
export function response(content: BlockSpec | BlockSpec[], options: ResponseOptions = {}): MessageSpec {
    return { kind: 'message', content: Array.isArray(content) ? content : [content], ...options };
}

export function httpError(
    status: number, errorType: string, message: string, retryAfter?: number, options: Omit<HttpErrorSpec, 'kind' | 'status' | 'errorType' | 'message' | 'retryAfter'> = {}
): HttpErrorSpec {
    return { kind: 'http_error', status, errorType, message, retryAfter, ...options };
}

/** Common API errors with their real types. */
export const errors = {
    overloaded: (retryAfter?: number) => httpError(529, 'overloaded_error', 'Overloaded', retryAfter),
    rateLimited: (retryAfter?: number) =>
        httpError(429, 'rate_limit_error', 'This request would exceed your organization\'s rate limit. Please try again later.', retryAfter),
    server: () => httpError(500, 'api_error', 'Internal server error'),
    unauthorized: () => httpError(401, 'authentication_error', 'invalid x-api-key'),
    forbidden: () => httpError(403, 'permission_error', 'Your API key does not have permission to use the specified resource.'),
    notFound: (model = 'unknown') => httpError(404, 'not_found_error', `model: ${model}`),
    invalid: (message: string) => httpError(400, 'invalid_request_error', message),
    promptTooLong: (tokens = 210000, max = 200000) =>
        httpError(400, 'invalid_request_error', `prompt is too long: ${tokens} tokens > ${max} maximum`)
};

/** A 200 stream that sends `content` partly, then an SSE `error` event after `afterChunks` events. */
export function streamError(
    errorType: string, message: string, afterChunks: number, content: BlockSpec | BlockSpec[] = text('Partial answer that will not finish')
): MessageSpec {
    return response(content, { streamError: { afterChunks, type: errorType, message } });
}

/** A 200 stream whose connection is destroyed after `afterChunks` SSE events. */
export function cutStream(afterChunks: number, content: BlockSpec | BlockSpec[] = text('This answer is cut off in the middle of a sentence')): MessageSpec {
    return response(content, { cutAfterChunks: afterChunks });
}

// ---- normalisation -------------------------------------------------------------------------

function isResponseSpec(turn: StaticTurn): turn is ResponseSpec {
    return !Array.isArray(turn) && (turn as ResponseSpec).kind !== undefined;
}

/** Turns any static turn into a full response spec, checking its shape so a bad scenario fails loudly. */
export function toResponseSpec(turn: StaticTurn, where: string): ResponseSpec {
    if (turn === null || typeof turn !== 'object') {
        throw new Error(`${where}: a turn must be a response spec, a content block or a list of blocks, got ${JSON.stringify(turn)}`);
    }
    const spec = isResponseSpec(turn) ? turn : response(turn as BlockSpec | BlockSpec[]);
    if (spec.kind === 'http_error') {
        if (!Number.isInteger(spec.status) || spec.status < 400 || spec.status > 599) {
            throw new Error(`${where}: http_error status must be 400-599, got ${spec.status}`);
        }
        return spec;
    }
    if (spec.kind !== 'message') {
        throw new Error(`${where}: unknown response kind ${JSON.stringify((spec as { kind: unknown }).kind)} (expected "message" or "http_error")`);
    }
    spec.content.forEach((block, i) => checkBlock(block, `${where}, block ${i}`));
    return spec;
}

function checkBlock(block: BlockSpec, where: string): void {
    switch (block?.type) {
        case 'text':
            if (typeof block.text !== 'string') throw new Error(`${where}: text block needs a string "text"`);
            return;
        case 'thinking':
            if (typeof block.thinking !== 'string') throw new Error(`${where}: thinking block needs a string "thinking"`);
            return;
        case 'tool_use':
            if (typeof block.name !== 'string' || block.name === '') throw new Error(`${where}: tool_use block needs a "name"`);
            return;
        default:
            throw new Error(`${where}: unknown block type ${JSON.stringify((block as { type?: unknown })?.type)} (text, thinking or tool_use)`);
    }
}

/** The default stop reason the real API would give for this content. */
export function defaultStopReason(content: BlockSpec[]): string {
    return content.some(b => b.type === 'tool_use') ? 'tool_use' : 'end_turn';
}

/** Reads the tool results and text of a request's last user message. */
export function describeLastUserMessage(body: MessagesRequestBody | undefined): { toolResults: ToolResultView[]; lastUserText: string } {
    const last = [...(body?.messages ?? [])].reverse().find(m => m.role === 'user');
    if (!last) {
        return { toolResults: [], lastUserText: '' };
    }
    if (typeof last.content === 'string') {
        return { toolResults: [], lastUserText: last.content };
    }
    const toolResults: ToolResultView[] = [];
    const texts: string[] = [];
    for (const block of last.content) {
        if (block.type === 'tool_result') {
            toolResults.push({ toolUseId: String(block.tool_use_id), isError: block.is_error === true, text: contentText(block.content) });
        } else if (block.type === 'text') {
            texts.push(String(block.text));
        }
    }
    return { toolResults, lastUserText: texts.join('\n') };
}

function contentText(content: unknown): string {
    if (typeof content === 'string') {
        return content;
    }
    if (Array.isArray(content)) {
        return content.filter(b => b && b.type === 'text').map(b => String(b.text)).join('\n');
    }
    return '';
}
