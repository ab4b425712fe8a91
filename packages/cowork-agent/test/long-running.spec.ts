import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import type { AgentEvent } from '../src/events';
import { CoworkRuntime } from '../src/runtime/cowork-runtime';
import type { TaskHandle } from '../src/runtime/task-handle';
import { loadSettings, Settings } from '../src/settings';
import { MessagesRequestBody, response, startScriptedModelServer, text, toolUse, ScriptedModelServer, Turn } from '../src/testing';
import { cliEnv, eventsOf, runCli, startCli, tempPlace } from './cli-harness';

const deny = async () => ({ allowed: false, by: 'no-tty' as const });

/** The text of a request's first user message: tells the main agent from a sub-agent and sub-agents apart. */
function firstUserText(req: MessagesRequestBody): string {
    const c = req.messages[0].content;
    return typeof c === 'string' ? c : c.map(b => (b.type === 'text' ? String(b.text) : '')).join('');
}

function isSubagent(req: MessagesRequestBody): boolean {
    return JSON.stringify(req.system).includes('You are a sub-agent');
}

describe('long-running work (sub-agents, steering, compaction, resume)', function () {
    this.timeout(120_000);
    let place: ReturnType<typeof tempPlace>;
    let server: ScriptedModelServer | undefined;

    beforeEach(() => {
        place = tempPlace();
    });
    afterEach(async () => {
        await server?.close();
        server = undefined;
        place.cleanup();
    });

    async function runtimeWith(fallback: Turn, overrides: Partial<Settings> = {}): Promise<CoworkRuntime> {
        server = await startScriptedModelServer([], { fallback });
        const settings = { ...loadSettings({ COWORK_DATA_DIR: place.data, ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: server.url }), ...overrides };
        return new CoworkRuntime({ dataDir: place.data, settings });
    }

    function collect(handle: TaskHandle): AgentEvent[] {
        const events: AgentEvent[] = [];
        handle.onEvent(e => events.push(e));
        return events;
    }

    it('runs four sub-agents in parallel, each in its own lane', async () => {
        const runtime = await runtimeWith(req => {
            if (isSubagent(req)) {
                const n = /workstream (\d)/.exec(firstUserText(req))![1];
                return response(text(`Workstream ${n} done.`), { delayMs: 700 });
            }
            if (req.messages.length === 1) {
                return [1, 2, 3, 4].map(n => toolUse('Task', { description: `part ${n}`, prompt: `Do workstream ${n}`, subagent_type: 'general-purpose' }));
            }
            return text('All four parts are done.');
        }, { concurrency: 4 });
        const handle = runtime.startTask({ prompt: 'Do four things', grants: [{ path: place.folder, mode: 'rw' }], asker: deny });
        const events = collect(handle);
        const outcome = await handle.done;
        expect(outcome.status).to.equal('completed');
        const started = eventsOf(events, 'subagent.started');
        const finished = eventsOf(events, 'subagent.finished');
        expect(started).to.have.length(4);
        expect(finished.map(f => f.status)).to.deep.equal(['completed', 'completed', 'completed', 'completed']);
        // They overlapped: every sub-agent started before any finished.
        const lastStart = Math.max(...events.filter(e => e.type === 'turn.started' && e.agentId).map(e => Date.parse(e.time)));
        const firstFinish = Math.min(...finished.map(e => Date.parse(e.time)));
        expect(lastStart).to.be.at.most(firstFinish);
        // Each lane's events carry its id and its parent.
        const lanes = new Set(events.filter(e => e.agentId).map(e => `${e.agentId}<${e.parentId}`));
        expect([...lanes].sort()).to.deep.equal(['agent-1<main', 'agent-2<main', 'agent-3<main', 'agent-4<main']);
        const toolResults = JSON.stringify(server!.messageRequests[server!.messageRequests.length - 1].body!.messages.slice(-1));
        for (const n of [1, 2, 3, 4]) {
            expect(toolResults).to.include(`Workstream ${n} done.`);
        }
    });

    it('queues sub-agents beyond the concurrency limit', async () => {
        const runtime = await runtimeWith(req => {
            if (isSubagent(req)) {
                return response(text('ok'), { delayMs: 300 });
            }
            return req.messages.length === 1 ? [1, 2, 3].map(n => toolUse('Task', { description: `p${n}`, prompt: `workstream ${n}` })) : text('done');
        }, { concurrency: 1 });
        const handle = runtime.startTask({ prompt: 'three', grants: [{ path: place.folder, mode: 'rw' }], asker: deny });
        const events = collect(handle);
        expect((await handle.done).status).to.equal('completed');
        // With one slot, each sub-agent's first turn starts only after the previous one finished.
        const order = events.filter(e => (e.type === 'turn.started' && e.agentId) || e.type === 'subagent.finished').map(e => `${e.type}:${e.agentId}`);
        expect(order).to.deep.equal([
            'turn.started:agent-1', 'subagent.finished:agent-1', 'turn.started:agent-2', 'subagent.finished:agent-2', 'turn.started:agent-3', 'subagent.finished:agent-3'
        ]);
    });

    it('cancels one sub-agent while the others finish, and tells the parent', async () => {
        const runtime = await runtimeWith(req => {
            if (isSubagent(req)) {
                const slow = firstUserText(req).includes('slow');
                return response(text(slow ? 'never' : 'quick one done'), { delayMs: slow ? 30_000 : 400 });
            }
            if (req.messages.length === 1) {
                return [toolUse('Task', { description: 'slow', prompt: 'the slow workstream' }), toolUse('Task', { description: 'a', prompt: 'quick a' }), toolUse('Task', { description: 'b', prompt: 'quick b' })];
            }
            return text('Two of three done.');
        });
        const handle = runtime.startTask({ prompt: 'three things', grants: [{ path: place.folder, mode: 'rw' }], asker: deny });
        const events: AgentEvent[] = [];
        handle.onEvent(e => {
            events.push(e);
            if (e.type === 'subagent.started' && e.description === 'slow') {
                setTimeout(() => expect(handle.cancelAgent(e.subagentId)).to.equal(true), 100);
            }
        });
        expect((await handle.done).status).to.equal('completed');
        const finished = eventsOf(events, 'subagent.finished');
        expect(finished.find(f => f.subagentId === 'agent-1')!.status).to.equal('cancelled');
        expect(finished.filter(f => f.status === 'completed')).to.have.length(2);
        const last = server!.messageRequests[server!.messageRequests.length - 1].body!;
        const results = JSON.stringify(last.messages[last.messages.length - 1].content);
        expect(results).to.include('did not finish: cancelled');
        expect(results).to.include('quick one done');
    });

    it('delivers a steering message at the next turn boundary and changes course', async () => {
        const runtime = await runtimeWith((req, ctx) => {
            if (req.messages.length === 1) {
                return response(toolUse('Glob', { pattern: '*' }), { delayMs: 300 });
            }
            if (ctx.lastUserText.includes('call it b.txt')) {
                return toolUse('Write', { file_path: path.join(place.folder, 'b.txt'), content: 'steered' });
            }
            if (ctx.toolResults.some(r => r.text.startsWith('Created'))) {
                return text('Done.');
            }
            return toolUse('Write', { file_path: path.join(place.folder, 'a.txt'), content: 'original plan' });
        });
        const handle = runtime.startTask({ prompt: 'write a file', grants: [{ path: place.folder, mode: 'rw' }], asker: deny });
        const events = collect(handle);
        setTimeout(() => handle.steer('Actually, call it b.txt'), 100);
        expect((await handle.done).status).to.equal('completed');
        expect(fs.existsSync(path.join(place.folder, 'a.txt'))).to.equal(false);
        expect(fs.readFileSync(path.join(place.folder, 'b.txt'), 'utf8')).to.equal('steered');
        expect(eventsOf(events, 'user.message').find(e => e.steering)!.text).to.equal('Actually, call it b.txt');
    });

    it('takes steering and a stop from another terminal (cowork steer / cowork stop)', async () => {
        server = await startScriptedModelServer([], {
            fallback: (req, ctx) => {
                if (ctx.lastUserText.includes('call it c.txt')) {
                    return toolUse('Write', { file_path: path.join(place.folder, 'c.txt'), content: 'from another terminal' });
                }
                if (ctx.toolResults.some(r => r.text.startsWith('Created'))) {
                    return response(text('Waiting for more.'), { delayMs: 30_000 });
                }
                return response(toolUse('Glob', { pattern: '*' }), { delayMs: 1500 });
            }
        });
        const env = cliEnv(server.url, place.data);
        const cli = startCli(['run', '--json', '--folder', place.folder, 'write something'], env);
        let stopped = false;
        cli.onEvent(e => {
            if (e.type === 'task.started') {
                void runCli(['steer', e.sessionId, 'Actually, call it c.txt'], env);
            }
            if (e.type === 'file.changed' && !stopped) {
                stopped = true;
                void runCli(['stop', e.sessionId], env);
            }
        });
        const run = await cli.result;
        expect(fs.readFileSync(path.join(place.folder, 'c.txt'), 'utf8')).to.equal('from another terminal');
        expect(eventsOf(run.events, 'user.message').find(e => e.steering)!.text).to.equal('Actually, call it c.txt');
        expect(run.events[run.events.length - 1]).to.include({ type: 'task.finished', status: 'cancelled' });
        expect(run.code).to.equal(130);
    });

    it('compacts when the window fills up and the task still completes correctly', async () => {
        const big = 'x'.repeat(3000);
        for (let i = 1; i <= 12; i++) {
            fs.writeFileSync(path.join(place.folder, `part${i}.txt`), `value ${i}\n${big}\n`);
        }
        const runtime = await runtimeWith((req, ctx) => {
            if (ctx.lastUserText.includes('Context is running out')) {
                const seen = JSON.stringify(req.messages).match(/value \d+/g) ?? [];
                return text(`Read so far: ${[...new Set(seen)].join(', ')}. Next: keep reading parts in order, then write total.txt.`);
            }
            const reads = (req.messages.length - 1) / 2;
            const all = JSON.stringify(req.messages);
            const next = [...Array(12).keys()].map(i => i + 1).find(i => !all.includes(`value ${i}\\n`) && !all.includes(`value ${i},`) && !all.includes(`value ${i}.`));
            if (next !== undefined && reads < 40) {
                return toolUse('Read', { file_path: path.join(place.folder, `part${next}.txt`) });
            }
            if (!all.includes('total.txt (')) {
                return toolUse('Write', { file_path: path.join(place.folder, 'total.txt'), content: 'read all 12 parts' });
            }
            return text('Done.');
        }, { contextWindow: 6000, compactAt: 0.6 });
        const handle = runtime.startTask({ prompt: 'Read every part and write total.txt', grants: [{ path: place.folder, mode: 'rw' }], asker: deny });
        const events = collect(handle);
        const outcome = await handle.done;
        expect(outcome.status, outcome.reason).to.equal('completed');
        expect(fs.readFileSync(path.join(place.folder, 'total.txt'), 'utf8')).to.equal('read all 12 parts');
        const compactions = eventsOf(events, 'compaction');
        expect(compactions.length).to.be.greaterThan(0);
        expect(compactions[0].summary).to.include('Read so far: value 1');
        // After a compaction the request starts with the summary.
        const after = server!.messageRequests.filter(r => JSON.stringify(r.body!.messages[0]).includes('<summary>'));
        expect(after.length).to.be.greaterThan(0);
        // Resuming rebuilds the compacted conversation, not the whole one.
        const { historyFromEvents } = await import('../src/session/history');
        const rebuilt = historyFromEvents(runtime.readEvents(handle.sessionId));
        expect(JSON.stringify(rebuilt[0])).to.include('<summary>');
    });

    it('completes a 500-turn task, with compaction keeping requests bounded', async () => {
        const runtime = await runtimeWith((req, ctx) => {
            if (ctx.lastUserText.includes('Context is running out')) {
                return text('Still counting TodoWrite turns.');
            }
            return ctx.requests.filter(r => r.path === '/v1/messages').length >= 520
                ? text('Finished all turns.')
                : toolUse('TodoWrite', { todos: [{ content: 'Count', status: 'in_progress', activeForm: 'Counting' }] });
        }, { contextWindow: 20000, compactAt: 0.5 });
        const handle = runtime.startTask({ prompt: 'count', grants: [{ path: place.folder, mode: 'rw' }], asker: deny, budget: { maxTurns: 600 } });
        const events = collect(handle);
        const outcome = await handle.done;
        expect(outcome.status, outcome.reason).to.equal('completed');
        expect(eventsOf(events, 'turn.started').filter(e => !e.agentId).length).to.be.greaterThan(490);
        const sizes = server!.messageRequests.map(r => r.rawBody.length);
        expect(Math.max(...sizes.slice(-100))).to.be.lessThan(20000 * 4);
    });

    it('catches two sub-agents writing the same file', async () => {
        const target = path.join(place.folder, 'summary.md');
        const runtime = await runtimeWith((req, ctx) => {
            if (isSubagent(req)) {
                const who = firstUserText(req).includes('first') ? 'first' : 'second';
                if (req.messages.length === 1) {
                    return response(toolUse('Write', { file_path: target, content: `by ${who}` }), { delayMs: who === 'first' ? 0 : 300 });
                }
                return text(`${who}: ${ctx.toolResults[0].text}`);
            }
            return req.messages.length === 1
                ? [toolUse('Task', { description: 'one', prompt: 'the first writer' }), toolUse('Task', { description: 'two', prompt: 'the second writer' })]
                : text('checked');
        });
        const handle = runtime.startTask({ prompt: 'two writers', grants: [{ path: place.folder, mode: 'rw' }], asker: deny });
        const events = collect(handle);
        expect((await handle.done).status).to.equal('completed');
        expect(fs.readFileSync(target, 'utf8')).to.equal('by first');
        const warning = eventsOf(events, 'warning').find(w => w.message.includes('Conflict'));
        expect(warning, 'a conflict warning').to.not.equal(undefined);
        expect(warning!.agentId).to.equal('agent-2');
        const failed = eventsOf(events, 'tool.finished').find(e => e.agentId === 'agent-2' && e.name === 'Write')!;
        expect(failed.isError).to.equal(true);
        expect(failed.result).to.include('already changed in this task by sub-agent agent-1');
    });

    it('after kill -9 mid-task, lists it as interrupted and resume completes without repeating a write', async () => {
        const a = path.join(place.folder, 'a.txt');
        const b = path.join(place.folder, 'b.txt');
        server = await startScriptedModelServer([], {
            fallback: (req, ctx) => {
                const all = JSON.stringify(req.messages);
                if (!all.includes('Created ' + a)) {
                    return all.includes('"name":"Write"') ? text('confused: the first write is missing') : toolUse('Write', { file_path: a, content: 'once' });
                }
                if (!all.includes('Created ' + b)) {
                    // Before the crash this answer never arrives; after resume it comes at once.
                    return response(toolUse('Write', { file_path: b, content: 'second' }), { delayMs: ctx.lastUserText.includes('carry on') ? 0 : 30_000 });
                }
                return text('Both written.');
            }
        });
        const env = cliEnv(server.url, place.data);
        const cli = startCli(['run', '--json', '--folder', place.folder, 'write a then b'], env);
        cli.onEvent(e => {
            if (e.type === 'file.changed') {
                setTimeout(() => cli.child.kill('SIGKILL'), 100);
            }
        });
        const crashed = await cli.result;
        expect(crashed.signal).to.equal('SIGKILL');
        const id = crashed.events[0].sessionId;
        const listed = JSON.parse((await runCli(['sessions', '--json'], env)).stdout);
        expect(listed[0]).to.include({ id, status: 'interrupted' });
        const resumed = await runCli(['resume', '--json', id, 'carry on'], env);
        expect(resumed.code, resumed.stderr).to.equal(0);
        expect(fs.readFileSync(a, 'utf8')).to.equal('once');
        expect(fs.readFileSync(b, 'utf8')).to.equal('second');
        const journal = fs.readFileSync(path.join(place.data, 'sessions', id, 'journal', 'entries.jsonl'), 'utf8').trim().split('\n').map(l => JSON.parse(l));
        expect(journal.filter(e => e.path === fs.realpathSync(a))).to.have.length(1);
    });
});
