import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { Emitter } from '@theia/core/lib/common/event';
import { CoworkClientImpl } from './cowork-client-impl';
import {
    CoworkService, CoworkStatus, PendingPermission, SequencedEvent, SessionSummary
} from '../common/cowork-protocol';
import { applyEvent, createTaskView, replayEvents, TaskView } from '../common/task-view';

/**
 * The frontend's picture of the tasks: views rebuilt from the session logs and kept current by
 * the events the backend pushes. It holds no truth of its own: a reload rebuilds it from disk.
 */
@injectable()
export class TaskStore {
    @inject(CoworkService) protected readonly service: CoworkService;
    @inject(CoworkClientImpl) protected readonly client: CoworkClientImpl;

    protected readonly views = new Map<string, TaskView>();
    /** Live events that arrived while the session's log was being read. */
    protected readonly loading = new Map<string, SequencedEvent[]>();
    protected readonly pendingById = new Map<string, PendingPermission>();
    /** Per session, the changes already undone (`step:path`). */
    protected readonly undoneBySession = new Map<string, Set<string>>();
    protected sessionList: SessionSummary[] = [];
    protected currentStatus: CoworkStatus | undefined;
    protected active: string | undefined;

    protected readonly onDidChangeTaskEmitter = new Emitter<string>();
    protected readonly onDidChangeSessionsEmitter = new Emitter<void>();
    protected readonly onDidChangePermissionsEmitter = new Emitter<{ requested?: PendingPermission; settled?: string }>();
    protected readonly onDidChangeActiveEmitter = new Emitter<string | undefined>();
    protected readonly onDidChangeStatusEmitter = new Emitter<CoworkStatus>();
    readonly onDidChangeTask = this.onDidChangeTaskEmitter.event;
    readonly onDidChangeSessions = this.onDidChangeSessionsEmitter.event;
    readonly onDidChangePermissions = this.onDidChangePermissionsEmitter.event;
    readonly onDidChangeActive = this.onDidChangeActiveEmitter.event;
    readonly onDidChangeStatus = this.onDidChangeStatusEmitter.event;

    @postConstruct()
    protected init(): void {
        this.client.onDidReceiveEvents(batch => this.onEvents(batch));
        this.client.onDidChangeSessions(() => this.onSessionsChanged());
        this.client.onDidRequestPermission(r => this.onPermissionRequested(r));
        this.client.onDidSettlePermission(id => this.onPermissionSettled(id));
    }

    // ---- what the backend pushes ----

    onEvents(batch: SequencedEvent[]): void {
        const touched = new Set<string>();
        for (const item of batch) {
            const id = item.event.sessionId;
            const buffer = this.loading.get(id);
            if (buffer) {
                buffer.push(item);
                continue;
            }
            let view = this.views.get(id);
            if (!view && item.seq === 0) {
                // A task that just started (here or in another window): follow it from its first event.
                view = createTaskView(id);
                this.views.set(id, view);
            }
            if (view && item.seq === view.eventCount) {
                applyEvent(view, item.event);
                touched.add(id);
            }
        }
        for (const id of touched) {
            this.onDidChangeTaskEmitter.fire(id);
        }
    }

    onSessionsChanged(): void {
        this.refreshSessions().catch(() => undefined);
    }

    onPermissionRequested(request: PendingPermission): void {
        this.pendingById.set(request.requestId, request);
        this.onDidChangePermissionsEmitter.fire({ requested: request });
    }

    onPermissionSettled(requestId: string): void {
        if (this.pendingById.delete(requestId)) {
            this.onDidChangePermissionsEmitter.fire({ settled: requestId });
        }
    }

    // ---- what the views ask ----

    get sessions(): SessionSummary[] {
        return this.sessionList;
    }

    get status(): CoworkStatus | undefined {
        return this.currentStatus;
    }

    get activeSessionId(): string | undefined {
        return this.active;
    }

    get activeView(): TaskView | undefined {
        return this.active ? this.views.get(this.active) : undefined;
    }

    view(sessionId: string): TaskView | undefined {
        return this.views.get(sessionId);
    }

    isLive(sessionId: string): boolean {
        return !!this.sessionList.find(s => s.id === sessionId)?.live;
    }

    undone(sessionId: string): Set<string> {
        return this.undoneBySession.get(sessionId) ?? new Set();
    }

    /** Re-reads which changes of a session were undone (after an undo, or on opening it). */
    async refreshUndone(sessionId: string): Promise<void> {
        try {
            this.undoneBySession.set(sessionId, new Set(await this.service.undoneChanges(sessionId)));
        } catch {
            // A session without a journal has nothing undone.
            this.undoneBySession.delete(sessionId);
        }
        this.onDidChangeTaskEmitter.fire(sessionId);
    }

    /** Questions waiting for an answer, oldest first. */
    get pending(): PendingPermission[] {
        return [...this.pendingById.values()];
    }

    pendingFor(sessionId: string): PendingPermission[] {
        return this.pending.filter(p => p.sessionId === sessionId);
    }

    /** The first running task, for the status bar. */
    get runningViews(): TaskView[] {
        return this.sessionList.filter(s => s.live).map(s => this.views.get(s.id)).filter((v): v is TaskView => !!v);
    }

    async initialize(): Promise<void> {
        const [status, pending] = await Promise.all([this.service.getStatus(), this.service.pendingPermissions()]);
        this.setStatus(status);
        for (const p of pending) {
            this.pendingById.set(p.requestId, p);
        }
        await this.refreshSessions();
        for (const s of this.sessionList.filter(x => x.live)) {
            await this.load(s.id);
        }
        if (pending.length) {
            this.onDidChangePermissionsEmitter.fire({});
        }
    }

    async refreshStatus(): Promise<CoworkStatus> {
        const status = await this.service.getStatus();
        this.setStatus(status);
        return status;
    }

    setStatus(status: CoworkStatus): void {
        this.currentStatus = status;
        this.onDidChangeStatusEmitter.fire(status);
    }

    async refreshSessions(): Promise<void> {
        this.sessionList = await this.service.listSessions();
        this.onDidChangeSessionsEmitter.fire();
    }

    /** Reads a session's log (once) and follows its live events from there. */
    async load(sessionId: string, force = false): Promise<TaskView> {
        const existing = this.views.get(sessionId);
        if (existing && !force) {
            return existing;
        }
        this.loading.set(sessionId, []);
        try {
            const [events] = await Promise.all([this.service.readEvents(sessionId), this.refreshUndone(sessionId)]);
            const view = replayEvents(sessionId, events);
            for (const item of this.loading.get(sessionId) ?? []) {
                if (item.seq === view.eventCount) {
                    applyEvent(view, item.event);
                }
            }
            this.views.set(sessionId, view);
            return view;
        } finally {
            this.loading.delete(sessionId);
            this.onDidChangeTaskEmitter.fire(sessionId);
        }
    }

    async setActive(sessionId: string | undefined): Promise<void> {
        if (sessionId) {
            await this.load(sessionId);
        }
        this.active = sessionId;
        this.onDidChangeActiveEmitter.fire(sessionId);
    }

    forget(sessionId: string): void {
        this.views.delete(sessionId);
        if (this.active === sessionId) {
            this.active = undefined;
            this.onDidChangeActiveEmitter.fire(undefined);
        }
    }
}
