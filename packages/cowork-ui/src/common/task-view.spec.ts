import { expect } from 'chai';
import type { AgentEvent, AgentEventBody } from '@cowork/agent/lib/src/events';
import { applyEvent, createTaskView, formatBytes, planProgress, replayEvents, totalUsage } from './task-view';

const SID = 's1';
let clock = 0;
function ev(body: AgentEventBody, agentId?: string): AgentEvent {
    return { ...body, sessionId: SID, time: new Date(1_700_000_000_000 + clock++).toISOString(), ...(agentId ? { agentId } : {}) } as AgentEvent;
}
const usage = (i: number, o: number) => ({ inputTokens: i, outputTokens: o, cacheReadTokens: 0, cacheWriteTokens: 0 });

describe('task view (events → what the panel shows)', () => {
    it('merges streamed text into one block per run of deltas and keeps tool cards between them', () => {
        const view = replayEvents(SID, [
            ev({ type: 'task.started', prompt: 'Tidy', grants: [{ path: '/w', mode: 'rw' }], model: 'm' }),
            ev({ type: 'user.message', text: 'Tidy' }),
            ev({ type: 'text.delta', text: 'Hel' }),
            ev({ type: 'text.delta', text: 'lo' }),
            ev({ type: 'tool.started', toolUseId: 't1', name: 'Read', input: { file_path: '/w/a' } }),
            ev({ type: 'tool.output', toolUseId: 't1', stream: 'stdout', text: 'line\n' }),
            ev({ type: 'tool.finished', toolUseId: 't1', name: 'Read', isError: false, result: 'ok' }),
            ev({ type: 'text.delta', text: 'Done' })
        ]);
        expect(view.prompt).to.equal('Tidy');
        expect(view.main.items.map(i => i.kind)).to.deep.equal(['user', 'text', 'tool', 'text']);
        expect(view.main.items[1]).to.deep.equal({ kind: 'text', text: 'Hello' });
        const card = view.main.items[2];
        expect(card.kind === 'tool' && card.card).to.deep.include({ name: 'Read', output: 'line\n', result: 'ok', running: false, isError: false });
        expect(view.eventCount).to.equal(8);
    });

    it('gives each sub-agent its own lane and keeps the task plan the main agent\'s', () => {
        const view = replayEvents(SID, [
            ev({ type: 'plan.updated', todos: [{ content: 'a', status: 'completed', activeForm: 'A' }, { content: 'b', status: 'in_progress', activeForm: 'Doing b' }] }),
            ev({ type: 'subagent.started', subagentId: 'sub1', description: 'Research', subagentType: 'general' }),
            ev({ type: 'text.delta', text: 'from sub' }, 'sub1'),
            ev({ type: 'plan.updated', todos: [] }, 'sub1'),
            ev({ type: 'subagent.finished', subagentId: 'sub1', status: 'completed', summary: 'found it' })
        ]);
        expect(view.lanes).to.have.length(1);
        expect(view.lanes[0]).to.deep.include({ agentId: 'sub1', description: 'Research', status: 'completed', summary: 'found it' });
        expect(view.lanes[0].items).to.deep.equal([{ kind: 'text', text: 'from sub' }]);
        expect(view.main.items).to.deep.equal([]);
        expect(planProgress(view.plan)).to.deep.equal({ done: 1, total: 2, current: 'Doing b' });
    });

    it('tracks questions until they are answered, and a finished task waits on none', () => {
        const view = createTaskView(SID);
        applyEvent(view, ev({ type: 'permission.requested', requestId: 'r1', tool: 'Delete', action: 'delete', paths: ['/w/a'], sizes: [3] }, 'sub1'));
        applyEvent(view, ev({ type: 'permission.requested', requestId: 'r2', tool: 'Delete', action: 'delete', paths: ['/w/b'] }));
        expect([...view.pending.keys()]).to.deep.equal(['r1', 'r2']);
        expect(view.pending.get('r1')!.agentId).to.equal('sub1');
        applyEvent(view, ev({ type: 'permission.resolved', requestId: 'r1', allowed: true, by: 'user' }, 'sub1'));
        expect([...view.pending.keys()]).to.deep.equal(['r2']);
        const item = view.lanes[0].items[0];
        expect(item.kind === 'permission' && item.outcome).to.deep.equal({ allowed: true, by: 'user' });
        applyEvent(view, ev({ type: 'task.finished', status: 'cancelled', reason: 'stopped by the user' }));
        expect(view.pending.size).to.equal(0);
        expect(view.status).to.equal('cancelled');
        expect(view.lanes[0].status).to.equal('interrupted');
    });

    it('lists changed files and shows errors and retries as notices', () => {
        const view = replayEvents(SID, [
            ev({ type: 'file.changed', path: '/w/a', change: 'deleted', step: 1 }),
            ev({ type: 'file.changed', path: '/w/c', change: 'moved', from: '/w/b', step: 2 }),
            ev({ type: 'model.retry', attempt: 1, status: 529, delayMs: 2000, message: 'overloaded' }),
            ev({ type: 'error', message: 'The API key was rejected' }),
            ev({ type: 'task.finished', status: 'failed', reason: 'The API key was rejected' })
        ]);
        expect(view.files.map(f => [f.path, f.change, f.step])).to.deep.equal([['/w/a', 'deleted', 1], ['/w/c', 'moved', 2]]);
        expect(view.main.items.map(i => i.kind === 'notice' ? i.level : i.kind)).to.deep.equal(['retry', 'error']);
        expect(view.status).to.equal('failed');
        expect(view.reason).to.equal('The API key was rejected');
    });

    it('adds up tokens across agents and across a resumed run', () => {
        const view = replayEvents(SID, [
            ev({ type: 'task.started', prompt: 'p', grants: [], model: 'm' }),
            ev({ type: 'assistant.message', turn: 1, content: [], stopReason: 'tool_use', usage: usage(10, 5) }),
            ev({ type: 'assistant.message', turn: 2, content: [], stopReason: 'end_turn', usage: usage(30, 9) }),
            ev({ type: 'assistant.message', turn: 1, content: [], stopReason: 'end_turn', usage: usage(7, 1) }, 'sub1'),
            ev({ type: 'task.finished', status: 'completed', reason: '' }),
            ev({ type: 'task.started', prompt: 'more', grants: [], model: 'm', resumed: true }),
            ev({ type: 'assistant.message', turn: 1, content: [], stopReason: 'end_turn', usage: usage(100, 2) })
        ]);
        expect(totalUsage(view)).to.deep.equal(usage(137, 12));
        expect(view.prompt).to.equal('p');
        expect(view.status).to.equal('running');
    });

    it('formats sizes for people', () => {
        expect(formatBytes(38)).to.equal('38 B');
        expect(formatBytes(2048)).to.equal('2.0 KB');
        expect(formatBytes(5 * 1024 * 1024)).to.equal('5.0 MB');
        expect(formatBytes(undefined)).to.equal('');
    });
});
