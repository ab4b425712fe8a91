// Streaming cost of the production model client (AnthropicModelClient: SDK MessageStream,
// accumulation, handlers, cache breakpoints) against the bare SDK iterating raw SSE events from the
// same scripted server, in the same run. Also: the share of each request's bytes that repeats the
// previous request's prefix over a growing conversation (what prompt caching can reuse).
const path = require('path');
const Anthropic = require('@anthropic-ai/sdk').default;
const lib = path.join(__dirname, '..', 'packages', 'cowork-agent', 'lib', 'src');
const { AnthropicModelClient } = require(path.join(lib, 'model', 'anthropic-model-client'));
const { startScriptedModelServer, response, text, toolUse } = require(path.join(lib, 'testing'));
const { commonPrefixBytes, breakpointOffsets } = require(path.join(lib, 'testing', 'usage-estimate'));

const ANSWER = 'The quarterly numbers show steady growth across all regions. '.repeat(3000); // ~180 KB
const ROUNDS = 8;

function request(messages) {
    return {
        model: 'bench-model', maxTokens: 4096,
        system: [{ type: 'text', text: 'You are a benchmark.' }],
        tools: [{ name: 'read_file', description: 'Read a file', input_schema: { type: 'object', properties: { path: { type: 'string' } } } }],
        messages
    };
}

async function timeIt(fn) {
    const start = process.hrtime.bigint();
    await fn();
    return Number(process.hrtime.bigint() - start) / 1e6;
}

async function streamingRatio() {
    const turn = response(text(ANSWER), { textChunkSize: 64 });
    const server = await startScriptedModelServer([], { fallback: turn });
    try {
        const sdk = new Anthropic({ apiKey: 'k', baseURL: server.url, maxRetries: 0, logLevel: 'off' });
        const client = new AnthropicModelClient({ apiKey: 'k', baseUrl: server.url, model: 'bench-model', settingsFile: '/dev/null' });
        const baseline = async () => {
            const stream = await sdk.messages.create({ model: 'bench-model', max_tokens: 4096, stream: true, messages: [{ role: 'user', content: 'go' }] });
            let n = 0;
            for await (const event of stream) {
                if (event.type === 'content_block_delta') n++;
            }
            if (n === 0) throw new Error('no deltas');
        };
        const ours = async () => {
            let chars = 0;
            await client.createMessage(request([{ role: 'user', content: 'go' }]), { onText: t => (chars += t.length) }, new AbortController().signal);
            if (chars !== ANSWER.length) throw new Error('lost text');
        };
        await baseline();
        await ours(); // warm-up
        let base = 0;
        let mine = 0;
        for (let i = 0; i < ROUNDS; i++) {
            base += await timeIt(baseline);
            mine += await timeIt(ours);
        }
        base /= ROUNDS;
        mine /= ROUNDS;
        console.log(`model client stream of ${(ANSWER.length / 1024).toFixed(0)} KB: ${mine.toFixed(1)} ms (baseline: raw SDK event iteration ${base.toFixed(1)} ms, ratio ${(mine / base).toFixed(2)}x)`);
    } finally {
        await server.close();
    }
}

async function prefixShare() {
    const turns = [];
    for (let i = 0; i < 20; i++) turns.push(toolUse('read_file', { path: `part-${i}.md` }, `toolu_${i}`));
    const server = await startScriptedModelServer(turns);
    try {
        const client = new AnthropicModelClient({ apiKey: 'k', baseUrl: server.url, model: 'bench-model', settingsFile: '/dev/null' });
        const history = [{ role: 'user', content: 'Summarise every part.' }];
        for (let i = 0; i < 20; i++) {
            const m = await client.createMessage(request(history), {}, new AbortController().signal);
            history.push({ role: 'assistant', content: m.content });
            history.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: `toolu_${i}`, content: `Part ${i}: ` + 'lorem ipsum '.repeat(200) }] });
        }
        const bodies = server.messageRequests.map(r => r.rawBody);
        let shared = 0;
        let total = 0;
        let cachedBefore = 0;
        let reused = 0;
        for (let i = 1; i < bodies.length; i++) {
            const common = commonPrefixBytes(bodies[i - 1], bodies[i]);
            shared += common;
            total += Buffer.byteLength(bodies[i]);
            const lastBreakpoint = Math.max(...breakpointOffsets(bodies[i - 1]));
            cachedBefore += lastBreakpoint;
            reused += Math.min(common, lastBreakpoint);
        }
        console.log(`prompt prefix repeated from the previous request: ${(shared / total * 100).toFixed(1)} % of request bytes (baseline: whole request 100 %, ratio ${(shared / total).toFixed(3)}x)`);
        console.log(`previous request's cached prefix repeated byte for byte: ${(reused / cachedBefore * 100).toFixed(1)} % (baseline: ideal 100 %, ratio ${(reused / cachedBefore).toFixed(3)}x)`);
    } finally {
        await server.close();
    }
}

(async () => {
    await streamingRatio();
    await prefixShare();
})().catch(err => {
    console.error(err);
    process.exit(1);
});
