import Anthropic from '@anthropic-ai/sdk';
import { ModelClient, ModelError, ModelRequest, StreamHandlers } from './model-client';
import { withCacheBreakpoints } from './prompt-cache';
import { abortableSleep, backoffDelayMs, DEFAULT_RETRY_POLICY, RetryPolicy } from './retry-policy';
import { describeFailure, FailureContext, IncompleteStreamError, ModelFailure, StreamIdleError } from './model-failure';
import { DEFAULT_MODEL, requireApiKey, Settings } from '../settings';

export interface AnthropicModelClientOptions {
    apiKey: string;
    baseUrl: string;
    model: string;
    /** Named in error messages that tell the user what to edit. */
    settingsFile: string;
    retry?: Partial<RetryPolicy>;
    /** Also put a cache breakpoint on the last tool (default true). */
    cacheTools?: boolean;
    /** Per-attempt time limit until the response starts, in ms (SDK default: 10 minutes). */
    timeoutMs?: number;
    /** Give up on a stream that sends nothing for this long, in ms (default 5 minutes). */
    idleTimeoutMs?: number;
}

const DEFAULT_IDLE_TIMEOUT_MS = 5 * 60 * 1000;

/** Mutable per-call state shared by the attempts of one request. */
interface CallState {
    /** Text or thinking was handed to the user: retrying would show it twice. */
    shownToUser: boolean;
}

/**
 * The production model client: the real Anthropic SDK over HTTP/SSE. The SDK's own retries are
 * off; this client owns them (backoff with jitter, retry-after, onRetry), because only it knows
 * whether part of an answer was already shown, after which a retry would repeat it.
 */
export class AnthropicModelClient implements ModelClient {
    readonly model: string;
    private readonly client: Anthropic;
    private readonly retry: RetryPolicy;
    private readonly failureContext: FailureContext;

    constructor(private readonly options: AnthropicModelClientOptions) {
        this.model = options.model;
        this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
        this.client = new Anthropic({
            apiKey: options.apiKey,
            baseURL: options.baseUrl,
            maxRetries: 0,
            timeout: options.timeoutMs,
            // Errors reach the user through ModelError; the SDK must not print on its own.
            logLevel: 'off'
        });
        this.failureContext = { model: options.model, baseUrl: options.baseUrl, settingsFile: options.settingsFile, defaultModel: DEFAULT_MODEL };
    }

    async createMessage(request: ModelRequest, handlers: StreamHandlers, signal: AbortSignal): Promise<Anthropic.Message> {
        const params = withCacheBreakpoints(request, { cacheTools: this.options.cacheTools });
        const state: CallState = { shownToUser: false };
        return this.withRetries(handlers, signal, state, () => this.streamOnce(params, handlers, signal, state));
    }

    async countTokens(request: ModelRequest, signal: AbortSignal): Promise<number> {
        const params = withCacheBreakpoints(request, { cacheTools: this.options.cacheTools });
        const { max_tokens: _unused, ...countParams } = params;
        const state: CallState = { shownToUser: false };
        const result = await this.withRetries({}, signal, state, () =>
            this.client.messages.countTokens(countParams as Anthropic.MessageCountTokensParams, { signal }));
        return result.input_tokens;
    }

    private async streamOnce(
        params: ReturnType<typeof withCacheBreakpoints>, handlers: StreamHandlers, signal: AbortSignal, state: CallState
    ): Promise<Anthropic.Message> {
        const stream = this.client.messages.stream(params as Anthropic.MessageStreamParams, { signal });
        let sawMessageStop = false;
        // The SDK's timeout ends when the headers arrive; a stream that then stalls needs its own limit.
        const idleMs = this.options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
        let idle = false;
        let timer: NodeJS.Timeout | undefined;
        const armIdleTimer = (): void => {
            clearTimeout(timer);
            timer = setTimeout(() => {
                idle = true;
                stream.abort();
            }, idleMs);
        };
        armIdleTimer();
        stream.on('connect', armIdleTimer);
        stream.on('streamEvent', event => {
            armIdleTimer();
            if (event.type === 'message_stop') sawMessageStop = true;
        });
        stream.on('text', delta => {
            state.shownToUser = true;
            handlers.onText?.(delta);
        });
        stream.on('thinking', delta => {
            state.shownToUser = true;
            handlers.onThinking?.(delta);
        });
        try {
            // done() resolves when the body ended without a transport error, message_stop or not.
            await stream.done();
        } catch (err) {
            throw idle && !signal.aborted ? new StreamIdleError(idleMs) : err;
        } finally {
            clearTimeout(timer);
        }
        if (!sawMessageStop) {
            throw new IncompleteStreamError();
        }
        return stream.finalMessage();
    }

    private async withRetries<T>(handlers: StreamHandlers, signal: AbortSignal, state: CallState, attempt: () => Promise<T>): Promise<T> {
        for (let n = 1; ; n++) {
            if (signal.aborted) {
                throw cancelled();
            }
            try {
                return await attempt();
            } catch (err) {
                if (signal.aborted || err instanceof Anthropic.APIUserAbortError) {
                    throw cancelled();
                }
                const failure = describeFailure(err, this.failureContext);
                const delayMs = this.retryDelay(failure, n, state);
                if (delayMs === undefined) {
                    throw this.finalError(failure, n, state);
                }
                handlers.onRetry?.({ attempt: n, status: failure.status, delayMs, message: failure.message });
                await abortableSleep(delayMs, signal, cancelled);
            }
        }
    }

    /** The wait before the next attempt, or undefined when this failure ends the call. */
    private retryDelay(failure: ModelFailure, attempt: number, state: CallState): number | undefined {
        if (!failure.transient || state.shownToUser || attempt >= this.retry.maxAttempts) {
            return undefined;
        }
        if (failure.retryAfterMs !== undefined) {
            return failure.retryAfterMs <= this.retry.maxRetryAfterMs ? failure.retryAfterMs : undefined;
        }
        return backoffDelayMs(attempt, this.retry);
    }

    private finalError(failure: ModelFailure, attempts: number, state: CallState): ModelError {
        if (failure.transient && state.shownToUser) {
            return new ModelError(
                `${failure.message}; part of the answer was already shown, so it was not retried`, 'stream', failure.status, false);
        }
        if (failure.transient && failure.retryAfterMs !== undefined && failure.retryAfterMs > this.retry.maxRetryAfterMs) {
            const seconds = Math.ceil(failure.retryAfterMs / 1000);
            return new ModelError(`${failure.message}; the API asks to wait ${seconds} s before retrying, so the request was not retried`,
                failure.kind, failure.status, false);
        }
        if (failure.transient) {
            return new ModelError(`${failure.message}; gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}`, failure.kind, failure.status, true);
        }
        return new ModelError(failure.message, failure.kind, failure.status, false);
    }
}

function cancelled(): ModelError {
    return new ModelError('the model request was cancelled', 'cancelled');
}

/** The production client from resolved settings; throws MissingApiKeyError when there is no key. */
export function createModelClient(
    settings: Settings, options: Pick<AnthropicModelClientOptions, 'retry' | 'cacheTools' | 'timeoutMs' | 'idleTimeoutMs'> = {}
): AnthropicModelClient {
    return new AnthropicModelClient({
        apiKey: requireApiKey(settings),
        baseUrl: settings.baseUrl,
        model: settings.model,
        settingsFile: settings.settingsFile,
        ...options,
        retry: { maxAttempts: settings.maxAttempts, ...options.retry }
    });
}
