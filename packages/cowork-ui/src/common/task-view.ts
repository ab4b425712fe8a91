import type { AgentEvent, FileChange, PlanItem, TaskStatus, Usage } from '@cowork/agent/lib/src/events';
import type { GrantSpec, PendingPermission } from './cowork-protocol';

/** One tool call as a card: collapsed by default, input and output on demand. */
export interface ToolCard {
    toolUseId: string;
    name: string;
    input: unknown;
    /** stdout/stderr streamed while it runs. */
    output: string;
    result?: string;
    isError?: boolean;
    running: boolean;
}

export type TimelineItem =
    | { kind: 'text'; text: string }
    | { kind: 'thinking'; text: string }
    | { kind: 'user'; text: string; steering: boolean }
    | { kind: 'tool'; card: ToolCard }
    | { kind: 'notice'; level: 'warning' | 'error' | 'retry' | 'info'; text: string }
    | { kind: 'permission'; request: PendingPermission; outcome?: { allowed: boolean; by: string } };

/** The main agent, or one sub-agent: each gets its own lane. */
export interface Lane {
    agentId: string | undefined;
    description: string;
    subagentType?: string;
    status: 'running' | TaskStatus;
    summary?: string;
    items: TimelineItem[];
}

export interface ChangedFile {
    path: string;
    change: FileChange;
    from?: string;
    step: number;
    agentId?: string;
}

/** Everything the panel shows of one task, rebuilt from its events alone. */
export interface TaskView {
    sessionId: string;
    prompt: string;
    grants: GrantSpec[];
    model: string;
    status: 'running' | TaskStatus;
    reason?: string;
    plan: PlanItem[];
    main: Lane;
    /** Sub-agent lanes in start order. */
    lanes: Lane[];
    files: ChangedFile[];
    /** Tokens of earlier runs (before a resume) and of `usage` events. */
    usageBefore: Usage;
    /** The latest running total of each agent's loop ('' is the main agent). */
    laneUsage: Map<string, Usage>;
    /** Questions not yet answered, by request id. */
    pending: Map<string, PendingPermission>;
    eventCount: number;
    lastEventTime?: string;
    /** Bumped on every applied event, so views can tell cheaply whether to re-render. */
    version: number;
}

export function emptyUsage(): Usage {
    return { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
}

export function createTaskView(sessionId: string): TaskView {
    return {
        sessionId, prompt: '', grants: [], model: '', status: 'running', plan: [],
        main: { agentId: undefined, description: 'Main agent', status: 'running', items: [] },
        lanes: [], files: [], usageBefore: emptyUsage(), laneUsage: new Map(), pending: new Map(), eventCount: 0, version: 0
    };
}

/** Replays a whole session log into a view (history, reload). */
export function replayEvents(sessionId: string, events: AgentEvent[]): TaskView {
    const view = createTaskView(sessionId);
    for (const e of events) {
        applyEvent(view, e);
    }
    return view;
}

function laneOf(view: TaskView, agentId: string | undefined): Lane {
    if (!agentId) {
        return view.main;
    }
    let lane = view.lanes.find(l => l.agentId === agentId);
    if (!lane) {
        // Events of a sub-agent whose start we did not see (log cut): still give it a lane.
        lane = { agentId, description: agentId, status: 'running', items: [] };
        view.lanes.push(lane);
    }
    return lane;
}

function appendStreamed(lane: Lane, kind: 'text' | 'thinking', text: string): void {
    const last = lane.items[lane.items.length - 1];
    if (last && last.kind === kind) {
        last.text += text;
    } else {
        lane.items.push({ kind, text });
    }
}

function findCard(view: TaskView, toolUseId: string): ToolCard | undefined {
    for (const lane of [view.main, ...view.lanes]) {
        for (let i = lane.items.length - 1; i >= 0; i--) {
            const item = lane.items[i];
            if (item.kind === 'tool' && item.card.toolUseId === toolUseId) {
                return item.card;
            }
        }
    }
    return undefined;
}

function findPermissionItem(view: TaskView, requestId: string): Extract<TimelineItem, { kind: 'permission' }> | undefined {
    for (const lane of [view.main, ...view.lanes]) {
        for (let i = lane.items.length - 1; i >= 0; i--) {
            const item = lane.items[i];
            if (item.kind === 'permission' && item.request.requestId === requestId) {
                return item;
            }
        }
    }
    return undefined;
}

function addUsage(total: Usage, u: Usage | undefined): void {
    if (!u) {
        return;
    }
    total.inputTokens += u.inputTokens ?? 0;
    total.outputTokens += u.outputTokens ?? 0;
    total.cacheReadTokens += u.cacheReadTokens ?? 0;
    total.cacheWriteTokens += u.cacheWriteTokens ?? 0;
}

/** Applies one event to the view in place. Unknown event types are counted and otherwise ignored. */
export function applyEvent(view: TaskView, e: AgentEvent): void {
    view.eventCount++;
    view.version++;
    view.lastEventTime = e.time;
    const lane = laneOf(view, e.agentId);
    switch (e.type) {
        case 'task.started':
            if (!e.resumed || !view.prompt) {
                view.prompt = e.prompt;
            }
            view.grants = e.grants;
            view.model = e.model;
            view.status = 'running';
            view.reason = undefined;
            view.main.status = 'running';
            // Each run of the loop counts its tokens from zero: keep what earlier runs used.
            addUsage(view.usageBefore, sumLaneUsage(view));
            view.laneUsage.clear();
            break;
        case 'user.message':
            lane.items.push({ kind: 'user', text: e.text, steering: !!e.steering });
            break;
        case 'text.delta':
            appendStreamed(lane, 'text', e.text);
            break;
        case 'thinking.delta':
            appendStreamed(lane, 'thinking', e.text);
            break;
        case 'tool.started':
            lane.items.push({ kind: 'tool', card: { toolUseId: e.toolUseId, name: e.name, input: e.input, output: '', running: true } });
            break;
        case 'tool.output': {
            const card = findCard(view, e.toolUseId);
            if (card) {
                card.output += e.text;
            }
            break;
        }
        case 'tool.finished': {
            const card = findCard(view, e.toolUseId);
            if (card) {
                card.running = false;
                card.result = e.result;
                card.isError = e.isError;
            } else {
                lane.items.push({ kind: 'tool', card: { toolUseId: e.toolUseId, name: e.name, input: undefined, output: '', result: e.result, isError: e.isError, running: false } });
            }
            break;
        }
        case 'plan.updated':
            // A sub-agent's plan is its own business; the task's plan is the main agent's.
            if (!e.agentId) {
                view.plan = e.todos;
            }
            break;
        case 'permission.requested': {
            const request: PendingPermission = {
                sessionId: view.sessionId, requestId: e.requestId, tool: e.tool, action: e.action,
                paths: e.paths, sizes: e.sizes, reason: e.reason, agentId: e.agentId
            };
            view.pending.set(e.requestId, request);
            lane.items.push({ kind: 'permission', request });
            break;
        }
        case 'permission.resolved': {
            view.pending.delete(e.requestId);
            const item = findPermissionItem(view, e.requestId);
            if (item) {
                item.outcome = { allowed: e.allowed, by: e.by };
            }
            break;
        }
        case 'file.changed':
            view.files.push({ path: e.path, change: e.change, from: e.from, step: e.step, agentId: e.agentId });
            break;
        case 'model.retry':
            lane.items.push({ kind: 'notice', level: 'retry', text: `The model did not answer (${e.message}); retry ${e.attempt} in ${Math.round(e.delayMs / 1000)} s.` });
            break;
        case 'warning':
            lane.items.push({ kind: 'notice', level: 'warning', text: e.message });
            break;
        case 'error':
            lane.items.push({ kind: 'notice', level: 'error', text: e.message });
            break;
        case 'compaction':
            lane.items.push({ kind: 'notice', level: 'info', text: `Earlier turns were summarised to fit the context window (${e.beforeTokens} → ${e.afterTokens} tokens).` });
            break;
        case 'subagent.started': {
            const sub = laneOf(view, e.subagentId);
            sub.description = e.description;
            sub.subagentType = e.subagentType;
            sub.status = 'running';
            break;
        }
        case 'subagent.finished': {
            const sub = laneOf(view, e.subagentId);
            sub.status = e.status;
            sub.summary = e.summary;
            break;
        }
        case 'assistant.message':
            // Its usage is the running total of that agent's loop.
            view.laneUsage.set(e.agentId ?? '', { ...e.usage });
            break;
        case 'usage':
            addUsage(view.usageBefore, e.usage);
            break;
        case 'task.finished':
            if (!e.agentId) {
                view.status = e.status;
                view.reason = e.reason;
                view.main.status = e.status;
                // A finished task waits on nothing: questions left open were cancelled with it.
                view.pending.clear();
                for (const l of view.lanes) {
                    if (l.status === 'running') {
                        l.status = e.status === 'completed' ? 'completed' : 'interrupted';
                    }
                }
            }
            break;
        default:
            break;
    }
}

function sumLaneUsage(view: TaskView): Usage {
    const total = emptyUsage();
    for (const u of view.laneUsage.values()) {
        addUsage(total, u);
    }
    return total;
}

/** Tokens the task used so far, every run and sub-agent included. */
export function totalUsage(view: TaskView): Usage {
    const total = emptyUsage();
    addUsage(total, view.usageBefore);
    addUsage(total, sumLaneUsage(view));
    return total;
}

/** Progress of the plan as "done/total", for the status bar. */
export function planProgress(plan: PlanItem[]): { done: number; total: number; current?: string } {
    const done = plan.filter(p => p.status === 'completed').length;
    const current = plan.find(p => p.status === 'in_progress');
    return { done, total: plan.length, current: current?.activeForm };
}

/** Human size, as the permission dialog shows it. */
export function formatBytes(n: number | undefined): string {
    if (n === undefined || !Number.isFinite(n)) {
        return '';
    }
    if (n < 1024) {
        return `${n} B`;
    }
    const units = ['KB', 'MB', 'GB', 'TB'];
    let v = n / 1024;
    let i = 0;
    while (v >= 1024 && i < units.length - 1) {
        v /= 1024;
        i++;
    }
    return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
