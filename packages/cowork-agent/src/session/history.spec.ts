import { expect } from 'chai';
import type { AgentEvent, AgentEventBody } from '../events';
import { historyFromEvents, INTERRUPTED_RESULT } from './history';

const usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
const e = (body: AgentEventBody, agentId?: string): AgentEvent => ({ ...body, sessionId: 's', time: 't', ...(agentId ? { agentId } : {}) } as AgentEvent);
const user = (text: string, steering?: boolean) => e({ type: 'user.message', text, steering });
const assistant = (content: unknown[], turn = 1) => e({ type: 'assistant.message', turn, content, stopReason: null, usage });
const toolUse = (id: string, name = 'Read', input: unknown = {}) => ({ type: 'tool_use', id, name, input });
const finished = (id: string, result: string, isError = false) => e({ type: 'tool.finished', toolUseId: id, name: 'Read', isError, result });

describe('historyFromEvents', () => {
    it('rebuilds the conversation: prompt, tool calls with their results, final answer', () => {
        const history = historyFromEvents([
            e({ type: 'task.started', prompt: 'p', grants: [], model: 'm' }),
            user('summarise notes.txt'),
            e({ type: 'turn.started', turn: 1 }),
            e({ type: 'text.delta', text: 'Let me' }),
            assistant([{ type: 'text', text: 'Let me read it.' }, toolUse('t1')]),
            e({ type: 'tool.started', toolUseId: 't1', name: 'Read', input: {} }),
            finished('t1', 'alpha', false),
            assistant([{ type: 'text', text: 'It says alpha.' }], 2),
            e({ type: 'task.finished', status: 'completed', reason: 'done' })
        ]);
        expect(history).to.deep.equal([
            { role: 'user', content: [{ type: 'text', text: 'summarise notes.txt' }] },
            { role: 'assistant', content: [{ type: 'text', text: 'Let me read it.' }, toolUse('t1')] },
            { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'alpha', is_error: undefined }] },
            { role: 'assistant', content: [{ type: 'text', text: 'It says alpha.' }] }
        ]);
    });

    it('turns a tool call that never finished into an error result saying it was interrupted', () => {
        const history = historyFromEvents([
            user('rename the photos'),
            assistant([toolUse('t1', 'Read'), toolUse('t2', 'Move')]),
            finished('t1', 'ok'),
            e({ type: 'tool.started', toolUseId: 't2', name: 'Move', input: {} })
        ]);
        const last = history[history.length - 1];
        expect(last.role).to.equal('user');
        expect(last.content).to.deep.equal([
            { type: 'tool_result', tool_use_id: 't1', content: 'ok', is_error: undefined },
            { type: 'tool_result', tool_use_id: 't2', content: INTERRUPTED_RESULT, is_error: true }
        ]);
        expect(INTERRUPTED_RESULT).to.match(/interrupted/i);
    });

    it('puts the interrupted result before the message that resumes the task, in one user turn', () => {
        const history = historyFromEvents([
            user('first'),
            assistant([toolUse('t1')]),
            e({ type: 'task.finished', status: 'interrupted', reason: 'crash' }),
            e({ type: 'task.started', prompt: 'go on', grants: [], model: 'm', resumed: true }),
            user('go on')
        ]);
        expect(history.map(m => m.role)).to.deep.equal(['user', 'assistant', 'user']);
        expect(history[2].content).to.deep.equal([
            { type: 'tool_result', tool_use_id: 't1', content: INTERRUPTED_RESULT, is_error: true },
            { type: 'text', text: 'go on' }
        ]);
    });

    it('keeps steering messages, after the tool results of their turn', () => {
        const history = historyFromEvents([
            user('do it'),
            assistant([toolUse('t1')]),
            finished('t1', 'failed badly', true),
            user('use the other folder', true),
            assistant([{ type: 'text', text: 'OK' }], 2)
        ]);
        expect(history[2]).to.deep.equal({
            role: 'user', content: [
                { type: 'tool_result', tool_use_id: 't1', content: 'failed badly', is_error: true },
                { type: 'text', text: 'use the other folder' }
            ]
        });
        expect(history).to.have.length(4);
    });

    it('leaves out the events of sub-agents', () => {
        const history = historyFromEvents([
            user('main'),
            assistant([toolUse('t1', 'Task')]),
            user('sub prompt', false),
            e({ type: 'assistant.message', turn: 1, content: [toolUse('s1')], stopReason: 'tool_use', usage }, 'sub-1'),
            e({ type: 'tool.finished', toolUseId: 's1', name: 'Read', isError: false, result: 'x' }, 'sub-1'),
            finished('t1', 'sub-agent summary')
        ].map((ev, i) => (i === 2 ? { ...ev, agentId: 'sub-1' } : ev)));
        expect(history).to.have.length(3);
        expect(JSON.stringify(history)).to.not.include('sub prompt');
        expect(history[2].content).to.deep.equal([{ type: 'tool_result', tool_use_id: 't1', content: 'sub-agent summary', is_error: undefined }]);
    });

    it('replaces what a compaction summarised with its summary, keeping the kept tail', () => {
        const history = historyFromEvents([
            user('long task'),
            assistant([toolUse('t1')]),
            finished('t1', 'r1'),
            assistant([toolUse('t2')], 2),
            finished('t2', 'r2'),
            e({ type: 'compaction', summarizedTurns: 1, beforeTokens: 100, afterTokens: 10, summary: 'SUMMARY', keptMessages: 2 }),
            assistant([{ type: 'text', text: 'done' }], 3)
        ]);
        expect(history[0]).to.deep.equal({ role: 'user', content: [{ type: 'text', text: 'SUMMARY' }] });
        expect(history.slice(1).map(m => m.role)).to.deep.equal(['assistant', 'user', 'assistant']);
        expect(JSON.stringify(history)).to.not.include('long task');
        expect(JSON.stringify(history[2])).to.include('r2');
    });
});
