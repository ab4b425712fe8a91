import type { AgentEvent, TaskStatus, Usage } from '../events';

export interface TaskOutcome {
    status: TaskStatus;
    reason: string;
    usage?: Usage;
    finalText?: string;
}

/** A running task as a front end sees it: its events, steering, cancellation and its end. */
export interface TaskHandle {
    readonly sessionId: string;
    /** Subscribe to events from now on; returns an unsubscribe function. Past events: the session log. */
    onEvent(listener: (event: AgentEvent) => void): () => void;
    /** A message for the agent, delivered at the next turn boundary. */
    steer(text: string): void;
    /** Stop at once: the model stream and running tools are cancelled. */
    cancel(): void;
    /** Steer or stop one sub-agent without disturbing the others; false if it is not running. */
    steerAgent(agentId: string, text: string): boolean;
    cancelAgent(agentId: string): boolean;
    /** Sub-agents running now. */
    activeAgents(): string[];
    readonly done: Promise<TaskOutcome>;
}
