import type { RpcServer } from '@theia/core/lib/common/messaging/proxy-factory';
import type { AgentEvent, TaskStatus } from '@cowork/agent/lib/src/events';

export type { AgentEvent, TaskStatus };

/** The path the backend serves the Cowork service on (Theia JSON-RPC over the main websocket). */
export const CoworkServicePath = '/services/cowork';

export type GrantMode = 'rw' | 'ro';
export interface GrantSpec { path: string; mode: GrantMode }

export interface StartTaskRequest {
    prompt: string;
    grants: GrantSpec[];
}

/** One past or running task, as the history view lists it. */
export interface SessionSummary {
    id: string;
    prompt: string;
    status: 'running' | TaskStatus;
    reason?: string;
    model?: string;
    createdAt: string;
    updatedAt: string;
    grants: GrantSpec[];
    /** True while this backend runs it, so steering, Stop and permission answers reach it. */
    live: boolean;
}

/** A question the agent waits on; any open window may answer it, the first answer wins. */
export interface PendingPermission {
    sessionId: string;
    requestId: string;
    tool: string;
    action: string;
    paths: string[];
    sizes?: number[];
    reason?: string;
    /** The sub-agent asking; undefined for the task's main agent. */
    agentId?: string;
}

export interface PermissionReply {
    allowed: boolean;
    remember: boolean;
}

/** Where the model settings stand, for the first-run view and the status bar. */
export interface CoworkStatus {
    configured: boolean;
    /** Where the API key comes from; never the key itself. */
    apiKeySource: 'environment' | 'secure-storage' | 'settings-file' | 'none';
    model: string;
    baseUrl: string;
    settingsFile: string;
    dataDir: string;
    /** A settings problem that stops tasks from starting (bad settings file...), readable. */
    problem?: string;
}

/** The settings the UI owns as Theia preferences; the backend applies them to new tasks. */
export interface CoworkSettingsPatch {
    model?: string;
    baseUrl?: string;
    concurrency?: number;
    networkAllowlist?: string[];
}

export interface UndoSummary {
    restored: string[];
    conflicts: { path: string; reason: string }[];
    steps: number[];
}

/** A slash command a plugin offers (`/plugin:name`). */
export interface SlashCommandInfo {
    name: string;
    description: string;
    argumentHint?: string;
}

/** A skill, slash command or sub-agent of a plugin, as the Plugins view lists it. */
export interface PluginPartInfo {
    /** `plugin:id`, as the user or the model invokes it. */
    name: string;
    description: string;
}

/** A connector (MCP server) of a plugin and where it stands. */
export interface PluginConnectorInfo {
    name: string;
    /** The connector manager's state, or `disabled` while its plugin is. */
    status: 'not-configured' | 'idle' | 'connecting' | 'connected' | 'failed' | 'disabled';
    /** Why it failed or is not configured. */
    detail?: string;
    tools?: number;
}

export interface PluginInfo {
    name: string;
    version?: string;
    description?: string;
    enabled: boolean;
    /** bundled | installed | custom | path. */
    source?: string;
    /** Loading problems, `severity: message (file:line)`. */
    problems: string[];
    connectors: PluginConnectorInfo[];
    skills: PluginPartInfo[];
    commands: PluginPartInfo[];
    agents: PluginPartInfo[];
    /** False for bundled plugins: they can only be disabled. */
    removable: boolean;
}

/** An event with its index in the session log, so a window that just read the log skips what it has. */
export interface SequencedEvent {
    seq: number;
    event: AgentEvent;
}

export interface OfficePreviewResult {
    file: string;
    pdf: string;
    /** Pages in all; only the first MAX are pictured. */
    pageCount: number;
    /** data: URLs of PNG pictures of the first pages. */
    pages: string[];
}

export const CoworkService = Symbol('CoworkService');
/** The agent as the frontend sees it. The backend adapts CoworkRuntime; no agent logic lives in the UI. */
export interface CoworkService extends RpcServer<CoworkClient> {
    getStatus(): Promise<CoworkStatus>;
    applySettings(patch: CoworkSettingsPatch): Promise<void>;
    /** Stores the API key in secure storage if the system has one, else in the 0600 settings file. */
    setApiKey(key: string): Promise<CoworkStatus>;
    startTask(request: StartTaskRequest): Promise<string>;
    resumeTask(sessionId: string, message: string): Promise<void>;
    steer(sessionId: string, text: string): Promise<void>;
    cancel(sessionId: string): Promise<void>;
    answerPermission(requestId: string, reply: PermissionReply): Promise<void>;
    pendingPermissions(): Promise<PendingPermission[]>;
    listSessions(): Promise<SessionSummary[]>;
    readEvents(sessionId: string): Promise<AgentEvent[]>;
    undo(sessionId: string, step?: number): Promise<UndoSummary>;
    /** Writes the session bundle into `folder` (or the data directory's exports/) and returns the file. */
    exportSession(sessionId: string, folder?: string): Promise<string>;
    deleteSession(sessionId: string): Promise<void>;
    /** Changes of this session already undone, as `step:path` keys. */
    undoneChanges(sessionId: string): Promise<string[]>;
    /** A file's content before this session first changed it, as a read-only file path, for a diff. */
    originalOf(sessionId: string, filePath: string): Promise<string | undefined>;
    listSlashCommands(): Promise<SlashCommandInfo[]>;
    listPlugins(): Promise<PluginInfo[]>;
    setPluginEnabled(name: string, enabled: boolean): Promise<void>;
    /** Installs a plugin from a folder or a `.plugin`/`.zip` archive on the backend's machine; new tasks see it. */
    installPlugin(source: string): Promise<PluginInfo>;
    /** Removes a user-installed plugin; bundled ones can only be disabled. */
    uninstallPlugin(name: string): Promise<void>;
    /** An office file rendered by LibreOffice: its first pages as PNG pictures, and the PDF. */
    previewOffice(file: string): Promise<OfficePreviewResult>;
    /** Opens a file with the system's program for it, on the machine that runs Cowork. */
    openInSystemApp(file: string): Promise<void>;
}

export const CoworkClient = Symbol('CoworkClient');
/** What the backend pushes to every open window. */
export interface CoworkClient {
    /** Events in log order, batched so a fast stream stays cheap on the wire. */
    onEvents(events: SequencedEvent[]): void;
    onSessionsChanged(): void;
    onPermissionRequested(request: PendingPermission): void;
    onPermissionSettled(requestId: string): void;
}
