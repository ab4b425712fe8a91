import type Anthropic from '@anthropic-ai/sdk';

/** One request as the loop builds it; the client adds cache_control breakpoints on a copy. */
export interface ModelRequest {
    model: string;
    maxTokens: number;
    system: Anthropic.TextBlockParam[];
    tools: Anthropic.Tool[];
    messages: Anthropic.MessageParam[];
}

export interface RetryInfo {
    /** The attempt that just failed (1 = the first request); the next one follows after delayMs. */
    attempt: number;
    status: number | null;
    delayMs: number;
    message: string;
}

export interface StreamHandlers {
    onText?(text: string): void;
    onThinking?(text: string): void;
    onRetry?(info: RetryInfo): void;
}

/** The model as the loop sees it. The production one is AnthropicModelClient (real SDK, HTTP/SSE). */
export interface ModelClient {
    readonly model: string;
    createMessage(request: ModelRequest, handlers: StreamHandlers, signal: AbortSignal): Promise<Anthropic.Message>;
    /** Exact input token count for a request, where the endpoint offers it. */
    countTokens?(request: ModelRequest, signal: AbortSignal): Promise<number>;
}

export type ModelErrorKind =
    | 'authentication' | 'permission' | 'invalid_request' | 'not_found' | 'rate_limit'
    | 'overloaded' | 'server' | 'stream' | 'network' | 'cancelled' | 'context_window';

/** A model failure with a message that says what to fix; `retryable` ones were already retried. */
export class ModelError extends Error {
    constructor(
        message: string,
        readonly kind: ModelErrorKind,
        readonly status: number | null = null,
        readonly retryable = false
    ) {
        super(message);
        this.name = 'ModelError';
    }
}
