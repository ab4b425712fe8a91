import { injectable } from '@theia/core/shared/inversify';
import { Emitter } from '@theia/core/lib/common/event';
import type { PermissionAnswer, PermissionAsker } from '@cowork/agent/lib/src/permissions/permission-gate';
import type { PendingPermission, PermissionReply } from '../common/cowork-protocol';

interface Waiting {
    request: PendingPermission;
    resolve(answer: PermissionAnswer): void;
}

/**
 * Turns the agent's permission questions into questions for the open windows. Any window may
 * answer; the first answer wins and every window is told the question is settled.
 */
@injectable()
export class PermissionBroker {
    protected readonly waiting = new Map<string, Waiting>();
    protected readonly onRequestedEmitter = new Emitter<PendingPermission>();
    protected readonly onSettledEmitter = new Emitter<string>();
    readonly onRequested = this.onRequestedEmitter.event;
    readonly onSettled = this.onSettledEmitter.event;

    /** The asker for one task. */
    askerFor(sessionId: () => string): PermissionAsker {
        return (req, signal) => new Promise<PermissionAnswer>(resolve => {
            const request: PendingPermission = {
                sessionId: sessionId(), requestId: req.requestId, tool: req.tool, action: req.action,
                paths: req.paths, sizes: req.sizes, reason: req.reason, agentId: req.agentId
            };
            const settle = (answer: PermissionAnswer) => {
                if (this.waiting.delete(req.requestId)) {
                    signal.removeEventListener('abort', onAbort);
                    this.onSettledEmitter.fire(req.requestId);
                    resolve(answer);
                }
            };
            const onAbort = () => settle({ allowed: false, by: 'cancelled' });
            if (signal.aborted) {
                resolve({ allowed: false, by: 'cancelled' });
                return;
            }
            signal.addEventListener('abort', onAbort);
            this.waiting.set(req.requestId, { request, resolve: settle });
            this.onRequestedEmitter.fire(request);
        });
    }

    answer(requestId: string, reply: PermissionReply): void {
        const w = this.waiting.get(requestId);
        if (!w) {
            throw new Error('This question was already answered, or its task has stopped');
        }
        w.resolve({ allowed: !!reply.allowed, remember: !!reply.remember, by: 'user' });
    }

    pending(): PendingPermission[] {
        return [...this.waiting.values()].map(w => w.request);
    }

    /** A stopped task answers nothing more: deny what it still waits on. */
    cancelSession(sessionId: string): void {
        for (const w of [...this.waiting.values()]) {
            if (w.request.sessionId === sessionId) {
                w.resolve({ allowed: false, by: 'cancelled' });
            }
        }
    }
}
