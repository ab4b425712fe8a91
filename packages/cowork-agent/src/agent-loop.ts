import type Anthropic from '@anthropic-ai/sdk';
import type { AgentEventBody, TaskStatus, Usage } from './events';
import type { GrantSet } from './grants';
import type { ModelClient } from './model/model-client';
import { ModelError } from './model/model-client';
import type { PermissionGate } from './permissions/permission-gate';
import type { ChangeJournal } from './session/change-journal';
import type { ToolRegistry } from './tool-registry';
import { ToolContext, ToolError, ToolResult } from './tool';
import { shortenForModel } from './util/shorten';

export interface Budget {
    maxTurns: number;
    /** Input + output + cache-write tokens over the whole task, cache reads counted at a tenth. */
    maxTokens: number;
    maxWallMs: number;
}

export const DEFAULT_BUDGET: Budget = { maxTurns: 500, maxTokens: 50_000_000, maxWallMs: 6 * 3600_000 };

/** Called around tool calls and at the end; plugins' hooks plug in here. */
export interface LoopHooks {
    preToolUse?(name: string, input: unknown, toolUseId: string): Promise<{ block?: string } | void>;
    postToolUse?(name: string, input: unknown, result: ToolResult): Promise<{ additionalContext?: string } | void>;
    /** Returning a reason keeps the task going with that reason as a new user message. */
    stop?(): Promise<{ continueWith?: string } | void>;
}

/** Shrinks the history when it nears the context window (long-running work); see compactor.ts. */
export interface HistoryCompactor {
    /** Returns the shorter history, or undefined when none is needed (`force`: the API said the window is full). */
    maybeCompact(messages: Anthropic.MessageParam[], lastInputTokens: number, signal: AbortSignal, force?: boolean): Promise<Anthropic.MessageParam[] | undefined>;
}

export interface AgentLoopOptions {
    sessionId: string;
    model: ModelClient;
    /** The model id to ask for, when not the client's own (a sub-agent's model). */
    modelName?: string;
    registry: ToolRegistry;
    system: Anthropic.TextBlockParam[];
    grants: GrantSet;
    gate: PermissionGate;
    journal: ChangeJournal;
    emit(event: AgentEventBody): void;
    /** Called at every turn boundary (the session log is synced there). */
    onTurnBoundary?(): void;
    budget?: Partial<Budget>;
    maxOutputTokens?: number;
    hooks?: LoopHooks;
    compactor?: HistoryCompactor;
    agentId?: string;
    /** Tools allowed while this run lasts (a slash command's allowed-tools); all when undefined. */
    allowedTools?: string[];
}

export interface LoopResult {
    status: TaskStatus;
    reason: string;
    usage: Usage;
    finalText: string;
}

const CUT_NOTE = 'Your previous response was cut off at the output token limit.';

/**
 * The agent loop: model turn → tool calls → results → next turn, until the model stops or a
 * budget ends it. Steering messages queue up and join the conversation at the next turn boundary.
 */
export class AgentLoop {
    readonly messages: Anthropic.MessageParam[];
    private readonly steering: string[] = [];
    private readonly budget: Budget;
    private readonly usage: Usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
    private turn = 0;

    constructor(private readonly o: AgentLoopOptions, history: Anthropic.MessageParam[] = []) {
        this.messages = [...history];
        this.budget = { ...DEFAULT_BUDGET, ...o.budget };
    }

    /** Queue a user message; it is delivered at the next turn boundary. */
    steer(text: string): void {
        this.steering.push(text);
    }

    async run(prompt: string | undefined, signal: AbortSignal): Promise<LoopResult> {
        const started = Date.now();
        if (prompt !== undefined) {
            this.appendUser([{ type: 'text', text: prompt }]);
        }
        let lastText = '';
        let lastInputTokens = 0;
        let forcedTurn = -1;
        for (;;) {
            if (signal.aborted) {
                return this.result('cancelled', 'stopped by the user', lastText);
            }
            this.deliverSteering();
            const over = this.overBudget(started);
            if (over) {
                return this.result('budget_exceeded', over, lastText);
            }
            if (await this.compact(lastInputTokens, signal, false)) {
                lastInputTokens = 0;
            }
            this.turn++;
            this.o.emit({ type: 'turn.started', turn: this.turn });
            let response: Anthropic.Message;
            try {
                response = await this.ask(signal);
            } catch (e) {
                if (signal.aborted || (e instanceof ModelError && e.kind === 'cancelled')) {
                    return this.result('cancelled', 'stopped by the user', lastText);
                }
                // The window filled up before the estimate said so: compact once, then ask again.
                if (e instanceof ModelError && e.kind === 'context_window' && forcedTurn !== this.turn && await this.compact(lastInputTokens, signal, true)) {
                    forcedTurn = this.turn;
                    lastInputTokens = 0;
                    this.turn--;
                    continue;
                }
                const message = e instanceof Error ? e.message : String(e);
                this.o.emit({ type: 'error', message });
                return this.result('failed', message, lastText);
            }
            this.addUsage(response.usage);
            lastInputTokens = response.usage.input_tokens + (response.usage.cache_read_input_tokens ?? 0) + (response.usage.cache_creation_input_tokens ?? 0);
            this.messages.push({ role: 'assistant', content: response.content as Anthropic.ContentBlockParam[] });
            this.o.emit({ type: 'assistant.message', turn: this.turn, content: response.content, stopReason: response.stop_reason, usage: { ...this.usage } });
            lastText = response.content.filter((b): b is Anthropic.TextBlock => b.type === 'text').map(b => b.text).join('') || lastText;
            const next = await this.afterResponse(response, signal);
            this.o.onTurnBoundary?.();
            if (next) {
                return this.result(next.status, next.reason, lastText);
            }
        }
    }

    private ask(signal: AbortSignal): Promise<Anthropic.Message> {
        return this.o.model.createMessage({
            model: this.o.modelName ?? this.o.model.model,
            maxTokens: this.o.maxOutputTokens ?? 16_000,
            system: this.o.system,
            tools: this.toolsForTurn().definitions(),
            messages: this.messages
        }, {
            onText: text => this.o.emit({ type: 'text.delta', text }),
            onThinking: text => this.o.emit({ type: 'thinking.delta', text }),
            onRetry: info => this.o.emit({ type: 'model.retry', ...info })
        }, signal);
    }

    /** Lets the compactor shorten the history; true when it did. */
    private async compact(lastInputTokens: number, signal: AbortSignal, force: boolean): Promise<boolean> {
        if (!this.o.compactor) {
            return false;
        }
        const shorter = await this.o.compactor.maybeCompact(this.messages, lastInputTokens, signal, force);
        if (!shorter) {
            return false;
        }
        this.messages.splice(0, this.messages.length, ...shorter);
        return true;
    }

    /** Decides what a stop reason means; returns an end state, or undefined to go on. */
    private async afterResponse(response: Anthropic.Message, signal: AbortSignal): Promise<{ status: TaskStatus; reason: string } | undefined> {
        const toolUses = response.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
        switch (response.stop_reason) {
            case 'tool_use': {
                const results = await this.runTools(toolUses, signal);
                this.appendUser(results);
                return signal.aborted ? { status: 'cancelled', reason: 'stopped by the user' } : undefined;
            }
            case 'max_tokens': {
                // Tool calls in a cut message may carry truncated input: never run them.
                const results: Anthropic.ContentBlockParam[] = toolUses.map(t => this.truncatedCall(t));
                results.push({ type: 'text', text: toolUses.length ? `${CUT_NOTE} Tool calls in it were not run; send them again, smaller (e.g. write a big file in parts).` : `${CUT_NOTE} Continue exactly where you stopped.` });
                this.appendUser(results);
                return undefined;
            }
            case 'pause_turn':
                return undefined;
            case 'refusal':
                return { status: 'refused', reason: 'the model declined this request' };
            case 'end_turn':
            case 'stop_sequence':
            case null: {
                if (this.steering.length > 0) {
                    return undefined;
                }
                const more = await this.o.hooks?.stop?.();
                if (more && more.continueWith) {
                    this.steer(more.continueWith);
                    return undefined;
                }
                return { status: 'completed', reason: 'the model finished' };
            }
            default:
                this.o.emit({ type: 'warning', message: `Unknown stop reason "${response.stop_reason}" from the model; the task stops here` });
                return { status: 'failed', reason: `unknown stop reason ${response.stop_reason}` };
        }
    }

    private truncatedCall(t: Anthropic.ToolUseBlock): Anthropic.ToolResultBlockParam {
        this.o.emit({ type: 'tool.started', toolUseId: t.id, name: t.name, input: t.input });
        const text = `Not run: this ${t.name} call was cut off at the output token limit, so its input may be incomplete.`;
        this.o.emit({ type: 'tool.finished', toolUseId: t.id, name: t.name, isError: true, result: text });
        return { type: 'tool_result', tool_use_id: t.id, content: text, is_error: true };
    }

    /** Consecutive read-only or parallel-safe calls run together; the rest one at a time, in order. */
    private async runTools(toolUses: Anthropic.ToolUseBlock[], signal: AbortSignal): Promise<Anthropic.ToolResultBlockParam[]> {
        const results: Anthropic.ToolResultBlockParam[] = [];
        let batch: Anthropic.ToolUseBlock[] = [];
        const flush = async () => {
            results.push(...await Promise.all(batch.map(t => this.runTool(t, signal))));
            batch = [];
        };
        for (const t of toolUses) {
            const tool = this.o.registry.get(t.name);
            if (tool && (tool.readOnly || (tool as { parallelSafe?: boolean }).parallelSafe)) {
                batch.push(t);
                continue;
            }
            await flush();
            results.push(await this.runTool(t, signal));
        }
        await flush();
        return results;
    }

    private async runTool(t: Anthropic.ToolUseBlock, signal: AbortSignal): Promise<Anthropic.ToolResultBlockParam> {
        this.o.emit({ type: 'tool.started', toolUseId: t.id, name: t.name, input: t.input });
        const result = await this.execute(t, signal);
        const text = typeof result.content === 'string' ? result.content : result.content.filter(b => b.type === 'text').map(b => (b as { text: string }).text).join('\n') || '[image]';
        const short = shortenForModel(text);
        this.o.emit({
            type: 'tool.finished', toolUseId: t.id, name: t.name, isError: !!result.isError,
            result: short, fullResult: result.fullText ?? (short !== text ? text : undefined)
        });
        const content = typeof result.content === 'string' ? short : result.content;
        return { type: 'tool_result', tool_use_id: t.id, content: content as Anthropic.ToolResultBlockParam['content'], is_error: result.isError || undefined };
    }

    private async execute(t: Anthropic.ToolUseBlock, signal: AbortSignal): Promise<ToolResult> {
        if (signal.aborted) {
            return { content: 'Not run: the task was stopped.', isError: true };
        }
        const allowed = this.toolsForTurn();
        const problem = allowed.get(t.name) ? allowed.validate(t.name, t.input) : this.o.registry.get(t.name)
            ? `${t.name} is not allowed for this command; allowed: ${allowed.names().join(', ')}`
            : this.o.registry.validate(t.name, t.input);
        if (problem) {
            return { content: problem, isError: true };
        }
        const blocked = await this.o.hooks?.preToolUse?.(t.name, t.input, t.id);
        if (blocked && blocked.block) {
            return { content: `Blocked by a hook: ${blocked.block}`, isError: true };
        }
        const ctx: ToolContext = {
            sessionId: this.o.sessionId, toolUseId: t.id, grants: this.o.grants, gate: this.o.gate,
            journal: this.o.journal, signal, cwd: this.o.grants.cwd, agentId: this.o.agentId, emit: e => this.o.emit(e)
        };
        let result: ToolResult;
        try {
            result = await this.o.registry.get(t.name)!.run(t.input, ctx);
        } catch (e) {
            if (e instanceof Error && e.name === 'WriteConflictError') {
                this.o.emit({ type: 'warning', message: e.message });
            }
            result = e instanceof ToolError
                ? { content: e.message, isError: true }
                : { content: `${t.name} failed: ${e instanceof Error ? e.message : String(e)}`, isError: true };
        }
        const post = await this.o.hooks?.postToolUse?.(t.name, t.input, result);
        if (post && post.additionalContext) {
            result = { ...result, content: appendText(result.content, post.additionalContext) };
        }
        return result;
    }

    private toolsForTurn(): ToolRegistry {
        return this.o.allowedTools ? this.o.registry.narrow(this.o.allowedTools) : this.o.registry;
    }

    private deliverSteering(): void {
        if (this.steering.length === 0) {
            return;
        }
        const texts = this.steering.splice(0);
        for (const text of texts) {
            this.o.emit({ type: 'user.message', text, steering: true });
        }
        this.appendUser(texts.map(text => ({ type: 'text' as const, text })));
    }

    /** Appends to the conversation as a user turn, merging with a trailing user message (the API wants alternation). */
    private appendUser(blocks: Anthropic.ContentBlockParam[]): void {
        const last = this.messages[this.messages.length - 1];
        if (last && last.role === 'user') {
            const prev = typeof last.content === 'string' ? [{ type: 'text' as const, text: last.content }] : last.content;
            last.content = [...prev, ...blocks];
        } else {
            this.messages.push({ role: 'user', content: blocks });
        }
    }

    private overBudget(started: number): string | undefined {
        if (this.turn >= this.budget.maxTurns) {
            return `the turn budget (${this.budget.maxTurns} turns) is used up`;
        }
        // Cache reads cost a tenth of fresh input, and a long task re-reads its prefix every turn: count them so.
        const tokens = this.usage.inputTokens + this.usage.outputTokens + this.usage.cacheWriteTokens + Math.round(this.usage.cacheReadTokens / 10);
        if (tokens >= this.budget.maxTokens) {
            return `the token budget (${this.budget.maxTokens} tokens) is used up`;
        }
        if (Date.now() - started >= this.budget.maxWallMs) {
            return `the time budget (${Math.round(this.budget.maxWallMs / 1000)} s) is used up`;
        }
        return undefined;
    }

    private addUsage(u: Anthropic.Usage): void {
        this.usage.inputTokens += u.input_tokens ?? 0;
        this.usage.outputTokens += u.output_tokens ?? 0;
        this.usage.cacheReadTokens += u.cache_read_input_tokens ?? 0;
        this.usage.cacheWriteTokens += u.cache_creation_input_tokens ?? 0;
    }

    private result(status: TaskStatus, reason: string, finalText: string): LoopResult {
        return { status, reason, usage: { ...this.usage }, finalText };
    }
}

function appendText(content: ToolResult['content'], extra: string): ToolResult['content'] {
    return typeof content === 'string' ? `${content}\n\n${extra}` : [...content, { type: 'text', text: extra }];
}
