import { randomUUID } from 'crypto';
import type { AgentEventBody } from '../events';
import { PermissionAction, PermissionPolicy } from './permission-policy';

export interface PermissionRequest {
    tool: string;
    action: PermissionAction;
    paths: string[];
    sizes?: number[];
    reason?: string;
    /** Sub-agent asking, if not the main agent. */
    agentId?: string;
}

export interface PermissionAnswer {
    allowed: boolean;
    /** Apply the same answer to later requests of this task with the same tool and action. */
    remember?: boolean;
    by: 'user' | 'no-tty' | 'flag' | 'cancelled';
}

/** Whoever can answer a question: the CLI on a TTY, a flag, the Theia dialog. */
export type PermissionAsker = (request: PermissionRequest & { requestId: string }, signal: AbortSignal) => Promise<PermissionAnswer>;

/**
 * Every tool call that would destroy or replace data passes here. A decision of `ask` becomes a
 * `permission.requested` event and waits for the asker; every outcome is a `permission.resolved`.
 */
export class PermissionGate {
    private readonly remembered = new Map<string, boolean>();

    constructor(
        private readonly policy: PermissionPolicy,
        private readonly asker: PermissionAsker,
        private readonly emit: (event: AgentEventBody, agentId?: string) => void
    ) { }

    async request(req: PermissionRequest, signal: AbortSignal): Promise<boolean> {
        const decision = this.policy.decide(req.tool, req.action, req.paths);
        if (decision === 'allow') {
            return true;
        }
        const requestId = randomUUID();
        this.emit({ type: 'permission.requested', requestId, tool: req.tool, action: req.action, paths: req.paths, sizes: req.sizes, reason: req.reason }, req.agentId);
        if (decision === 'deny') {
            this.emit({ type: 'permission.resolved', requestId, allowed: false, by: 'policy' }, req.agentId);
            return false;
        }
        const key = `${req.tool}\0${req.action}`;
        const known = this.remembered.get(key);
        if (known !== undefined) {
            this.emit({ type: 'permission.resolved', requestId, allowed: known, by: 'remembered' }, req.agentId);
            return known;
        }
        let answer: PermissionAnswer;
        try {
            answer = await this.asker({ ...req, requestId }, signal);
        } catch {
            answer = { allowed: false, by: 'cancelled' };
        }
        if (signal.aborted) {
            answer = { allowed: false, by: 'cancelled' };
        }
        if (answer.remember) {
            this.remembered.set(key, answer.allowed);
        }
        this.emit({ type: 'permission.resolved', requestId, allowed: answer.allowed, by: answer.by }, req.agentId);
        return answer.allowed;
    }
}
