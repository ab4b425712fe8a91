import { expect } from 'chai';
import type Anthropic from '@anthropic-ai/sdk';
import { withCacheBreakpoints, MAX_CACHE_BREAKPOINTS } from './prompt-cache';
import { ModelRequest } from './model-client';
import { AnthropicModelClient } from './anthropic-model-client';
import { startScriptedModelServer, text, toolUse } from '../testing';
import { commonPrefixBytes } from '../testing/usage-estimate';

const TOOLS: Anthropic.Tool[] = [
    { name: 'read_file', description: 'Read a file', input_schema: { type: 'object', properties: { path: { type: 'string' } } } },
    { name: 'write_file', description: 'Write a file', input_schema: { type: 'object', properties: { path: { type: 'string' }, content: { type: 'string' } } } }
];

function request(messages: Anthropic.MessageParam[]): ModelRequest {
    return {
        model: 'claude-test',
        maxTokens: 2048,
        system: [{ type: 'text', text: 'You are Cowork.' }, { type: 'text', text: 'Work only inside the granted folders.' }],
        tools: TOOLS,
        messages
    };
}

function countBreakpoints(value: unknown): number {
    return JSON.stringify(value).split('"cache_control"').length - 1;
}

describe('prompt cache breakpoints', () => {
    it('marks the last tool, the last system block and the last block of the last message', () => {
        const params = withCacheBreakpoints(request([
            { role: 'user', content: 'Summarise the report' },
            { role: 'assistant', content: [{ type: 'text', text: 'Reading.' }, { type: 'tool_use', id: 't1', name: 'read_file', input: { path: 'r.md' } }] },
            { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'the report' }, { type: 'text', text: 'also check the dates' }] }
        ]));
        expect(params.tools![1].cache_control).to.deep.equal({ type: 'ephemeral' });
        expect(params.tools![0].cache_control).to.equal(undefined);
        expect(params.system![1].cache_control).to.deep.equal({ type: 'ephemeral' });
        expect(params.system![0].cache_control).to.equal(undefined);
        const last = params.messages[2].content as (Anthropic.ContentBlockParam & { cache_control?: unknown })[];
        expect(last[1].cache_control).to.deep.equal({ type: 'ephemeral' });
        expect(last[0].cache_control).to.equal(undefined);
        expect(countBreakpoints(params)).to.equal(3);
        // Keys in the order the API caches: tools, system, messages.
        expect(Object.keys(params)).to.deep.equal(['model', 'max_tokens', 'tools', 'system', 'messages']);
    });

    it('never changes the request it was given', () => {
        const req = request([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }]);
        const before = JSON.stringify(req);
        withCacheBreakpoints(req);
        expect(JSON.stringify(req)).to.equal(before);
    });

    it('writes string contents as a text block and skips blocks that cannot carry a breakpoint', () => {
        const params = withCacheBreakpoints(request([
            { role: 'user', content: 'question' },
            { role: 'assistant', content: [{ type: 'text', text: 'answer' }, { type: 'thinking', thinking: 'hmm', signature: 's' }] }
        ]));
        expect(params.messages[0].content).to.deep.equal([{ type: 'text', text: 'question' }]);
        const last = params.messages[1].content as (Anthropic.ContentBlockParam & { cache_control?: unknown })[];
        expect(last[0].cache_control).to.deep.equal({ type: 'ephemeral' });
        expect(last[1]).to.not.have.property('cache_control');
    });

    it('keeps the total at four when the loop already placed breakpoints', () => {
        const req = request([
            { role: 'user', content: [{ type: 'text', text: 'a', cache_control: { type: 'ephemeral' } }] },
            { role: 'assistant', content: [{ type: 'text', text: 'b', cache_control: { type: 'ephemeral' } }] },
            { role: 'user', content: [{ type: 'text', text: 'c' }] }
        ]);
        const params = withCacheBreakpoints(req);
        expect(countBreakpoints(params)).to.be.at.most(MAX_CACHE_BREAKPOINTS);
        expect(countBreakpoints(params)).to.equal(4);
    });

    it('leaves out empty tools and system', () => {
        const params = withCacheBreakpoints({ model: 'm', maxTokens: 1, system: [], tools: [], messages: [{ role: 'user', content: 'x' }] });
        expect(params).to.not.have.property('tools');
        expect(params).to.not.have.property('system');
    });

    it('makes successive requests of a task share a byte-identical prefix up to the previous moving breakpoint', async () => {
        const server = await startScriptedModelServer([
            toolUse('read_file', { path: 'notes.md' }, 'toolu_a'),
            text('Done.')
        ]);
        try {
            const client = new AnthropicModelClient({ apiKey: 'k', baseUrl: server.url, model: 'claude-test', settingsFile: '/x/settings.json' });
            const history: Anthropic.MessageParam[] = [{ role: 'user', content: 'Summarise notes.md '.repeat(40) }];
            const first = await client.createMessage(request(history), {}, new AbortController().signal);
            history.push({ role: 'assistant', content: first.content as Anthropic.ContentBlockParam[] });
            history.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_a', content: 'the notes' }] });
            const second = await client.createMessage(request(history), {}, new AbortController().signal);

            const [r1, r2] = server.messageRequests;
            const shared = commonPrefixBytes(r1.rawBody, r2.rawBody);
            // The first body up to its last breakpoint is repeated exactly by the second one.
            const lastBreakpoint = r1.rawBody.lastIndexOf(',"cache_control"');
            expect(shared).to.be.at.least(Buffer.byteLength(r1.rawBody.slice(0, lastBreakpoint)));
            expect(shared / Buffer.byteLength(r1.rawBody)).to.be.greaterThan(0.9);
            // The history given to the client was not marked.
            expect(JSON.stringify(history)).to.not.contain('cache_control');
            expect(countBreakpoints(r2.body)).to.equal(3);
            // The scripted server's imitated cache saw the repeat: the first answer wrote, the second read.
            expect(first.usage.cache_creation_input_tokens).to.be.greaterThan(0);
            expect(first.usage.cache_read_input_tokens).to.equal(0);
            expect(second.usage.cache_read_input_tokens).to.equal(first.usage.cache_creation_input_tokens);
        } finally {
            await server.close();
        }
    });
});
