import '@theia/core/shared/reflect-metadata';
import { expect } from 'chai';
import { PermissionBroker } from './permission-broker';

const request = { tool: 'Delete', action: 'delete', paths: ['/w/a'], sizes: [1], requestId: 'r1' };

describe('permission broker (agent questions → open windows)', () => {
    it('waits for the answer of a window and says the question is settled', async () => {
        const broker = new PermissionBroker();
        const asked: string[] = [];
        const settled: string[] = [];
        broker.onRequested(r => asked.push(`${r.sessionId}/${r.requestId}`));
        broker.onSettled(id => settled.push(id));
        const answer = broker.askerFor(() => 's1')(request, new AbortController().signal);
        expect(asked).to.deep.equal(['s1/r1']);
        expect(broker.pending().map(p => p.requestId)).to.deep.equal(['r1']);
        broker.answer('r1', { allowed: true, remember: true });
        expect(await answer).to.deep.equal({ allowed: true, remember: true, by: 'user' });
        expect(settled).to.deep.equal(['r1']);
        expect(broker.pending()).to.deep.equal([]);
    });

    it('refuses a second answer with a readable error', async () => {
        const broker = new PermissionBroker();
        const answer = broker.askerFor(() => 's1')(request, new AbortController().signal);
        broker.answer('r1', { allowed: false, remember: false });
        expect((await answer).allowed).to.equal(false);
        expect(() => broker.answer('r1', { allowed: true, remember: false })).to.throw('already answered');
    });

    it('denies as cancelled when the task stops while it waits', async () => {
        const broker = new PermissionBroker();
        const controller = new AbortController();
        const answer = broker.askerFor(() => 's1')(request, controller.signal);
        controller.abort();
        expect(await answer).to.deep.equal({ allowed: false, by: 'cancelled' });
        const second = broker.askerFor(() => 's2')({ ...request, requestId: 'r2' }, new AbortController().signal);
        broker.cancelSession('s2');
        expect(await second).to.deep.equal({ allowed: false, by: 'cancelled' });
    });
});
