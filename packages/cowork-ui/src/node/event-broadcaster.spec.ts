import '@theia/core/shared/reflect-metadata';
import { expect } from 'chai';
import type { AgentEvent } from '@cowork/agent/lib/src/events';
import type { CoworkClient, SequencedEvent } from '../common/cowork-protocol';
import { EventBroadcaster } from './event-broadcaster';

function recorder(): CoworkClient & { batches: SequencedEvent[][]; sessions: number } {
    const r = {
        batches: [] as SequencedEvent[][], sessions: 0,
        onEvents(events: SequencedEvent[]) { r.batches.push(events); },
        onSessionsChanged() { r.sessions++; },
        onPermissionRequested() { /* not used here */ },
        onPermissionSettled() { /* not used here */ }
    };
    return r;
}

const delta = (i: number): AgentEvent => ({ type: 'text.delta', text: String(i), sessionId: 's', time: '' });

describe('event broadcaster (backend → every window)', () => {
    it('sends events in order, in batches, to every window, past one that fails', async () => {
        const b = new EventBroadcaster();
        const one = recorder();
        const two = recorder();
        b.add({ ...recorder(), onEvents: () => { throw new Error('window gone'); } });
        b.add(one);
        b.add(two);
        for (let i = 0; i < 2500; i++) {
            b.event(i, delta(i));
        }
        await new Promise(resolve => setTimeout(resolve, 50));
        for (const r of [one, two]) {
            const seqs = r.batches.flat().map(e => e.seq);
            expect(seqs).to.have.length(2500);
            expect(seqs.every((s, i) => s === i)).to.equal(true);
            expect(r.batches.length).to.be.lessThan(10);
        }
    });

    it('flushes pending events before telling of a permission question', () => {
        const b = new EventBroadcaster();
        const order: string[] = [];
        b.add({
            onEvents: e => order.push(`events:${e.length}`), onSessionsChanged: () => order.push('sessions'),
            onPermissionRequested: r => order.push(`ask:${r.requestId}`), onPermissionSettled: id => order.push(`settled:${id}`)
        });
        b.event(0, delta(0));
        b.permissionRequested({ sessionId: 's', requestId: 'r', tool: 'Delete', action: 'delete', paths: [] });
        b.remove({} as CoworkClient);
        b.sessionsChanged();
        expect(order).to.deep.equal(['events:1', 'ask:r', 'sessions']);
    });
});
