import type { AgentEventBody } from './events';
import type { GrantSet } from './grants';
import type { PermissionGate } from './permissions/permission-gate';
import type { ChangeJournal } from './session/change-journal';

/** What a tool sees while it runs: the task's grants, the gate, the journal, cancellation. */
export interface ToolContext {
    readonly sessionId: string;
    readonly toolUseId: string;
    readonly grants: GrantSet;
    readonly gate: PermissionGate;
    readonly journal: ChangeJournal;
    readonly signal: AbortSignal;
    /** Working directory for relative notions (the first grant by default). */
    readonly cwd: string;
    /** Who is acting: undefined for the main agent, a sub-agent id otherwise. */
    readonly agentId?: string;
    emit(event: AgentEventBody): void;
}

/** A content block the model can receive in a tool_result. */
export type ToolResultBlock =
    | { type: 'text'; text: string }
    | { type: 'image'; source: { type: 'base64'; media_type: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp'; data: string } };

export interface ToolResult {
    /** What the model sees. */
    content: string | ToolResultBlock[];
    isError?: boolean;
    /** The full text when `content` was shortened for the model; kept in the session log. */
    fullText?: string;
}

/** A tool is a plain object: a name, a JSON schema for its input, and `run`. */
export interface Tool<I = any> {
    readonly name: string;
    readonly description: string;
    readonly inputSchema: Record<string, unknown>;
    /** Tools that only read never need a permission question. */
    readonly readOnly?: boolean;
    run(input: I, ctx: ToolContext): Promise<ToolResult>;
}

/** A failure the model should see as an error tool result (not a crash). */
export class ToolError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'ToolError';
    }
}
