import { expect } from 'chai';
import type Anthropic from '@anthropic-ai/sdk';
import { AnthropicModelClient, createModelClient } from './anthropic-model-client';
import { ModelError, ModelRequest, RetryInfo } from './model-client';
import {
    cutStream, errors, httpError, response, ScriptedModelServer, startScriptedModelServer, streamError, text, thinking, toolUse, truncatedToolUse, Turn
} from '../testing';
import { MissingApiKeyError, Settings, DEFAULT_SETTINGS } from '../settings';

const SETTINGS_FILE = '/home/someone/.cowork/settings.json';

function request(messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Hello' }]): ModelRequest {
    return {
        model: 'claude-test-model',
        maxTokens: 1024,
        system: [{ type: 'text', text: 'You are a careful assistant.' }],
        tools: [{ name: 'read_file', description: 'Read a file', input_schema: { type: 'object', properties: { path: { type: 'string' } } } }],
        messages
    };
}

async function expectModelError(promise: Promise<unknown>): Promise<ModelError> {
    try {
        await promise;
    } catch (err) {
        expect(err).to.be.instanceOf(ModelError);
        return err as ModelError;
    }
    throw new Error('expected a ModelError, but the call succeeded');
}

describe('AnthropicModelClient (real SDK against the scripted model server)', () => {
    let server: ScriptedModelServer | undefined;

    afterEach(async () => {
        await server?.close();
        server = undefined;
    });

    async function setup(turns: Turn[], retry = { baseDelayMs: 5, maxDelayMs: 20 }): Promise<AnthropicModelClient> {
        server = await startScriptedModelServer(turns);
        return new AnthropicModelClient({ apiKey: 'sk-test', baseUrl: server.url, model: 'claude-test-model', settingsFile: SETTINGS_FILE, retry });
    }

    it('streams text and thinking to the handlers and returns the final message', async () => {
        const client = await setup([response([thinking('Let me think about it.'), text('The answer is forty-two, as computed.')], { textChunkSize: 5 })]);
        const texts: string[] = [];
        const thoughts: string[] = [];
        const message = await client.createMessage(request(), { onText: t => texts.push(t), onThinking: t => thoughts.push(t) }, new AbortController().signal);
        expect(texts.length).to.be.greaterThan(3);
        expect(texts.join('')).to.equal('The answer is forty-two, as computed.');
        expect(thoughts.join('')).to.equal('Let me think about it.');
        expect(message.content.map(b => b.type)).to.deep.equal(['thinking', 'text']);
        expect(message.stop_reason).to.equal('end_turn');
        expect(message.usage.output_tokens).to.be.greaterThan(0);
        expect(server!.messageRequests[0].body!.stream).to.equal(true);
    });

    it('reassembles a tool_use input streamed as several partial JSON chunks', async () => {
        const input = { path: 'reports/q3 summary.xlsx', options: { sheets: ['Revenue', 'Costs'], limit: 50 } };
        const client = await setup([response([text('Reading it.'), toolUse('read_file', input, 'toolu_1')], { jsonChunkSize: 7 })]);
        const message = await client.createMessage(request(), {}, new AbortController().signal);
        const sse = server!.messageRequests.length;
        expect(sse).to.equal(1);
        const tool = message.content.find(b => b.type === 'tool_use') as Anthropic.ToolUseBlock;
        expect(tool).to.include({ id: 'toolu_1', name: 'read_file' });
        expect(tool.input).to.deep.equal(input);
        expect(message.stop_reason).to.equal('tool_use');
    });

    it('returns a max_tokens answer with a truncated tool input as it came', async () => {
        const client = await setup([response([truncatedToolUse('write_file', '{"path": "a.txt", "content": "unfinish')], { stopReason: 'max_tokens' })]);
        const message = await client.createMessage(request(), {}, new AbortController().signal);
        expect(message.stop_reason).to.equal('max_tokens');
        expect(message.content[0].type).to.equal('tool_use');
    });

    it('retries a 529 and reports the retry through onRetry', async () => {
        const client = await setup([httpError(529, 'overloaded_error', 'Overloaded', 0), text('Fine now.')]);
        const retries: RetryInfo[] = [];
        const message = await client.createMessage(request(), { onRetry: r => retries.push(r) }, new AbortController().signal);
        expect(server!.messageRequests).to.have.length(2);
        expect(retries).to.have.length(1);
        expect(retries[0]).to.include({ attempt: 1, status: 529, delayMs: 0 });
        expect(retries[0].message).to.contain('overloaded');
        expect((message.content[0] as Anthropic.TextBlock).text).to.equal('Fine now.');
    });

    it('honours retry-after on a 429 and retry-after-ms before the backoff', async () => {
        const client = await setup([
            httpError(429, 'rate_limit_error', 'Rate limited', 0.05),
            httpError(429, 'rate_limit_error', 'Rate limited', undefined, { retryAfterMs: 30 }),
            text('ok')
        ], { baseDelayMs: 60000, maxDelayMs: 60000 });
        const retries: RetryInfo[] = [];
        await client.createMessage(request(), { onRetry: r => retries.push(r) }, new AbortController().signal);
        // With a 60 s backoff the test would time out unless the server's wait was used.
        expect(retries.map(r => r.delayMs)).to.deep.equal([50, 30]);
        expect(retries.map(r => r.status)).to.deep.equal([429, 429]);
    });

    it('gives up after maxAttempts with the last error and says so', async () => {
        server = await startScriptedModelServer([errors.server(), errors.server(), errors.server()]);
        const client = new AnthropicModelClient({
            apiKey: 'k', baseUrl: server.url, model: 'm', settingsFile: SETTINGS_FILE, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 }
        });
        const err = await expectModelError(client.createMessage(request(), {}, new AbortController().signal));
        expect(err.kind).to.equal('server');
        expect(err.status).to.equal(500);
        expect(err.retryable).to.equal(true);
        expect(err.message).to.contain('gave up after 3 attempts');
        expect(server.messageRequests).to.have.length(3);
    });

    it('does not retry a 401 and says which setting to fix', async () => {
        const client = await setup([errors.unauthorized(), text('never sent')]);
        const retries: RetryInfo[] = [];
        const err = await expectModelError(client.createMessage(request(), { onRetry: r => retries.push(r) }, new AbortController().signal));
        expect(err.kind).to.equal('authentication');
        expect(err.status).to.equal(401);
        expect(err.message).to.contain('the API key was rejected');
        expect(err.message).to.contain('ANTHROPIC_API_KEY');
        expect(err.message).to.contain(SETTINGS_FILE);
        expect(retries).to.have.length(0);
        expect(server!.messageRequests).to.have.length(1);
    });

    it('names the model and the setting on a 404, and passes the API message on a 400', async () => {
        const client = await setup([errors.notFound('claude-test-model'), errors.invalid('messages.0.content: Input should be a valid list')]);
        const notFound = await expectModelError(client.createMessage(request(), {}, new AbortController().signal));
        expect(notFound.kind).to.equal('not_found');
        expect(notFound.message).to.contain('model "claude-test-model" was not found');
        expect(notFound.message).to.contain('COWORK_MODEL');
        const invalid = await expectModelError(client.createMessage(request(), {}, new AbortController().signal));
        expect(invalid.kind).to.equal('invalid_request');
        expect(invalid.message).to.contain('messages.0.content: Input should be a valid list');
    });

    it('reports a prompt that is too long as a context_window error', async () => {
        const client = await setup([errors.promptTooLong()]);
        const err = await expectModelError(client.createMessage(request(), {}, new AbortController().signal));
        expect(err.kind).to.equal('context_window');
        expect(err.message).to.contain('prompt is too long');
    });

    it('fails with kind stream on an error event after text was shown, without retrying', async () => {
        const client = await setup([streamError('overloaded_error', 'Overloaded', 5, text('Here is the first part of a long answer')), text('unused')]);
        const texts: string[] = [];
        const err = await expectModelError(client.createMessage(request(), { onText: t => texts.push(t) }, new AbortController().signal));
        expect(texts.join('')).to.not.equal('');
        expect(err.kind).to.equal('stream');
        expect(err.message).to.contain('overloaded_error: Overloaded');
        expect(err.message).to.contain('not retried');
        expect(server!.messageRequests).to.have.length(1);
    });

    it('retries an error event that came before any text', async () => {
        const client = await setup([streamError('overloaded_error', 'Overloaded', 1), text('second try')]);
        const retries: RetryInfo[] = [];
        const message = await client.createMessage(request(), { onRetry: r => retries.push(r) }, new AbortController().signal);
        expect(retries).to.have.length(1);
        expect((message.content[0] as Anthropic.TextBlock).text).to.equal('second try');
    });

    it('turns a stream cut mid-answer into a clear ModelError of kind stream', async () => {
        const client = await setup([cutStream(5, text('This answer will be cut off before it ends, sadly.'))]);
        const texts: string[] = [];
        const err = await expectModelError(client.createMessage(request(), { onText: t => texts.push(t) }, new AbortController().signal));
        expect(texts.length).to.be.greaterThan(0);
        expect(err.kind).to.equal('stream');
        expect(err.message).to.contain('broke off in the middle of the answer');
        expect(err.message).to.contain(server!.url);
    });

    it('retries a connection reset before anything was streamed', async () => {
        const client = await setup([cutStream(0), text('after reset')]);
        const retries: RetryInfo[] = [];
        const message = await client.createMessage(request(), { onRetry: r => retries.push(r) }, new AbortController().signal);
        expect(retries).to.have.length(1);
        expect((message.content[0] as Anthropic.TextBlock).text).to.equal('after reset');
    });

    it('treats a stream that ends without message_stop as incomplete', async () => {
        const client = await setup([response(text('Complete-looking text'), { omitMessageStop: true })]);
        const err = await expectModelError(client.createMessage(request(), {}, new AbortController().signal));
        expect(err.kind).to.equal('stream');
        expect(err.message).to.contain('message_stop');
    });

    it('gives up on a stream that stalls, retrying when nothing was shown yet', async () => {
        server = await startScriptedModelServer([
            response(text('stalled'), { chunkDelayMs: 2000 }),
            text('after the stall')
        ]);
        const client = new AnthropicModelClient({
            apiKey: 'k', baseUrl: server.url, model: 'm', settingsFile: SETTINGS_FILE, idleTimeoutMs: 150, retry: { baseDelayMs: 1, maxDelayMs: 1 }
        });
        const retries: RetryInfo[] = [];
        const message = await client.createMessage(request(), { onRetry: r => retries.push(r) }, new AbortController().signal);
        expect(retries).to.have.length(1);
        expect(retries[0].message).to.contain('the API sent nothing for');
        expect((message.content[0] as Anthropic.TextBlock).text).to.equal('after the stall');


        // Stalled after text was shown: fail, do not retry.
        server.push(response(text('part one, then a long pause'), { textChunkSize: 5, pauseAfterChunks: { afterChunks: 4, ms: 2000 } }), text('unused'));
        const texts: string[] = [];
        const err = await expectModelError(client.createMessage(request(), { onText: t => texts.push(t) }, new AbortController().signal));
        expect(texts.join('')).to.equal('part ');
        expect(err.kind).to.equal('stream');
        expect(err.message).to.contain('the API sent nothing for');
        expect(err.message).to.contain('not retried');
        expect(server.remainingTurns).to.equal(1);
    });

    it('reports an unreachable API as a network error naming the URL', async () => {
        server = await startScriptedModelServer([]);
        const url = server.url;
        await server.close();
        server = undefined;
        const client = new AnthropicModelClient({ apiKey: 'k', baseUrl: url, model: 'm', settingsFile: SETTINGS_FILE, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
        const err = await expectModelError(client.createMessage(request(), {}, new AbortController().signal));
        expect(err.kind).to.equal('network');
        expect(err.message).to.contain(`could not reach the API at ${url}`);
        expect(err.message).to.contain('gave up after 2 attempts');
    });

    it('cancels promptly through the AbortSignal, mid-stream and during a retry wait', async () => {
        const client = await setup([
            response(text('a slow answer that takes its time to arrive'), { textChunkSize: 2, chunkDelayMs: 200 }),
            httpError(529, 'overloaded_error', 'Overloaded', 30)
        ]);
        const controller = new AbortController();
        const first = client.createMessage(request(), { onText: () => controller.abort() }, controller.signal);
        const err = await expectModelError(first);
        expect(err.kind).to.equal('cancelled');

        const waiting = new AbortController();
        const started = Date.now();
        const second = client.createMessage(request(), { onRetry: () => setTimeout(() => waiting.abort(), 10) }, waiting.signal);
        const err2 = await expectModelError(second);
        expect(err2.kind).to.equal('cancelled');
        // The server asked for 30 s; cancelling must not wait for it.
        expect(Date.now() - started).to.be.lessThan(10000);
        expect(server!.messageRequests).to.have.length(2);
    });

    it('counts tokens through the count_tokens endpoint', async () => {
        const client = await setup([]);
        const n = await client.countTokens(request(), new AbortController().signal);
        expect(n).to.be.greaterThan(10);
        const sent = server!.requests[0];
        expect(sent.path).to.equal('/v1/messages/count_tokens');
        expect(sent.body).to.not.have.property('max_tokens');
        expect(sent.body!.model).to.equal('claude-test-model');
    });

    it('createModelClient refuses to start without an API key and names where to put one', () => {
        const settings: Settings = { ...DEFAULT_SETTINGS, apiKey: undefined, settingsFile: SETTINGS_FILE };
        expect(() => createModelClient(settings)).to.throw(MissingApiKeyError).with.property('message').that.contains(SETTINGS_FILE);
        const client = createModelClient({ ...settings, apiKey: 'sk-x' });
        expect(client.model).to.equal(DEFAULT_SETTINGS.model);
    });
});
