/**
 * Every observable thing a task does is one of these events. They are appended to the
 * session log first, then delivered to whoever watches (CLI, Theia panel).
 */
export type TaskStatus = 'completed' | 'failed' | 'cancelled' | 'budget_exceeded' | 'interrupted' | 'refused';

export type FileChange = 'created' | 'modified' | 'deleted' | 'moved';

export interface PlanItem {
    content: string;
    status: 'pending' | 'in_progress' | 'completed';
    activeForm: string;
}

export interface Usage {
    inputTokens: number;
    outputTokens: number;
    cacheReadTokens: number;
    cacheWriteTokens: number;
}

/** Fields every event carries. `agentId`/`parentId` mark events of a sub-agent. */
export interface EventBase {
    sessionId: string;
    time: string;
    agentId?: string;
    parentId?: string;
}

export type AgentEventBody =
    | { type: 'task.started'; prompt: string; grants: { path: string; mode: 'rw' | 'ro' }[]; model: string; resumed?: boolean }
    | { type: 'user.message'; text: string; steering?: boolean }
    | { type: 'turn.started'; turn: number }
    | { type: 'text.delta'; text: string }
    | { type: 'thinking.delta'; text: string }
    | { type: 'assistant.message'; turn: number; content: unknown[]; stopReason: string | null; usage: Usage }
    | { type: 'tool.started'; toolUseId: string; name: string; input: unknown }
    | { type: 'tool.output'; toolUseId: string; stream: 'stdout' | 'stderr'; text: string }
    | { type: 'tool.finished'; toolUseId: string; name: string; isError: boolean; result: string; fullResult?: string }
    | { type: 'plan.updated'; todos: PlanItem[] }
    | { type: 'permission.requested'; requestId: string; tool: string; action: string; paths: string[]; sizes?: number[]; reason?: string }
    | { type: 'permission.resolved'; requestId: string; allowed: boolean; by: 'policy' | 'user' | 'no-tty' | 'flag' | 'remembered' | 'cancelled' }
    | { type: 'file.changed'; path: string; change: FileChange; from?: string; step: number }
    | { type: 'model.retry'; attempt: number; status: number | null; delayMs: number; message: string }
    | { type: 'warning'; message: string }
    | { type: 'error'; message: string }
    | { type: 'compaction'; summarizedTurns: number; beforeTokens: number; afterTokens: number; summary?: string; keptMessages?: number }
    | { type: 'subagent.started'; subagentId: string; description: string; subagentType: string }
    | { type: 'subagent.finished'; subagentId: string; status: TaskStatus; summary: string }
    | { type: 'usage'; usage: Usage }
    | { type: 'task.finished'; status: TaskStatus; reason: string; usage?: Usage };

export type AgentEvent = AgentEventBody & EventBase;
export type AgentEventType = AgentEvent['type'];

export type EventOf<T extends AgentEventType> = Extract<AgentEvent, { type: T }>;

export type EventListener = (event: AgentEvent) => void;
