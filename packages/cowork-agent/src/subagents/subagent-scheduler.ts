import type Anthropic from '@anthropic-ai/sdk';
import { AgentLoop, Budget, LoopHooks } from '../agent-loop';
import type { AgentEventBody, TaskStatus } from '../events';
import type { GrantSet } from '../grants';
import type { ModelClient } from '../model/model-client';
import type { PermissionGate } from '../permissions/permission-gate';
import type { ChangeJournal } from '../session/change-journal';
import type { ToolResult } from '../tool';
import { ToolRegistry } from '../tool-registry';
import { ConcurrencyLimiter } from './concurrency-limiter';
import { modelFor, SubagentType } from './subagent-type';

export interface SubagentDeps {
    model: ModelClient;
    /** The parent's tools; a sub-agent gets these (never more), minus Task itself. */
    parentTools(): ToolRegistry;
    grants: GrantSet;
    gate: PermissionGate;
    journal: ChangeJournal;
    emit(event: AgentEventBody, origin: { agentId: string; parentId: string }): void;
    systemPrompt(type: SubagentType): Anthropic.TextBlockParam[];
    concurrency: number;
    maxOutputTokens?: number;
    hooks?: LoopHooks;
    /** Budget for every sub-agent unless its type says fewer turns. */
    budget?: Partial<Budget>;
}

interface Running {
    loop: AgentLoop;
    controller: AbortController;
}

/**
 * Runs sub-agents: each its own conversation, tools and budget, with the parent's grants, gate
 * and journal, so its questions reach the user marked with its id and its changes are undoable.
 * At most `concurrency` run at once; the rest queue.
 */
export class SubagentScheduler {
    private readonly limiter: ConcurrencyLimiter;
    private readonly running = new Map<string, Running>();
    private counter = 0;

    constructor(private readonly deps: SubagentDeps) {
        this.limiter = new ConcurrencyLimiter(deps.concurrency);
    }

    /** Ids of the sub-agents running now. */
    active(): string[] {
        return [...this.running.keys()];
    }

    steer(agentId: string, text: string): boolean {
        const r = this.running.get(agentId);
        r?.loop.steer(text);
        return !!r;
    }

    cancel(agentId: string): boolean {
        const r = this.running.get(agentId);
        r?.controller.abort();
        return !!r;
    }

    async run(type: SubagentType, description: string, prompt: string, parent: { agentId?: string; signal: AbortSignal }): Promise<ToolResult> {
        const agentId = `agent-${++this.counter}`;
        const origin = { agentId, parentId: parent.agentId ?? 'main' };
        const controller = new AbortController();
        const onParentAbort = () => controller.abort();
        parent.signal.addEventListener('abort', onParentAbort, { once: true });
        this.deps.emit({ type: 'subagent.started', subagentId: agentId, description, subagentType: type.name }, origin);
        let status: TaskStatus = 'failed';
        let summary = '';
        try {
            const outcome = await this.limiter.run(() => this.runLoop(type, prompt, agentId, origin, controller), controller.signal);
            status = outcome.status;
            summary = outcome.finalText || outcome.reason;
            if (status !== 'completed') {
                summary = `${outcome.reason}${outcome.finalText ? `. Its last words: ${outcome.finalText}` : ''}`;
            }
        } catch (e) {
            status = controller.signal.aborted ? 'cancelled' : 'failed';
            summary = e instanceof Error ? e.message : String(e);
        } finally {
            parent.signal.removeEventListener('abort', onParentAbort);
            this.running.delete(agentId);
        }
        this.deps.emit({ type: 'subagent.finished', subagentId: agentId, status, summary }, origin);
        if (status === 'completed') {
            return { content: `Sub-agent ${agentId} (${type.name}) finished:\n${summary}` };
        }
        return { content: `Sub-agent ${agentId} (${type.name}) did not finish: ${status} (${summary}). Decide whether to retry, do it yourself, or tell the user.`, isError: true };
    }

    private async runLoop(type: SubagentType, prompt: string, agentId: string, origin: { agentId: string; parentId: string }, controller: AbortController) {
        const registry = this.deps.parentTools().narrow(type.tools);
        const withoutTask = new ToolRegistry(registry.list().filter(t => t.name !== 'Task'));
        const loop = new AgentLoop({
            sessionId: '',
            model: this.deps.model,
            modelName: modelFor(type, this.deps.model.model),
            registry: withoutTask,
            system: this.deps.systemPrompt(type),
            grants: this.deps.grants,
            gate: this.deps.gate,
            journal: this.deps.journal,
            emit: e => this.deps.emit(e, origin),
            budget: { ...this.deps.budget, ...(type.maxTurns ? { maxTurns: type.maxTurns } : {}) },
            maxOutputTokens: this.deps.maxOutputTokens,
            hooks: this.deps.hooks,
            agentId
        });
        this.running.set(agentId, { loop, controller });
        this.deps.emit({ type: 'user.message', text: prompt }, origin);
        return loop.run(prompt, controller.signal);
    }
}
