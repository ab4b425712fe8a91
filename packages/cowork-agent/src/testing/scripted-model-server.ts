import * as http from 'http';
import type { AddressInfo } from 'net';
import {
    describeLastUserMessage, HttpErrorSpec, MessageSpec, MessagesRequestBody, RecordedRequest, ResponseSpec, toResponseSpec, Turn, TurnContext, UsageSpec
} from './scenario';
import { buildMessage, buildStreamEvents } from './message-events';
import { writeSse } from './sse-writer';
import { estimateInputUsage, estimateOutputTokens, estimateTokens } from './usage-estimate';
import { checkMessagesRequest } from './request-checks';

export interface ScriptedModelServerOptions {
    /** Answers every request after the scenario ran out; without it those get a loud 500. */
    fallback?: Turn;
    /** 0 (default): any free port. */
    port?: number;
    host?: string;
    /** When set, requests must carry this key (`x-api-key` or `Authorization: Bearer`), else 401. */
    requireApiKey?: string;
    /** See CacheEstimateOptions; default 0. */
    minCacheableTokens?: number;
    /** Called with each request as it is recorded (e.g. to log it from a separate process). */
    onRequest?: (request: RecordedRequest) => void;
}

const MAX_BODY_BYTES = 32 * 1024 * 1024;

function sleep(ms: number): Promise<void> {
    return new Promise(resolve => setTimeout(resolve, ms));
}

/**
 * An HTTP server that speaks the Anthropic Messages API wire format and answers from a script,
 * so the production client (real SDK, real HTTP and SSE) is what tests exercise. Every request
 * is recorded in `requests` for assertions on what the agent sent.
 */
export class ScriptedModelServer {
    /** Every request received, in arrival order (messages and count_tokens alike). */
    readonly requests: RecordedRequest[] = [];
    private readonly turns: Turn[];
    private nextTurn = 0;
    private messageCounter = 0;
    private server: http.Server | undefined;
    private baseUrl = '';

    constructor(turns: Turn[], private readonly options: ScriptedModelServerOptions = {}) {
        this.turns = [...turns];
    }

    /** Base URL for ANTHROPIC_BASE_URL / the SDK's baseURL, e.g. http://127.0.0.1:41234 */
    get url(): string {
        if (!this.server) {
            throw new Error('ScriptedModelServer: call start() first');
        }
        return this.baseUrl;
    }

    /** Only the `POST /v1/messages` requests, in order. */
    get messageRequests(): RecordedRequest[] {
        return this.requests.filter(r => r.path === '/v1/messages');
    }

    /** How many scenario turns have not been used yet. */
    get remainingTurns(): number {
        return Math.max(0, this.turns.length - this.nextTurn);
    }

    /** Appends turns to the scenario (e.g. a test that scripts as it goes). */
    push(...turns: Turn[]): void {
        this.turns.push(...turns);
    }

    async start(): Promise<this> {
        const server = http.createServer((req, res) => {
            this.handle(req, res).catch(err => this.sendError(res, 500, 'api_error', `scripted model server failed: ${errorText(err)}`, { 'x-should-retry': 'false' }));
        });
        await new Promise<void>((resolve, reject) => {
            server.once('error', reject);
            server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
        });
        const address = server.address() as AddressInfo;
        const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        this.baseUrl = `http://${host}:${address.port}`;
        this.server = server;
        return this;
    }

    async close(): Promise<void> {
        const server = this.server;
        if (!server) {
            return;
        }
        this.server = undefined;
        // Keep-alive connections of the client would hold close() open.
        server.closeAllConnections();
        await new Promise<void>(resolve => server.close(() => resolve()));
    }

    private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const rawBody = await readBody(req);
        const path = (req.url ?? '/').split('?')[0];
        let body: MessagesRequestBody | undefined;
        try {
            body = rawBody.length > 0 ? JSON.parse(rawBody) : undefined;
        } catch {
            body = undefined;
        }
        const recorded: RecordedRequest = { method: req.method ?? 'GET', path, headers: { ...req.headers }, rawBody, body, turnIndex: -1 };
        this.requests.push(recorded);
        this.options.onRequest?.(recorded);

        if (req.method !== 'POST' || (path !== '/v1/messages' && path !== '/v1/messages/count_tokens')) {
            return this.sendError(res, 404, 'not_found_error', `${req.method} ${path}: the scripted model server only answers POST /v1/messages and POST /v1/messages/count_tokens`);
        }
        if (!this.authorized(req)) {
            return this.sendError(res, 401, 'authentication_error', 'invalid x-api-key');
        }
        if (body === undefined) {
            return this.sendError(res, 400, 'invalid_request_error', 'The request body is not valid JSON.');
        }
        if (path === '/v1/messages/count_tokens') {
            return this.sendJson(res, 200, { input_tokens: countTokensEstimate(body) });
        }
        const invalid = checkMessagesRequest(body);
        if (invalid) {
            return this.sendError(res, 400, 'invalid_request_error', invalid);
        }
        const picked = this.takeTurn();
        if (!picked) {
            const n = this.messageRequests.length;
            return this.sendError(res, 500, 'api_error',
                `scripted model server: the scenario ran out of turns at request #${n} (it has ${this.turns.length} turn(s) and no fallback)`,
                { 'x-should-retry': 'false' });
        }
        recorded.turnIndex = picked.index;
        let spec: ResponseSpec;
        try {
            spec = await this.resolveTurn(picked.turn, picked.index, body);
        } catch (err) {
            return this.sendError(res, 500, 'api_error', `scripted model server: scenario turn ${picked.index} failed: ${errorText(err)}`, { 'x-should-retry': 'false' });
        }
        if (spec.delayMs) {
            await sleep(spec.delayMs);
        }
        if (spec.kind === 'http_error') {
            return this.sendHttpError(res, spec);
        }
        return this.sendMessage(res, spec, body, rawBody);
    }

    private authorized(req: http.IncomingMessage): boolean {
        const required = this.options.requireApiKey;
        if (required === undefined) {
            return true;
        }
        return req.headers['x-api-key'] === required || req.headers.authorization === `Bearer ${required}`;
    }

    private takeTurn(): { turn: Turn; index: number } | undefined {
        if (this.nextTurn < this.turns.length) {
            const index = this.nextTurn++;
            return { turn: this.turns[index], index };
        }
        return this.options.fallback !== undefined ? { turn: this.options.fallback, index: this.turns.length } : undefined;
    }

    private async resolveTurn(turn: Turn, index: number, body: MessagesRequestBody): Promise<ResponseSpec> {
        const ctx: TurnContext = { turnIndex: index, requests: [...this.requests], ...describeLastUserMessage(body) };
        const value = typeof turn === 'function' ? await turn(body, ctx) : turn;
        return toResponseSpec(value, `scenario turn ${index}`);
    }

    private sendHttpError(res: http.ServerResponse, spec: HttpErrorSpec): void {
        const headers: Record<string, string> = { ...spec.headers };
        if (spec.retryAfter !== undefined) headers['retry-after'] = String(spec.retryAfter);
        if (spec.retryAfterMs !== undefined) headers['retry-after-ms'] = String(spec.retryAfterMs);
        this.sendError(res, spec.status, spec.errorType, spec.message, headers);
    }

    private async sendMessage(res: http.ServerResponse, spec: MessageSpec, body: MessagesRequestBody, rawBody: string): Promise<void> {
        this.messageCounter += 1;
        const id = `msg_scripted_${String(this.messageCounter).padStart(4, '0')}`;
        const model = spec.model ?? body.model;
        const usage = this.usageFor(spec, rawBody);
        for (const [k, v] of Object.entries({ 'request-id': `req_scripted_${this.messageCounter}`, ...spec.headers })) {
            res.setHeader(k, v);
        }
        if (body.stream !== true) {
            if (spec.cutAfterChunks !== undefined) {
                // Without a stream to cut, the connection drops before any answer: a reset.
                res.socket?.destroy();
                return;
            }
            return this.sendJson(res, 200, buildMessage(spec, id, model, usage));
        }
        await writeSse(res, buildStreamEvents(spec, id, model, usage), {
            chunkDelayMs: spec.chunkDelayMs,
            pauseAfterChunks: spec.pauseAfterChunks,
            cutAfterChunks: spec.cutAfterChunks,
            errorAfterChunks: spec.streamError?.afterChunks,
            error: spec.streamError ? { type: spec.streamError.type, message: spec.streamError.message } : undefined
        });
    }

    /** Estimated usage, cache numbers from the byte prefix shared with earlier requests; the spec may override any field. */
    private usageFor(spec: MessageSpec, rawBody: string): UsageSpec {
        const earlier = this.messageRequests.slice(0, -1).slice(-20);
        const candidates = earlier.length > 0 ? earlier.map(r => r.rawBody) : [undefined];
        const options = { minCacheableTokens: this.options.minCacheableTokens ?? 0 };
        const input = candidates
            .map(prev => estimateInputUsage(rawBody, prev, options))
            .reduce((best, u) => (u.cache_read_input_tokens > best.cache_read_input_tokens ? u : best));
        return { ...input, output_tokens: estimateOutputTokens(spec.content), ...spec.usage };
    }

    private sendError(res: http.ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}): void {
        this.sendJson(res, status, { type: 'error', error: { type, message } }, headers);
    }

    private sendJson(res: http.ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
        if (res.headersSent) {
            res.end();
            return;
        }
        const text = JSON.stringify(value);
        res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
    }
}

/** count_tokens here is an estimate (bytes / 4 of system, tools and messages), not a tokenizer. */
function countTokensEstimate(body: MessagesRequestBody): number {
    return estimateTokens(Buffer.byteLength(JSON.stringify({ system: body.system, tools: body.tools, messages: body.messages })));
}

function readBody(req: http.IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY_BYTES) {
                reject(new Error(`request body over ${MAX_BODY_BYTES} bytes`));
                req.destroy();
                return;
            }
            chunks.push(chunk);
        });
        req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        req.on('error', reject);
    });
}

function errorText(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
}

/** Starts a server for `turns` and resolves once it listens. */
export async function startScriptedModelServer(turns: Turn[], options: ScriptedModelServerOptions = {}): Promise<ScriptedModelServer> {
    return new ScriptedModelServer(turns, options).start();
}
