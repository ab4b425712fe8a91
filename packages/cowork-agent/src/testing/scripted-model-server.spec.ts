import { expect } from 'chai';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Anthropic from '@anthropic-ai/sdk';
import {
    cutStream, errors, httpError, response, ScriptedModelServer, startScriptedModelServer, streamError, text, toolUse, Turn
} from './index';

const BASE_REQUEST = { model: 'claude-test', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] };

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

/** The SSE events of a response body, as [event name, parsed data]. */
function parseSse(body: string): [string, any][] {
    return body.trim().split('\n\n').map(chunk => {
        const lines = chunk.split('\n');
        const event = lines.find(l => l.startsWith('event: '))!.slice(7);
        const data = JSON.parse(lines.find(l => l.startsWith('data: '))!.slice(6));
        return [event, data];
    });
}

describe('ScriptedModelServer', () => {
    let server: ScriptedModelServer | undefined;

    afterEach(async () => {
        await server?.close();
        server = undefined;
    });

    async function start(turns: Turn[], options = {}): Promise<ScriptedModelServer> {
        server = await startScriptedModelServer(turns, options);
        return server;
    }

    it('streams the Messages API event sequence, with the tool input JSON split in parts', async () => {
        const s = await start([response([text('Hello there'), toolUse('read_file', { path: 'a.txt' }, 'toolu_x')], { textChunkSize: 4 })]);
        const res = await post(`${s.url}/v1/messages`, { ...BASE_REQUEST, stream: true });
        expect(res.status).to.equal(200);
        expect(res.headers.get('content-type')).to.contain('text/event-stream');
        const events = parseSse(await res.text());
        const names = events.map(e => e[0]);
        expect(names[0]).to.equal('message_start');
        expect(names[1]).to.equal('content_block_start');
        expect(names[2]).to.equal('ping');
        expect(names.slice(-2)).to.deep.equal(['message_delta', 'message_stop']);
        const textDeltas = events.filter(e => e[1].delta?.type === 'text_delta').map(e => e[1].delta.text);
        expect(textDeltas).to.deep.equal(['Hell', 'o th', 'ere']);
        const jsonParts = events.filter(e => e[1].delta?.type === 'input_json_delta').map(e => e[1].delta.partial_json);
        expect(jsonParts.length).to.be.at.least(3);
        expect(JSON.parse(jsonParts.join(''))).to.deep.equal({ path: 'a.txt' });
        const toolStart = events.find(e => e[0] === 'content_block_start' && e[1].content_block.type === 'tool_use')!;
        expect(toolStart[1]).to.deep.include({ index: 1 });
        expect(toolStart[1].content_block).to.deep.include({ id: 'toolu_x', name: 'read_file', input: {} });
        const delta = events.find(e => e[0] === 'message_delta')!;
        expect(delta[1].delta.stop_reason).to.equal('tool_use');
        expect(delta[1].usage.output_tokens).to.be.greaterThan(0);
    });

    it('answers non-streaming requests with one JSON message', async () => {
        const s = await start([response([text('plain')], { stopReason: 'refusal', usage: { output_tokens: 7 } })]);
        const res = await post(`${s.url}/v1/messages`, BASE_REQUEST);
        const body = await res.json();
        expect(body).to.deep.include({ type: 'message', role: 'assistant', model: 'claude-test', stop_reason: 'refusal' });
        expect(body.content).to.deep.equal([{ type: 'text', text: 'plain', citations: null }]);
        expect(body.usage.output_tokens).to.equal(7);
        expect(body.stop_details.type).to.equal('refusal');
    });

    it('sends HTTP errors with the API error body and retry headers', async () => {
        const s = await start([httpError(429, 'rate_limit_error', 'slow down', 3, { retryAfterMs: 2500 }), errors.overloaded()]);
        const res = await post(`${s.url}/v1/messages`, BASE_REQUEST);
        expect(res.status).to.equal(429);
        expect(res.headers.get('retry-after')).to.equal('3');
        expect(res.headers.get('retry-after-ms')).to.equal('2500');
        expect(await res.json()).to.deep.equal({ type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } });
        const res2 = await post(`${s.url}/v1/messages`, BASE_REQUEST);
        expect(res2.status).to.equal(529);
        expect((await res2.json()).error.type).to.equal('overloaded_error');
    });

    it('sends an error event mid-stream', async () => {
        const s = await start([streamError('api_error', 'Internal server error', 3)]);
        const events = parseSse(await (await post(`${s.url}/v1/messages`, { ...BASE_REQUEST, stream: true })).text());
        expect(events).to.have.length(4);
        expect(events[3]).to.deep.equal(['error', { type: 'error', error: { type: 'api_error', message: 'Internal server error' } }]);
    });

    it('cuts the connection after the given number of events', async () => {
        const s = await start([cutStream(3)]);
        const res = await post(`${s.url}/v1/messages`, { ...BASE_REQUEST, stream: true });
        let failure: unknown;
        try {
            await res.text();
        } catch (err) {
            failure = err;
        }
        expect(failure, 'reading the body must fail').to.be.instanceOf(Error);
    });

    it('fails loudly when the scenario runs out, and answers from the fallback when there is one', async () => {
        const s = await start([text('only turn')]);
        await post(`${s.url}/v1/messages`, BASE_REQUEST);
        const res = await post(`${s.url}/v1/messages`, BASE_REQUEST);
        expect(res.status).to.equal(500);
        expect(res.headers.get('x-should-retry')).to.equal('false');
        expect((await res.json()).error.message).to.contain('the scenario ran out of turns at request #2');
        await s.close();

        const f = await start([], { fallback: text('fallback answer') });
        const body = await (await post(`${f.url}/v1/messages`, BASE_REQUEST)).json();
        expect(body.content[0].text).to.equal('fallback answer');
        expect(f.messageRequests[0].turnIndex).to.equal(0);
    });

    it('lets a turn function read the request and the last tool results', async () => {
        const s = await start([
            toolUse('read_file', { path: 'n.txt' }, 'toolu_1'),
            (_req, ctx) => text(`file said: ${ctx.toolResults[0].text} (error: ${ctx.toolResults[0].isError}, turn ${ctx.turnIndex})`)
        ]);
        const client = new Anthropic({ apiKey: 'k', baseURL: s.url, maxRetries: 0, logLevel: 'off' });
        const first = await client.messages.create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'read n.txt' }] });
        const second = await client.messages.create({
            model: 'm', max_tokens: 10, messages: [
                { role: 'user', content: 'read n.txt' },
                { role: 'assistant', content: first.content as Anthropic.ContentBlockParam[] },
                { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'forty-two' }] }] }
            ]
        });
        expect((second.content[0] as Anthropic.TextBlock).text).to.equal('file said: forty-two (error: false, turn 1)');
        expect(s.requests[1].headers['authorization']).to.equal('Bearer k');
    });

    it('reports a turn function that throws as a 500 naming the turn', async () => {
        const s = await start([() => { throw new Error('boom'); }]);
        const res = await post(`${s.url}/v1/messages`, BASE_REQUEST);
        expect(res.status).to.equal(500);
        expect((await res.json()).error.message).to.equal('scripted model server: scenario turn 0 failed: boom');
    });

    it('rejects what the real API rejects: bad JSON, tool_use without tool_result, too many breakpoints, missing key', async () => {
        const s = await start([text('unused')], { requireApiKey: 'sk-right' });
        const noKey = await post(`${s.url}/v1/messages`, BASE_REQUEST);
        expect(noKey.status).to.equal(401);
        const auth = { 'x-api-key': 'sk-right' };
        expect((await post(`${s.url}/v1/messages`, '{not json', auth)).status).to.equal(400);
        const orphan = await post(`${s.url}/v1/messages`, {
            ...BASE_REQUEST, messages: [
                { role: 'user', content: 'go' },
                { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_9', name: 'x', input: {} }] },
                { role: 'user', content: 'and?' }
            ]
        }, auth);
        expect(orphan.status).to.equal(400);
        expect((await orphan.json()).error.message).to.contain('toolu_9');
        const cc = { type: 'ephemeral' };
        const tooMany = await post(`${s.url}/v1/messages`, {
            ...BASE_REQUEST, messages: [{ role: 'user', content: [1, 2, 3, 4, 5].map(n => ({ type: 'text', text: String(n), cache_control: cc })) }]
        }, auth);
        expect(tooMany.status).to.equal(400);
        expect((await tooMany.json()).error.message).to.contain('maximum of 4 blocks with cache_control');
        expect(s.remainingTurns).to.equal(1);
    });

    it('estimates count_tokens without using a turn', async () => {
        const s = await start([]);
        const body = await (await post(`${s.url}/v1/messages/count_tokens`, BASE_REQUEST)).json();
        expect(body.input_tokens).to.be.greaterThan(0);
        expect(s.requests[0].turnIndex).to.equal(-1);
    });

    it('runs as a separate process from a scenario file and prints its URL', async function () {
        this.timeout(20000);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scripted-cli-'));
        const scenario = path.join(dir, 'scenario.js');
        const record = path.join(dir, 'requests.jsonl');
        fs.writeFileSync(scenario, `const t = require(${JSON.stringify(path.join(__dirname, 'index.js'))});
module.exports = { turns: [t.text('from the file'), (req, ctx) => t.text('echo: ' + ctx.lastUserText)], fallback: t.text('fallback') };`);
        const child = spawn(process.execPath, [path.join(__dirname, 'scripted-model-server-cli.js'), '--scenario', scenario, '--record', record], { stdio: ['ignore', 'pipe', 'pipe'] });
        try {
            const url = await new Promise<string>((resolve, reject) => {
                let out = '';
                child.stdout.on('data', d => {
                    out += d;
                    if (out.includes('\n')) resolve(out.split('\n')[0].trim());
                });
                child.once('exit', code => reject(new Error(`server exited with ${code}`)));
            });
            expect(url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
            const client = new Anthropic({ apiKey: 'k', baseURL: url, maxRetries: 0, logLevel: 'off' });
            const a = await client.messages.create({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'one' }] });
            const b = await client.messages.create({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'two' }] });
            const c = await client.messages.create({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'three' }] });
            expect([a, b, c].map(m => (m.content[0] as Anthropic.TextBlock).text)).to.deep.equal(['from the file', 'echo: two', 'fallback']);
            const lines = fs.readFileSync(record, 'utf8').trim().split('\n').map(l => JSON.parse(l));
            expect(lines.map(l => l.body.messages[0].content)).to.deep.equal(['one', 'two', 'three']);
        } finally {
            child.kill('SIGTERM');
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it('the CLI says clearly when the scenario file is missing', async () => {
        const child = spawn(process.execPath, [path.join(__dirname, 'scripted-model-server-cli.js'), '--scenario', '/nonexistent/s.json'], { stdio: ['ignore', 'pipe', 'pipe'] });
        let err = '';
        child.stderr.on('data', d => (err += d));
        const code = await new Promise<number | null>(resolve => child.once('exit', resolve));
        expect(code).to.equal(1);
        expect(err).to.contain('scenario file not found: /nonexistent/s.json');
        expect(err).to.not.contain('    at ');
    });
});
