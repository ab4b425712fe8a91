import { expect } from 'chai';
import * as fs from 'fs';
import { AgentLoop, AgentLoopOptions, LoopResult } from './agent-loop';
import { AnthropicModelClient } from './model/anthropic-model-client';
import { ToolRegistry } from './tool-registry';
import { coreTools } from './tools/core-tools';
import type { Tool } from './tool';
import { errors, MessagesRequestBody, response, ScriptedModelServer, startScriptedModelServer, text, toolUse, Turn } from './testing';
import { makeToolBed, ToolBed } from '../test/tool-context';

type Block = { type: string; [k: string]: unknown };

/** The blocks of a request's last message. */
function lastBlocks(req: MessagesRequestBody): Block[] {
    const last = req.messages[req.messages.length - 1];
    return typeof last.content === 'string' ? [{ type: 'text', text: last.content }] : last.content as Block[];
}

const slowEcho: Tool<{ ms: number; label: string }> = {
    name: 'SlowEcho', description: 'echo after a delay', readOnly: true,
    inputSchema: { type: 'object', properties: { ms: { type: 'integer' }, label: { type: 'string' } }, required: ['ms', 'label'] },
    run: async input => {
        await new Promise(r => setTimeout(r, input.ms));
        return { content: `echo ${input.label}` };
    }
};

const crashing: Tool<Record<string, never>> = {
    name: 'Crash', description: 'throws a plain error', inputSchema: { type: 'object' },
    run: async () => { throw new TypeError('cannot read properties of undefined'); }
};

const loud: Tool<Record<string, never>> = {
    name: 'Loud', description: 'prints a lot', readOnly: true, inputSchema: { type: 'object' },
    run: async () => ({ content: 'x'.repeat(50_000) + 'THE END' })
};

describe('AgentLoop (real SDK against the scripted model server)', function () {
    this.timeout(20_000);
    let bed: ToolBed;
    let server: ScriptedModelServer | undefined;

    beforeEach(() => { bed = makeToolBed(); });
    afterEach(async () => {
        await server?.close();
        server = undefined;
        bed.cleanup();
    });

    async function loopWith(turns: Turn[], options: Partial<AgentLoopOptions> = {}, extraTools: Tool[] = []): Promise<AgentLoop> {
        server = await startScriptedModelServer(turns);
        const model = new AnthropicModelClient({ apiKey: 'k', baseUrl: server.url, model: 'claude-test', settingsFile: '/nowhere/settings.json', retry: { maxAttempts: 1 } });
        return new AgentLoop({
            sessionId: 'test-session', model, registry: new ToolRegistry([...coreTools(), slowEcho, crashing, loud, ...extraTools]),
            system: [{ type: 'text', text: 'You are a test agent.' }], grants: bed.grants, gate: bed.gate, journal: bed.journal,
            emit: e => bed.events.push(e), ...options
        });
    }

    const run = (loop: AgentLoop, prompt = 'go'): Promise<LoopResult> => loop.run(prompt, bed.controller.signal);

    it('runs read-only calls of one turn together and returns results in the order of the calls', async () => {
        const loop = await loopWith([
            [toolUse('SlowEcho', { ms: 300, label: 'slow' }, 'a'), toolUse('SlowEcho', { ms: 10, label: 'fast' }, 'b'), toolUse('SlowEcho', { ms: 300, label: 'slow2' }, 'c')],
            text('done')
        ]);
        const result = await run(loop);
        expect(result).to.include({ status: 'completed', finalText: 'done' });
        // Run together: the fast call in the middle finishes before the slow one started ahead of it.
        const finishedOrder = bed.eventsOf('tool.finished').map(e => e.toolUseId);
        expect(finishedOrder).to.deep.equal(['b', 'a', 'c']);
        const results = lastBlocks(server!.messageRequests[1].body!);
        expect(results.map(b => [b.tool_use_id, b.content])).to.deep.equal([['a', 'echo slow'], ['b', 'echo fast'], ['c', 'echo slow2']]);
    });

    it('never runs a tool call cut off at max_tokens, and tells the model', async () => {
        const target = bed.at('big.txt');
        const loop = await loopWith([
            response([text('Writing.'), toolUse('Write', { file_path: target, content: 'partial' }, 'w1')], { stopReason: 'max_tokens' }),
            response(text('I was cut'), { stopReason: 'max_tokens' }),
            text('Stopping here.')
        ]);
        const result = await run(loop);
        expect(result.status).to.equal('completed');
        expect(fs.existsSync(target)).to.equal(false);
        const first = lastBlocks(server!.messageRequests[1].body!);
        expect(first[0]).to.include({ type: 'tool_result', tool_use_id: 'w1', is_error: true });
        expect(String(first[1].text)).to.include('cut off at the output token limit').and.include('not run');
        expect(String(lastBlocks(server!.messageRequests[2].body!)[0].text)).to.include('Continue exactly where you stopped');
    });

    it('stops at the turn budget', async () => {
        const loop = await loopWith(Array.from({ length: 5 }, () => toolUse('Glob', { pattern: '*' })), { budget: { maxTurns: 2 } });
        const result = await run(loop);
        expect(result.status).to.equal('budget_exceeded');
        expect(result.reason).to.include('2 turns');
        expect(server!.messageRequests).to.have.length(2);
    });

    it('ends as refused on a refusal, and fails clearly on an unknown stop reason', async () => {
        const refused = await loopWith([response(text('I cannot help with that.'), { stopReason: 'refusal' })]);
        expect((await run(refused)).status).to.equal('refused');
        await server!.close();
        const odd = await loopWith([response(text('?'), { stopReason: 'model_context_window_exceeded_v9' })]);
        const result = await run(odd);
        expect(result.status).to.equal('failed');
        expect(bed.eventsOf('warning')[0].message).to.include('model_context_window_exceeded_v9');
    });

    it('fails with the API error as a message, not a stack trace', async () => {
        const loop = await loopWith([errors.unauthorized()]);
        const result = await run(loop);
        expect(result.status).to.equal('failed');
        expect(bed.eventsOf('error')[0].message).to.not.match(/\n\s+at /);
        expect(result.reason).to.equal(bed.eventsOf('error')[0].message);
    });

    it('turns a crashing tool and an over-long output into results the model can use', async () => {
        const loop = await loopWith([[toolUse('Crash', {}, 'c1'), toolUse('Loud', {}, 'l1')], text('ok')]);
        await run(loop);
        const [crash, big] = lastBlocks(server!.messageRequests[1].body!);
        expect(crash).to.include({ is_error: true, content: 'Crash failed: cannot read properties of undefined' });
        expect(String(big.content).length).to.be.below(31_000);
        expect(String(big.content)).to.include('THE END').and.include('left out');
        const finished = bed.eventsOf('tool.finished').find(e => e.toolUseId === 'l1')!;
        expect(finished.fullResult).to.have.length(50_007);
    });

    it('delivers a steering message at the next turn boundary, after the tool results', async () => {
        let loop: AgentLoop | undefined;
        const steerable: Tool = { ...slowEcho, name: 'Steerable', run: async () => { loop!.steer('use the blue folder'); return { content: 'ran' }; } };
        loop = await loopWith([toolUse('Steerable', { ms: 0, label: 'x' }, 's1'), text('Switching to blue.')], {}, [steerable]);
        await run(loop);
        const blocks = lastBlocks(server!.messageRequests[1].body!);
        expect(blocks.map(b => b.type)).to.deep.equal(['tool_result', 'text']);
        expect(blocks[1].text).to.equal('use the blue folder');
        expect(bed.eventsOf('user.message')[0]).to.include({ text: 'use the blue folder', steering: true });
    });

    it('keeps going when a steering message arrives as the model ends its turn', async () => {
        let loop: AgentLoop;
        loop = await loopWith([
            async () => {
                loop.steer('one more thing');
                return text('Finished.');
            },
            text('Did the one more thing.')
        ]);
        const result = await run(loop);
        expect(result.finalText).to.equal('Did the one more thing.');
        expect(server!.messageRequests).to.have.length(2);
    });

    it('lets hooks block a call, add context to a result, and continue the task at the end', async () => {
        let stops = 0;
        const loop = await loopWith([
            [toolUse('Write', { file_path: bed.at('blocked.txt'), content: 'x' }, 'w'), toolUse('Glob', { pattern: '*' }, 'g')],
            text('first end'),
            text('second end')
        ], {
            hooks: {
                preToolUse: async name => (name === 'Write' ? { block: 'no writing on Fridays' } : undefined),
                postToolUse: async name => (name === 'Glob' ? { additionalContext: 'NOTE: also check the archive' } : undefined),
                stop: async () => (stops++ === 0 ? { continueWith: 'check your work' } : undefined)
            }
        });
        const result = await run(loop);
        expect(result.finalText).to.equal('second end');
        expect(fs.existsSync(bed.at('blocked.txt'))).to.equal(false);
        const [w, g] = lastBlocks(server!.messageRequests[1].body!);
        expect(w).to.include({ is_error: true, content: 'Blocked by a hook: no writing on Fridays' });
        expect(String(g.content)).to.match(/NOTE: also check the archive$/);
        expect(lastBlocks(server!.messageRequests[2].body!)).to.deep.equal([{ type: 'text', text: 'check your work', cache_control: { type: 'ephemeral' } }]);
    });

    it('offers only the allowed tools for the whole run of a narrowed prompt', async () => {
        const loop = await loopWith([
            toolUse('Write', { file_path: bed.at('x.txt'), content: 'x' }, 'w'),
            toolUse('Write', { file_path: bed.at('y.txt'), content: 'y' }, 'w2'),
            text('done')
        ], { allowedTools: ['Read', 'Glob'] });
        await run(loop);
        const toolNames = (i: number) => (server!.messageRequests[i].body!.tools ?? []).map(t => t.name);
        expect(toolNames(0)).to.deep.equal(['Read', 'Glob']);
        expect(toolNames(1)).to.deep.equal(['Read', 'Glob']);
        for (const i of [1, 2]) {
            expect(lastBlocks(server!.messageRequests[i].body!)[0]).to.include({ is_error: true });
            expect(String(lastBlocks(server!.messageRequests[i].body!)[0].content)).to.include('not allowed for this command');
        }
        expect(fs.existsSync(bed.at('x.txt'))).to.equal(false);
        expect(fs.existsSync(bed.at('y.txt'))).to.equal(false);
    });

    it('stops cleanly when cancelled while a permission question is open, deleting nothing', async () => {
        fs.writeFileSync(bed.at('keep.txt'), 'keep');
        const loop = await loopWith([toolUse('Delete', { paths: [bed.at('keep.txt')] }), text('never')]);
        // The user never answers; the question ends with the task.
        bed.ask = (_req, signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('closed'))));
        setTimeout(() => bed.controller.abort(), 300);
        const result = await run(loop);
        expect(result.status).to.equal('cancelled');
        expect(fs.readFileSync(bed.at('keep.txt'), 'utf8')).to.equal('keep');
        expect(bed.eventsOf('permission.resolved')[0]).to.include({ allowed: false, by: 'cancelled' });
        expect(server!.messageRequests).to.have.length(1);
    });
});
