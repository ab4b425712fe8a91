import { expect } from 'chai';
import type { AgentEventBody } from '../events';
import { PermissionAnswer, PermissionAsker, PermissionGate, PermissionRequest } from './permission-gate';
import { PermissionPolicy, PolicyRule } from './permission-policy';

type Asked = PermissionRequest & { requestId: string };

function setup(rules: PolicyRule[], answer: (req: Asked, signal: AbortSignal) => Promise<PermissionAnswer>) {
    const events: { event: AgentEventBody; agentId?: string }[] = [];
    const asked: Asked[] = [];
    const asker: PermissionAsker = (req, signal) => {
        asked.push(req);
        return answer(req, signal);
    };
    const gate = new PermissionGate(new PermissionPolicy(rules), asker, (event, agentId) => events.push({ event, agentId }));
    return { gate, events, asked, types: () => events.map(e => e.event.type) };
}

const del = (paths = ['/w/a.txt']): PermissionRequest => ({ tool: 'Delete', action: 'delete', paths, sizes: paths.map(() => 10) });

describe('PermissionGate', () => {
    it('lets allowed actions through without a question or an event', async () => {
        const t = setup([], async () => ({ allowed: false, by: 'user' }));
        expect(await t.gate.request({ tool: 'Write', action: 'create', paths: ['/w/a'] }, new AbortController().signal)).to.equal(true);
        expect(t.asked).to.have.length(0);
        expect(t.events).to.have.length(0);
    });

    it('denies by policy without asking, and says so in events', async () => {
        const t = setup([{ tool: 'Delete', decision: 'deny' }], async () => ({ allowed: true, by: 'user' }));
        expect(await t.gate.request(del(), new AbortController().signal)).to.equal(false);
        expect(t.asked).to.have.length(0);
        expect(t.types()).to.deep.equal(['permission.requested', 'permission.resolved']);
        expect(t.events[1].event).to.include({ allowed: false, by: 'policy' });
    });

    it('asks, with paths and sizes, and reports the answer under the same request id', async () => {
        const t = setup([], async () => ({ allowed: true, by: 'user' }));
        const allowed = await t.gate.request({ ...del(['/w/a', '/w/b']), reason: 'cleanup', agentId: 'sub-1' }, new AbortController().signal);
        expect(allowed).to.equal(true);
        expect(t.asked).to.have.length(1);
        expect(t.asked[0]).to.deep.include({ tool: 'Delete', action: 'delete', paths: ['/w/a', '/w/b'], sizes: [10, 10], reason: 'cleanup' });
        const [requested, resolved] = t.events;
        expect(requested.event).to.deep.include({ type: 'permission.requested', requestId: t.asked[0].requestId, paths: ['/w/a', '/w/b'], sizes: [10, 10] });
        expect(resolved.event).to.deep.include({ type: 'permission.resolved', requestId: t.asked[0].requestId, allowed: true, by: 'user' });
        expect(requested.agentId).to.equal('sub-1');
        expect(resolved.agentId).to.equal('sub-1');
    });

    it('gives each question its own request id', async () => {
        const t = setup([], async () => ({ allowed: false, by: 'user' }));
        await t.gate.request(del(), new AbortController().signal);
        await t.gate.request(del(), new AbortController().signal);
        expect(t.asked).to.have.length(2);
        expect(t.asked[0].requestId).to.not.equal(t.asked[1].requestId);
    });

    it('remembers an answer for the rest of the task, per tool and action', async () => {
        const t = setup([], async () => ({ allowed: true, remember: true, by: 'user' }));
        const signal = new AbortController().signal;
        expect(await t.gate.request(del(['/w/1']), signal)).to.equal(true);
        expect(await t.gate.request(del(['/w/2']), signal)).to.equal(true);
        expect(t.asked).to.have.length(1);
        const resolved = t.events.filter(e => e.event.type === 'permission.resolved').map(e => e.event);
        expect(resolved[1]).to.include({ allowed: true, by: 'remembered' });
        // Another action, or another tool, is asked again.
        await t.gate.request({ tool: 'Write', action: 'overwrite', paths: ['/w/1'] }, signal);
        await t.gate.request({ tool: 'Bash', action: 'delete', paths: ['/w/1'] }, signal);
        expect(t.asked).to.have.length(3);
    });

    it('remembers a "deny for this task" too', async () => {
        let calls = 0;
        const t = setup([], async () => (calls++ === 0 ? { allowed: false, remember: true, by: 'user' } : { allowed: true, by: 'user' }));
        const signal = new AbortController().signal;
        expect(await t.gate.request(del(), signal)).to.equal(false);
        expect(await t.gate.request(del(), signal)).to.equal(false);
        expect(t.asked).to.have.length(1);
    });

    it('does not remember an answer given without "remember"', async () => {
        const t = setup([], async () => ({ allowed: true, by: 'user' }));
        const signal = new AbortController().signal;
        await t.gate.request(del(), signal);
        await t.gate.request(del(), signal);
        expect(t.asked).to.have.length(2);
    });

    it('treats a cancelled question as denied', async () => {
        const controller = new AbortController();
        const t = setup([], (_req, signal) => new Promise((resolve, reject) => {
            signal.addEventListener('abort', () => reject(new Error('aborted')));
        }));
        const pending = t.gate.request(del(), controller.signal);
        setImmediate(() => controller.abort());
        expect(await pending).to.equal(false);
        expect(t.events[1].event).to.include({ type: 'permission.resolved', allowed: false, by: 'cancelled' });
    });

    it('ignores an "allow" that arrives after the task was cancelled', async () => {
        const controller = new AbortController();
        const t = setup([], async () => {
            controller.abort();
            return { allowed: true, remember: true, by: 'user' };
        });
        expect(await t.gate.request(del(), controller.signal)).to.equal(false);
        expect(t.events[1].event).to.include({ allowed: false, by: 'cancelled' });
        // Nothing was remembered from the cancelled question.
        const t2Signal = new AbortController().signal;
        await t.gate.request(del(), t2Signal);
        expect(t.asked).to.have.length(2);
    });
});
