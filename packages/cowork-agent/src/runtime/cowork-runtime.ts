import * as fs from 'fs';
import * as path from 'path';
import * as tar from 'tar';
import type Anthropic from '@anthropic-ai/sdk';
import type { AgentEvent, AgentEventBody } from '../events';
import { AgentLoop, Budget, HistoryCompactor, LoopHooks } from '../agent-loop';
import { GrantMode, GrantSet } from '../grants';
import type { ModelClient } from '../model/model-client';
import { PermissionAsker, PermissionGate } from '../permissions/permission-gate';
import { PermissionPolicy } from '../permissions/permission-policy';
import { historyFromEvents } from '../session/history';
import type { UndoReport } from '../session/change-journal';
import { Session, SessionMeta, SessionStore } from '../session/session-store';
import { dataDir as defaultDataDir, loadSettings, Settings } from '../settings';
import type { Tool } from '../tool';
import { ToolRegistry } from '../tool-registry';
import { coreTools } from '../tools/core-tools';
import { buildSystemPrompt } from './system-prompt';
import { SteeringInbox } from './steering-inbox';
import { ModelCompactor } from '../compaction/model-compactor';
import { SubagentScheduler } from '../subagents/subagent-scheduler';
import { GENERAL_PURPOSE, SubagentType } from '../subagents/subagent-type';
import { createTaskTool } from '../subagents/task-tool';
import type { TaskHandle, TaskOutcome } from './task-handle';

/** What the tools of one task are built from. */
export interface TaskEnvironment {
    settings: Settings;
    dataDir: string;
    session: Session;
    grants: GrantSet;
}

/** Adds tools, prompt sections and hooks to every task (sandbox, office, plugins, sub-agents plug in here). */
export interface RuntimeExtension {
    tools?(env: TaskEnvironment): Tool[];
    systemSections?(env: TaskEnvironment): string[];
    hooks?(env: TaskEnvironment): LoopHooks | undefined;
    compactor?(env: TaskEnvironment, model: ModelClient): HistoryCompactor | undefined;
    /** Sub-agent definitions offered to the Task tool (e.g. plugins' agents/*.md). */
    subagentTypes?(env: TaskEnvironment): SubagentType[];
    /**
     * Runs before the first turn (SessionStart / UserPromptSubmit hooks): `block` refuses the
     * prompt, `additionalContext` goes to the model with it.
     */
    beforeTask?(env: TaskEnvironment, prompt: string, source: 'startup' | 'resume'): Promise<{ block?: string; additionalContext?: string; warnings: string[] }>;
    /** Turns a typed prompt such as `/plugin:command args` into what the model receives; undefined if it is not one. */
    expandPrompt?(prompt: string, grants: GrantSet, dataDir: string): { prompt: string; allowedTools?: string[] } | undefined;
}

export interface RuntimeOptions {
    dataDir?: string;
    settings?: Settings;
    /** The model; by default the real Anthropic client built from the settings. */
    modelClient?: ModelClient;
    extensions?: RuntimeExtension[];
}

export interface StartTaskOptions {
    prompt: string;
    grants: { path: string; mode: GrantMode }[];
    asker: PermissionAsker;
    budget?: Partial<Budget>;
    /** Narrow the tools while this prompt is worked on (a slash command's allowed-tools). */
    allowedTools?: string[];
}

export type SessionSummary = SessionMeta;

/**
 * The agent as front ends use it (the CLI, the Theia backend): start, resume, watch, steer and
 * cancel tasks; list, replay, undo, export and delete sessions. No front-end logic lives here.
 */
export class CoworkRuntime {
    readonly dataDir: string;
    readonly settings: Settings;
    readonly store: SessionStore;
    private model: ModelClient | undefined;
    private readonly running = new Map<string, TaskHandle>();

    constructor(private readonly options: RuntimeOptions = {}) {
        this.settings = options.settings ?? loadSettings();
        this.dataDir = options.dataDir ?? defaultDataDir();
        this.store = new SessionStore(this.dataDir);
        this.model = options.modelClient;
    }

    startTask(o: StartTaskOptions): TaskHandle {
        const grants = GrantSet.create(o.grants);
        const model = this.modelClient();
        const expanded = this.expand(o.prompt, grants);
        const session = this.store.create({ prompt: o.prompt, grants: grants.grants.map(g => ({ path: g.path, mode: g.mode })), model: model.model });
        return this.launch(session, grants, expanded.prompt, [], o.asker, { ...o, allowedTools: o.allowedTools ?? expanded.allowedTools }, false, o.prompt);
    }

    /** A slash command becomes its expanded prompt (throws a clear error for an unknown one). */
    expand(prompt: string, grants: GrantSet): { prompt: string; allowedTools?: string[] } {
        for (const x of this.options.extensions ?? []) {
            const done = x.expandPrompt?.(prompt, grants, this.dataDir);
            if (done) {
                return done;
            }
        }
        return { prompt };
    }

    /** Continues a finished or interrupted task from its log with a new message. */
    resumeTask(sessionId: string, message: string, asker: PermissionAsker, o: Partial<StartTaskOptions> = {}): TaskHandle {
        const id = this.store.resolveId(sessionId);
        if (this.running.has(id)) {
            throw new Error(`Task ${id} is still running; steer it instead`);
        }
        const model = this.modelClient();
        const session = this.store.open(id);
        const history = historyFromEvents(session.events());
        const grants = GrantSet.create(session.meta.grants);
        const expanded = this.expand(message, grants);
        session.update({ status: 'running', reason: undefined, pid: process.pid });
        return this.launch(session, grants, expanded.prompt, history, asker, { ...o, allowedTools: o.allowedTools ?? expanded.allowedTools }, true, message);
    }

    /** Steers a task (or one of its sub-agents) of this process, or through its inbox one running in another process. */
    steer(sessionId: string, text: string, agentId?: string): void {
        const id = this.store.resolveId(sessionId);
        const handle = this.running.get(id);
        if (handle) {
            if (agentId) {
                handle.steerAgent(agentId, text);
            } else {
                handle.steer(text);
            }
        } else {
            this.requireRunningElsewhere(id);
            SteeringInbox.send(path.join(this.store.root, id), { text, agentId });
        }
    }

    /** Stops a task, or only one of its sub-agents. */
    cancel(sessionId: string, agentId?: string): void {
        const id = this.store.resolveId(sessionId);
        const handle = this.running.get(id);
        if (handle) {
            if (agentId) {
                handle.cancelAgent(agentId);
            } else {
                handle.cancel();
            }
        } else {
            this.requireRunningElsewhere(id);
            SteeringInbox.send(path.join(this.store.root, id), { text: '', stop: true, agentId });
        }
    }

    runningTask(sessionId: string): TaskHandle | undefined {
        return this.running.get(sessionId);
    }

    listSessions(): SessionSummary[] {
        return this.store.list().map(m => (m.status === 'running' && m.pid === process.pid && !this.running.has(m.id))
            ? { ...m, status: 'interrupted' as const, reason: 'the task stopped without finishing' } : m);
    }

    readEvents(sessionId: string): AgentEvent[] {
        const session = this.store.open(sessionId);
        try {
            return session.events();
        } finally {
            session.close();
        }
    }

    async undo(sessionId: string, step?: number): Promise<UndoReport> {
        const id = this.store.resolveId(sessionId);
        if (this.running.has(id)) {
            throw new Error(`Task ${id} is still running; stop it before undoing`);
        }
        const session = this.store.open(id);
        try {
            return await session.journal.undo(step);
        } finally {
            session.close();
        }
    }

    /** Writes the session (log, journal, meta) as a .tar.gz bundle; returns its path. */
    async exportSession(sessionId: string, outFile?: string): Promise<string> {
        const id = this.store.resolveId(sessionId);
        const target = path.resolve(outFile ?? `cowork-session-${id}.tar.gz`);
        await tar.create({ gzip: true, file: target, cwd: this.store.root, portable: true, mode: 0o600 } as tar.TarOptionsWithAliasesAsyncFile, [id]);
        fs.chmodSync(target, 0o600);
        return target;
    }

    deleteSession(sessionId: string): void {
        const id = this.store.resolveId(sessionId);
        if (this.running.has(id)) {
            throw new Error(`Task ${id} is still running; stop it before deleting`);
        }
        this.store.delete(id);
    }

    /** Builds one task's parts: tools (the Task tool among them), sub-agent scheduler, compactor, loop. */
    private assemble(env: TaskEnvironment, model: ModelClient, emit: (e: AgentEventBody, origin?: { agentId?: string; parentId?: string }) => void,
        asker: PermissionAsker, o: Partial<StartTaskOptions>, history: Anthropic.MessageParam[]): { loop: AgentLoop; subagents: SubagentScheduler } {
        const { grants, session } = env;
        const exts = this.options.extensions ?? [];
        const hooks = mergeHooks(exts.map(x => x.hooks?.(env)).filter((h): h is LoopHooks => !!h));
        const system = buildSystemPrompt(grants, exts.flatMap(x => x.systemSections?.(env) ?? []));
        const gate = new PermissionGate(new PermissionPolicy(this.settings.permissions), asker, (e, agentId) => emit(e, { agentId }));
        const registry = new ToolRegistry([...coreTools(), ...exts.flatMap(x => x.tools?.(env) ?? [])]);
        const subagentTypes = [GENERAL_PURPOSE, ...exts.flatMap(x => x.subagentTypes?.(env) ?? [])];
        const subagents = new SubagentScheduler({
            model, parentTools: () => registry, grants, gate, journal: session.journal,
            emit: (e, origin) => emit(e, origin),
            systemPrompt: type => [...buildSystemPrompt(grants), { type: 'text', text: type.systemPrompt }],
            concurrency: this.settings.concurrency, maxOutputTokens: this.settings.maxTokens, hooks
        });
        registry.register(createTaskTool(subagents, () => subagentTypes));
        const compactor = exts.map(x => x.compactor?.(env, model)).find(c => !!c) ?? new ModelCompactor({
            model, contextWindow: this.settings.contextWindow, compactAt: this.settings.compactAt,
            system, tools: () => registry.definitions(), emit: e => emit(e)
        });
        const loop = new AgentLoop({
            sessionId: session.id, model, registry, system, grants, gate, journal: session.journal,
            emit: e => emit(e),
            onTurnBoundary: () => session.log.sync(),
            budget: o.budget,
            maxOutputTokens: this.settings.maxTokens,
            hooks,
            compactor,
            allowedTools: o.allowedTools
        }, history);
        return { loop, subagents };
    }

    private async beforeTask(env: TaskEnvironment, prompt: string, source: 'startup' | 'resume',
        emit: (e: AgentEventBody) => void): Promise<{ block?: string; context?: string }> {
        const context: string[] = [];
        for (const x of this.options.extensions ?? []) {
            const r = await x.beforeTask?.(env, prompt, source);
            if (!r) {
                continue;
            }
            r.warnings.forEach(message => emit({ type: 'warning', message }));
            if (r.block) {
                return { block: r.block };
            }
            if (r.additionalContext) {
                context.push(r.additionalContext);
            }
        }
        return { context: context.length ? context.join('\n') : undefined };
    }

    private requireRunningElsewhere(id: string): void {
        const meta = this.store.readMeta(id);
        if (meta.status !== 'running') {
            throw new Error(`Task ${id} is not running (it is ${meta.status}); use resume to continue it`);
        }
    }

    private modelClient(): ModelClient {
        if (!this.model) {
            // Loaded lazily: building the real client needs an API key, listing sessions does not.
            const { createModelClient } = require('../model/anthropic-model-client') as typeof import('../model/anthropic-model-client');
            this.model = createModelClient(this.settings);
        }
        return this.model;
    }

    private launch(session: Session, grants: GrantSet, prompt: string, history: Anthropic.MessageParam[],
        asker: PermissionAsker, o: Partial<StartTaskOptions>, resumed: boolean, typed: string): TaskHandle {
        const listeners = new Set<(e: AgentEvent) => void>();
        const controller = new AbortController();
        const emit = (body: AgentEventBody, origin?: { agentId?: string; parentId?: string }) => {
            const event = {
                ...body, sessionId: session.id, time: new Date().toISOString(),
                ...(origin?.agentId ? { agentId: origin.agentId } : {}), ...(origin?.parentId ? { parentId: origin.parentId } : {})
            } as AgentEvent;
            session.log.append(event);
            for (const l of listeners) {
                try {
                    l(event);
                } catch {
                    // A failing watcher must not break the task.
                }
            }
        };
        const env: TaskEnvironment = { settings: this.settings, dataDir: this.dataDir, session, grants };
        const model = this.modelClient();
        const { loop, subagents } = this.assemble(env, model, emit, asker, o, history);
        const poll = watchInbox(new SteeringInbox(session.dir), loop, subagents, controller);
        const handle: TaskHandle = {
            sessionId: session.id,
            onEvent: l => {
                listeners.add(l);
                return () => listeners.delete(l);
            },
            steer: text => loop.steer(text),
            cancel: () => controller.abort(),
            steerAgent: (agentId, text) => subagents.steer(agentId, text),
            cancelAgent: agentId => subagents.cancel(agentId),
            activeAgents: () => subagents.active(),
            done: new Promise<TaskOutcome>(resolve => {
                // Started on the next tick so the caller can subscribe before the first event.
                setImmediate(async () => {
                    let outcome: TaskOutcome;
                    try {
                        emit({ type: 'task.started', prompt: typed, grants: grants.grants.map(g => ({ path: g.path, mode: g.mode })), model: model.model, resumed: resumed || undefined });
                        if (resumed) {
                            const plan = lastPlan(session.events());
                            if (plan) {
                                emit(plan);
                            }
                        }
                        emit({ type: 'user.message', text: prompt });
                        const before = await this.beforeTask(env, prompt, resumed ? 'resume' : 'startup', e => emit(e));
                        outcome = before.block
                            ? { status: 'refused', reason: `blocked by a hook: ${before.block}` }
                            : await loop.run(before.context ? `${prompt}\n\n${before.context}` : prompt, controller.signal);
                    } catch (e) {
                        const message = e instanceof Error ? e.message : String(e);
                        emit({ type: 'error', message });
                        outcome = { status: 'failed', reason: message };
                    }
                    clearInterval(poll);
                    emit({ type: 'task.finished', status: outcome.status, reason: outcome.reason, usage: outcome.usage });
                    session.update({ status: outcome.status, reason: outcome.reason, pid: undefined });
                    session.close();
                    this.running.delete(session.id);
                    resolve(outcome);
                });
            })
        };
        this.running.set(session.id, handle);
        return handle;
    }
}

/** Delivers what other processes put in the task's inbox: steering and stops, for the task or one sub-agent. */
function watchInbox(inbox: SteeringInbox, loop: AgentLoop, subagents: SubagentScheduler, controller: AbortController): NodeJS.Timeout {
    const poll = setInterval(() => {
        for (const m of inbox.take()) {
            if (m.agentId) {
                if (m.stop) {
                    subagents.cancel(m.agentId);
                } else {
                    subagents.steer(m.agentId, m.text);
                }
            } else if (m.stop) {
                controller.abort();
            } else {
                loop.steer(m.text);
            }
        }
    }, 250);
    poll.unref();
    return poll;
}

/** The main agent's latest plan in a log, to show it again when the task resumes. */
function lastPlan(events: AgentEvent[]): AgentEventBody | undefined {
    for (let i = events.length - 1; i >= 0; i--) {
        const e = events[i];
        if (e.type === 'plan.updated' && !e.agentId) {
            return { type: 'plan.updated', todos: e.todos };
        }
    }
    return undefined;
}

/** Runs several extensions' hooks in order; the first block wins. */
function mergeHooks(all: LoopHooks[]): LoopHooks | undefined {
    if (all.length === 0) {
        return undefined;
    }
    return {
        async preToolUse(name, input, id) {
            for (const h of all) {
                const r = await h.preToolUse?.(name, input, id);
                if (r && r.block) {
                    return r;
                }
            }
            return undefined;
        },
        async postToolUse(name, input, result) {
            const extra: string[] = [];
            for (const h of all) {
                const r = await h.postToolUse?.(name, input, result);
                if (r && r.additionalContext) {
                    extra.push(r.additionalContext);
                }
            }
            return extra.length ? { additionalContext: extra.join('\n') } : undefined;
        },
        async stop() {
            for (const h of all) {
                const r = await h.stop?.();
                if (r && r.continueWith) {
                    return r;
                }
            }
            return undefined;
        }
    };
}
