import * as path from 'path';
import * as fs from 'fs';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { CoworkRuntime, RuntimeExtension } from '@cowork/agent/lib/src/runtime/cowork-runtime';
import type { TaskHandle } from '@cowork/agent/lib/src/runtime/task-handle';
import { dataDir, loadSettings, Settings } from '@cowork/agent/lib/src/settings';
import { readJsonl } from '@cowork/agent/lib/src/session/change-journal';
import type { AgentEvent } from '@cowork/agent/lib/src/events';
import {
    CoworkClient, CoworkService, CoworkSettingsPatch, CoworkStatus, OfficePreviewResult, PendingPermission, PermissionReply, PluginInfo,
    SessionSummary, SlashCommandInfo, StartTaskRequest, UndoSummary
} from '../common/cowork-protocol';
import { ApiKeyStore } from './api-key-store';
import { PermissionBroker } from './permission-broker';
import { EventBroadcaster } from './event-broadcaster';
import { OfficePreview } from './office-preview';
import { PluginAccess } from './plugin-access';
import { SystemOpener } from './system-opener';

export const RuntimeExtensions = Symbol('RuntimeExtensions');
/** What the backend adds to every task (sandbox, office, plugins...): bound by whoever provides them. */
export interface RuntimeExtensions {
    get(): RuntimeExtension[];
}

interface LiveTask {
    handle: TaskHandle;
    /** Index in the session log of the next event: lets a window that loaded the log skip what it has. */
    seq: number;
}

/**
 * The agent as a Theia backend service: adapts CoworkRuntime to JSON-RPC. The session store on
 * disk is the truth; this keeps only the handles of the tasks it runs.
 */
@injectable()
export class CoworkServiceImpl implements CoworkService {
    @inject(ApiKeyStore) protected readonly keys: ApiKeyStore;
    @inject(PermissionBroker) protected readonly permissions: PermissionBroker;
    @inject(EventBroadcaster) protected readonly broadcaster: EventBroadcaster;
    @inject(RuntimeExtensions) protected readonly extensions: RuntimeExtensions;
    @inject(PluginAccess) protected readonly plugins: PluginAccess;
    @inject(OfficePreview) protected readonly office: OfficePreview;
    @inject(SystemOpener) protected readonly systemOpener: SystemOpener;

    protected readonly live = new Map<string, LiveTask>();
    protected patch: CoworkSettingsPatch = {};
    protected runtimePromise: Promise<CoworkRuntime> | undefined;

    @postConstruct()
    protected init(): void {
        this.permissions.onRequested(r => this.broadcaster.permissionRequested(r));
        this.permissions.onSettled(id => this.broadcaster.permissionSettled(id));
        this.plugins.useExtensions(this.extensions.get());
    }

    setClient(client: CoworkClient | undefined): void {
        // Clients are registered per connection by the backend module (see addClient).
    }

    addClient(client: CoworkClient): void {
        this.broadcaster.add(client);
    }

    removeClient(client: CoworkClient): void {
        this.broadcaster.remove(client);
    }

    dispose(): void {
        // The service lives as long as the backend; connections come and go.
    }

    async getStatus(): Promise<CoworkStatus> {
        const dir = dataDir();
        let settings: Settings;
        try {
            settings = loadSettings();
        } catch (e) {
            return {
                configured: false, apiKeySource: 'none', model: this.patch.model ?? '', baseUrl: this.patch.baseUrl ?? '',
                settingsFile: path.join(dir, 'settings.json'), dataDir: dir, problem: errorMessage(e)
            };
        }
        const key = await this.keys.read();
        return {
            configured: !!key.key, apiKeySource: key.source,
            model: this.patch.model ?? settings.model, baseUrl: this.patch.baseUrl ?? settings.baseUrl,
            settingsFile: settings.settingsFile, dataDir: dir
        };
    }

    async applySettings(patch: CoworkSettingsPatch): Promise<void> {
        const clean: CoworkSettingsPatch = {};
        if (typeof patch.model === 'string' && patch.model.trim()) {
            clean.model = patch.model.trim();
        }
        if (typeof patch.baseUrl === 'string' && patch.baseUrl.trim()) {
            const url = patch.baseUrl.trim();
            if (!/^https?:\/\/[^\s]+$/.test(url)) {
                throw new Error(`Preference cowork.baseUrl must be an http(s) URL, got "${url}"`);
            }
            clean.baseUrl = url;
        }
        if (typeof patch.concurrency === 'number' && Number.isInteger(patch.concurrency) && patch.concurrency >= 1) {
            clean.concurrency = patch.concurrency;
        }
        if (Array.isArray(patch.networkAllowlist)) {
            clean.networkAllowlist = patch.networkAllowlist.filter(d => typeof d === 'string' && d.trim() !== '').map(d => d.trim());
        }
        this.patch = clean;
        // New tasks use the new settings; running ones keep theirs.
        this.runtimePromise = undefined;
    }

    async setApiKey(key: string): Promise<CoworkStatus> {
        await this.keys.write(key);
        this.runtimePromise = undefined;
        return this.getStatus();
    }

    async startTask(request: StartTaskRequest): Promise<string> {
        const prompt = (request.prompt ?? '').trim();
        if (!prompt) {
            throw new Error('Write what the task should do first');
        }
        if (!Array.isArray(request.grants) || request.grants.length === 0) {
            throw new Error('Grant at least one folder to the task');
        }
        const grants = request.grants.map(g => ({ path: g.path, mode: g.mode === 'ro' ? 'ro' as const : 'rw' as const }));
        const runtime = await this.runtime();
        // A slash command (`/plugin:name args`) is expanded by the runtime's plugins extension.
        let id = '';
        const handle = runtime.startTask({ prompt, grants, asker: this.permissions.askerFor(() => id) });
        id = handle.sessionId;
        this.watch(handle, 0);
        return id;
    }

    async resumeTask(sessionId: string, message: string): Promise<void> {
        const text = (message ?? '').trim();
        if (!text) {
            throw new Error('Write a message to continue the task with');
        }
        const runtime = await this.runtime();
        if (this.live.has(sessionId)) {
            throw new Error('This task is still running: steer it instead');
        }
        const before = runtime.readEvents(sessionId).length;
        let id = sessionId;
        const handle = runtime.resumeTask(sessionId, text, this.permissions.askerFor(() => id));
        id = handle.sessionId;
        this.watch(handle, before);
    }

    async steer(sessionId: string, text: string): Promise<void> {
        const trimmed = (text ?? '').trim();
        if (!trimmed) {
            return;
        }
        const task = this.live.get(sessionId);
        if (task) {
            task.handle.steer(trimmed);
        } else {
            (await this.runtime()).steer(sessionId, trimmed);
        }
    }

    async cancel(sessionId: string): Promise<void> {
        const task = this.live.get(sessionId);
        this.permissions.cancelSession(sessionId);
        if (task) {
            task.handle.cancel();
        } else {
            (await this.runtime()).cancel(sessionId);
        }
    }

    async answerPermission(requestId: string, reply: PermissionReply): Promise<void> {
        this.permissions.answer(requestId, reply);
    }

    async pendingPermissions(): Promise<PendingPermission[]> {
        return this.permissions.pending();
    }

    async listSessions(): Promise<SessionSummary[]> {
        const runtime = await this.runtime();
        return runtime.listSessions().map(m => {
            const live = this.live.has(m.id);
            return {
                id: m.id, prompt: m.prompt, status: live ? 'running' : m.status, reason: live ? undefined : m.reason,
                model: m.model, createdAt: m.createdAt, updatedAt: m.updatedAt, grants: m.grants, live
            };
        });
    }

    async readEvents(sessionId: string): Promise<AgentEvent[]> {
        return (await this.runtime()).readEvents(sessionId);
    }

    async undo(sessionId: string, step?: number): Promise<UndoSummary> {
        const report = await (await this.runtime()).undo(sessionId, step);
        this.broadcaster.sessionsChanged();
        return { restored: report.restored, conflicts: report.conflicts, steps: report.steps };
    }

    async exportSession(sessionId: string, folder?: string): Promise<string> {
        const runtime = await this.runtime();
        const target = folder ? path.resolve(folder) : path.join(runtime.dataDir, 'exports');
        fs.mkdirSync(target, { recursive: true });
        const safeId = sessionId.replace(/[^\w.-]/g, '_');
        return runtime.exportSession(sessionId, path.join(target, `cowork-session-${safeId}.tar.gz`));
    }

    async deleteSession(sessionId: string): Promise<void> {
        if (this.live.has(sessionId)) {
            throw new Error('This task is still running: stop it before deleting it');
        }
        (await this.runtime()).deleteSession(sessionId);
        this.broadcaster.sessionsChanged();
    }

    async undoneChanges(sessionId: string): Promise<string[]> {
        const runtime = await this.runtime();
        const session = runtime.store.open(sessionId);
        try {
            // The journal lists undone entries by id in undone.jsonl (append-only, beside entries.jsonl).
            const undone = new Set(readJsonl<{ id: string }>(path.join(session.journal.dir, 'undone.jsonl')).map(u => u.id));
            return session.journal.entries().filter(e => undone.has(e.id)).map(e => `${e.step}:${e.path}`);
        } finally {
            session.close();
        }
    }

    async originalOf(sessionId: string, filePath: string): Promise<string | undefined> {
        const runtime = await this.runtime();
        const session = runtime.store.open(sessionId);
        try {
            const first = session.journal.entries().find(e => e.path === filePath || (e.op === 'move' && e.from === filePath));
            if (!first) {
                return undefined;
            }
            if (first.op === 'delete' && first.kept && first.kind !== 'dir') {
                return first.kept;
            }
            if (first.before) {
                return path.join(session.journal.dir, 'blobs', first.before);
            }
            return undefined;
        } finally {
            session.close();
        }
    }

    async listSlashCommands(): Promise<SlashCommandInfo[]> {
        return this.plugins.slashCommands();
    }

    async listPlugins(): Promise<PluginInfo[]> {
        return this.plugins.list();
    }

    async setPluginEnabled(name: string, enabled: boolean): Promise<void> {
        this.plugins.setEnabled(name, enabled);
        this.runtimePromise = undefined;
    }

    async installPlugin(source: string): Promise<PluginInfo> {
        const info = this.plugins.install(source);
        this.runtimePromise = undefined;
        return info;
    }

    async uninstallPlugin(name: string): Promise<void> {
        this.plugins.uninstall(name);
        this.runtimePromise = undefined;
    }

    previewOffice(file: string): Promise<OfficePreviewResult> {
        return this.office.render(file);
    }

    openInSystemApp(file: string): Promise<void> {
        return this.systemOpener.open(file);
    }

    protected watch(handle: TaskHandle, firstSeq: number): void {
        const task: LiveTask = { handle, seq: firstSeq };
        this.live.set(handle.sessionId, task);
        const unsubscribe = handle.onEvent(event => {
            this.broadcaster.event(task.seq++, event);
        });
        this.broadcaster.sessionsChanged();
        handle.done.then(() => undefined, () => undefined).then(() => {
            unsubscribe();
            this.live.delete(handle.sessionId);
            this.broadcaster.flush();
            this.broadcaster.sessionsChanged();
        });
    }

    /** The runtime for new tasks, built from the settings file, the preferences and the stored key. */
    protected runtime(): Promise<CoworkRuntime> {
        if (!this.runtimePromise) {
            this.runtimePromise = this.createRuntime();
            this.runtimePromise.catch(() => this.runtimePromise = undefined);
        }
        return this.runtimePromise;
    }

    protected async createRuntime(): Promise<CoworkRuntime> {
        const base = loadSettings();
        const key = await this.keys.read();
        const settings: Settings = { ...base, ...this.patch, apiKey: key.key };
        return new CoworkRuntime({ settings, dataDir: dataDir(), extensions: this.extensions.get() });
    }
}

export function errorMessage(e: unknown): string {
    return e instanceof Error ? e.message : String(e);
}
