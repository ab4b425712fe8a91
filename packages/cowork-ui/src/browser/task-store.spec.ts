import '@theia/core/shared/reflect-metadata';
import { expect } from 'chai';
import { Container } from '@theia/core/shared/inversify';
import type { AgentEvent, AgentEventBody } from '@cowork/agent/lib/src/events';
import { CoworkService, SequencedEvent, SessionSummary } from '../common/cowork-protocol';
import { CoworkClientImpl } from './cowork-client-impl';
import { TaskStore } from './task-store';

const ev = (sessionId: string, body: AgentEventBody): AgentEvent => ({ ...body, sessionId, time: '2026-01-01T00:00:00Z' } as AgentEvent);
const delta = (sid: string, text: string) => ev(sid, { type: 'text.delta', text });

/** The backend as the store sees it: logs held in memory, answers like the real service. */
class LogBackedService {
    logs = new Map<string, AgentEvent[]>();
    summaries: SessionSummary[] = [];
    /** Lets a test deliver live events while readEvents is in flight. */
    beforeReadReturns: (() => void) | undefined;
    async readEvents(id: string): Promise<AgentEvent[]> {
        const events = [...(this.logs.get(id) ?? [])];
        this.beforeReadReturns?.();
        return events;
    }
    async listSessions(): Promise<SessionSummary[]> { return this.summaries; }
    async getStatus() { return { configured: true, apiKeySource: 'environment', model: 'm', baseUrl: 'u', settingsFile: 'f', dataDir: 'd' }; }
    async pendingPermissions() { return []; }
}

function setup(): { store: TaskStore; client: CoworkClientImpl; service: LogBackedService } {
    const container = new Container();
    const service = new LogBackedService();
    container.bind(CoworkService).toConstantValue(service as unknown as CoworkService);
    container.bind(CoworkClientImpl).toSelf().inSingletonScope();
    container.bind(TaskStore).toSelf().inSingletonScope();
    return { store: container.get(TaskStore), client: container.get(CoworkClientImpl), service };
}

describe('task store (frontend picture of the tasks)', () => {
    it('follows a task from its first live event', () => {
        const { store, client } = setup();
        const changed: string[] = [];
        store.onDidChangeTask(id => changed.push(id));
        client.onEvents([{ seq: 0, event: ev('a', { type: 'task.started', prompt: 'p', grants: [], model: 'm' }) }, { seq: 1, event: delta('a', 'hi') }]);
        expect(store.view('a')!.main.items).to.deep.equal([{ kind: 'text', text: 'hi' }]);
        expect(changed).to.deep.equal(['a']);
        // A task already under way that this window never loaded is not guessed at from the middle.
        client.onEvents([{ seq: 5, event: delta('b', 'x') }]);
        expect(store.view('b')).to.equal(undefined);
    });

    it('loads a log once and applies only the live events it does not already hold', async () => {
        const { store, client, service } = setup();
        service.logs.set('a', [ev('a', { type: 'task.started', prompt: 'p', grants: [], model: 'm' }), delta('a', 'one ')]);
        // Events 1 (already in the log) and 2 (new) arrive while the log is being read.
        service.beforeReadReturns = () => client.onEvents([{ seq: 1, event: delta('a', 'one ') }, { seq: 2, event: delta('a', 'two') }]);
        const view = await store.load('a');
        expect(view.main.items).to.deep.equal([{ kind: 'text', text: 'one two' }]);
        client.onEvents([{ seq: 2, event: delta('a', 'two') }, { seq: 3, event: delta('a', '!') }] as SequencedEvent[]);
        expect(view.main.items).to.deep.equal([{ kind: 'text', text: 'one two!' }]);
        expect(view.eventCount).to.equal(4);
    });

    it('keeps the questions waiting for an answer until they are settled', () => {
        const { store, client } = setup();
        const q = { sessionId: 'a', requestId: 'r1', tool: 'Delete', action: 'delete', paths: ['/w/x'] };
        client.onPermissionRequested(q);
        client.onPermissionRequested({ ...q, sessionId: 'b', requestId: 'r2' });
        expect(store.pendingFor('a')).to.deep.equal([q]);
        client.onPermissionSettled('r1');
        expect(store.pending.map(p => p.requestId)).to.deep.equal(['r2']);
    });

    it('knows which tasks run here from the session list', async () => {
        const { store, service } = setup();
        service.summaries = [{ id: 'a', prompt: 'p', status: 'running', createdAt: '', updatedAt: '', grants: [], live: true },
            { id: 'b', prompt: 'q', status: 'interrupted', createdAt: '', updatedAt: '', grants: [], live: false }];
        await store.initialize();
        expect(store.isLive('a')).to.equal(true);
        expect(store.isLive('b')).to.equal(false);
        expect(store.view('a')).not.to.equal(undefined);
        expect(store.status!.configured).to.equal(true);
    });
});
