import Anthropic from '@anthropic-ai/sdk';
import { ModelErrorKind } from './model-client';
import { retryAfterMs } from './retry-policy';

/** What went wrong in one attempt, and whether another attempt may help. */
export interface ModelFailure {
    kind: ModelErrorKind;
    status: number | null;
    /** Says what happened and what to fix; no stack, no request dump. */
    message: string;
    /** Transient: worth another attempt if nothing was shown to the user yet. */
    transient: boolean;
    /** The wait the server asked for, if any. */
    retryAfterMs?: number;
}

/** Where the request went, to name in messages. */
export interface FailureContext {
    model: string;
    baseUrl: string;
    settingsFile: string;
    defaultModel: string;
}

/** The stream ended (cleanly) before `message_stop`: the answer may be incomplete. */
export class IncompleteStreamError extends Error {
    constructor() {
        super('the answer stream ended before its message_stop event, so the answer may be incomplete');
        this.name = 'IncompleteStreamError';
    }
}

/** The stream sent nothing (not even a ping the SDK would see as an event) for too long. */
export class StreamIdleError extends Error {
    constructor(readonly idleMs: number) {
        super(`the API sent nothing for ${Math.round(idleMs / 1000)} s in the middle of the answer, so the stream was given up`);
        this.name = 'StreamIdleError';
    }
}

/** Turns whatever the SDK (or the stream) threw into a failure with a message that says what to fix. */
export function describeFailure(err: unknown, ctx: FailureContext): ModelFailure {
    if (err instanceof StreamIdleError) {
        return { kind: 'stream', status: null, message: `${err.message} (from ${ctx.baseUrl})`, transient: true };
    }
    if (err instanceof IncompleteStreamError) {
        return { kind: 'stream', status: null, message: `${err.message} (from ${ctx.baseUrl})`, transient: true };
    }
    if (err instanceof Anthropic.APIConnectionTimeoutError) {
        return { kind: 'network', status: null, message: `the request to ${ctx.baseUrl} timed out`, transient: true };
    }
    if (err instanceof Anthropic.APIConnectionError) {
        return { kind: 'network', status: null, message: `could not reach the API at ${ctx.baseUrl}: ${causeChain(err)}`, transient: true };
    }
    if (err instanceof Anthropic.APIError) {
        return err.status === undefined ? describeStreamErrorEvent(err) : describeHttpError(err, ctx);
    }
    // Anything else broke the body while it was being read: a connection reset, a cut stream, bad SSE.
    return {
        kind: 'stream',
        status: null,
        message: `the connection to ${ctx.baseUrl} broke off in the middle of the answer (${causeChain(err)})`,
        transient: true
    };
}

function apiDetail(err: InstanceType<typeof Anthropic.APIError>): { type: string; text: string } {
    const body = err.error as { error?: { type?: unknown; message?: unknown } } | undefined;
    const type = typeof body?.error?.type === 'string' ? body.error.type : (err.type ?? 'error');
    const text = typeof body?.error?.message === 'string' ? body.error.message : (err.apiMessage ?? err.message);
    return { type, text };
}

/** An `event: error` sent after a 200: the API failed mid-answer. */
function describeStreamErrorEvent(err: InstanceType<typeof Anthropic.APIError>): ModelFailure {
    const { type, text } = apiDetail(err);
    const transientKinds: Record<string, ModelErrorKind> = { overloaded_error: 'overloaded', api_error: 'server', rate_limit_error: 'rate_limit' };
    return {
        kind: 'stream',
        status: null,
        message: `the API reported an error in the middle of its answer (${type}: ${text})`,
        transient: type in transientKinds
    };
}

function describeHttpError(err: InstanceType<typeof Anthropic.APIError>, ctx: FailureContext): ModelFailure {
    const status = err.status as number;
    const { type, text } = apiDetail(err);
    const detail = `${status} ${type}: ${text}`;
    const shouldRetry = err.headers?.get('x-should-retry');
    const wait = retryAfterMs(err.headers);
    const base = { status, retryAfterMs: wait };
    const transient = (byStatus: boolean): boolean => (shouldRetry === 'false' ? false : shouldRetry === 'true' ? true : byStatus);
    switch (true) {
        case status === 401:
            return { ...base, kind: 'authentication', transient: false,
                message: `the API key was rejected (${detail}): set ANTHROPIC_API_KEY or "apiKey" in ${ctx.settingsFile}` };
        case status === 403:
            return { ...base, kind: 'permission', transient: false,
                message: `the API key is not allowed to do this (${detail}): check that its workspace may use model "${ctx.model}", `
                    + `or set another key in ANTHROPIC_API_KEY or "apiKey" in ${ctx.settingsFile}` };
        case status === 404:
            return { ...base, kind: 'not_found', transient: false,
                message: `model "${ctx.model}" was not found at ${ctx.baseUrl} (${detail}): set COWORK_MODEL or "model" in ${ctx.settingsFile} `
                    + `to a model your key can use (for example ${ctx.defaultModel}), and check ANTHROPIC_BASE_URL / "baseUrl"` };
        case status === 413:
            return { ...base, kind: 'invalid_request', transient: false,
                message: `the request is too large for the API (${detail}): a tool result or attachment is too big` };
        case status === 400 && /prompt is too long|context window|context length|too many (input )?tokens/i.test(text):
            return { ...base, kind: 'context_window', transient: false,
                message: `the conversation no longer fits in the context window of model "${ctx.model}" (${detail})` };
        case status === 429:
            return { ...base, kind: 'rate_limit', transient: transient(true), message: `the API rate limit was hit (${detail})` };
        case status === 529:
            return { ...base, kind: 'overloaded', transient: transient(true), message: `the API is overloaded (${detail})` };
        case status >= 500:
            return { ...base, kind: 'server', transient: transient(true), message: `the API failed (${detail})` };
        default:
            return { ...base, kind: 'invalid_request', transient: transient(false), message: `the API rejected the request (${detail})` };
    }
}

/** "terminated: other side closed" from an error and its causes, without repeats. */
export function causeChain(err: unknown): string {
    const parts: string[] = [];
    let current: unknown = err;
    for (let depth = 0; current && depth < 5; depth++) {
        const e = current as { message?: unknown; code?: unknown; cause?: unknown };
        const text = typeof e.message === 'string' && e.message !== '' ? e.message : typeof e.code === 'string' ? e.code : String(current);
        if (!parts.some(p => p.includes(text))) {
            parts.push(text);
        }
        current = e.cause;
    }
    return parts.join(': ') || 'unknown error';
}
