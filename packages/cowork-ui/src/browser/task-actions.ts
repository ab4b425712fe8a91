import { inject, injectable } from '@theia/core/shared/inversify';
import URI from '@theia/core/lib/common/uri';
import { MessageService } from '@theia/core/lib/common/message-service';
import { OpenerService, open } from '@theia/core/lib/browser/opener-service';
import { ConfirmDialog } from '@theia/core/lib/browser/dialogs';
import { DiffUris } from '@theia/core/lib/browser/diff-uris';
import { WorkspaceService } from '@theia/workspace/lib/browser/workspace-service';
import { CoworkService, GrantSpec } from '../common/cowork-protocol';
import { ChangedFile } from '../common/task-view';
import { TaskStore } from './task-store';

/** What a user can do to a task, with the messages that tell what happened. Used by every view. */
@injectable()
export class TaskActions {
    @inject(CoworkService) protected readonly service: CoworkService;
    @inject(TaskStore) protected readonly store: TaskStore;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(OpenerService) protected readonly openers: OpenerService;
    @inject(WorkspaceService) protected readonly workspace: WorkspaceService;

    /** Starts a task and makes it the panel's task; returns its id, or undefined with the error shown. */
    async start(prompt: string, grants: GrantSpec[]): Promise<string | undefined> {
        try {
            const id = await this.service.startTask({ prompt, grants });
            await this.store.refreshSessions();
            await this.store.setActive(id);
            return id;
        } catch (e) {
            this.messages.error(`The task could not start: ${messageOf(e)}`);
            return undefined;
        }
    }

    async steer(sessionId: string, text: string): Promise<boolean> {
        return this.attempt('The message could not be sent', () => this.service.steer(sessionId, text));
    }

    async resume(sessionId: string, text: string): Promise<boolean> {
        const ok = await this.attempt('The task could not continue', () => this.service.resumeTask(sessionId, text));
        if (ok) {
            await this.store.refreshSessions();
        }
        return ok;
    }

    async stop(sessionId: string): Promise<void> {
        await this.attempt('The task could not be stopped', () => this.service.cancel(sessionId));
    }

    async answer(requestId: string, allowed: boolean, remember: boolean): Promise<void> {
        await this.attempt('The answer did not reach the task', () => this.service.answerPermission(requestId, { allowed, remember }));
    }

    /** Undoes a whole task (no step) or one step of it, and says what came back and what did not. */
    async undo(sessionId: string, step?: number): Promise<void> {
        try {
            const report = await this.service.undo(sessionId, step);
            const what = step === undefined ? 'the task' : `step ${step}`;
            if (report.conflicts.length) {
                this.messages.warn(`Undo of ${what}: ${report.restored.length} file(s) restored; `
                    + `${report.conflicts.length} left as they are because they changed since: `
                    + report.conflicts.map(c => `${c.path} (${c.reason})`).join('; '));
            } else if (report.restored.length === 0) {
                this.messages.info(`Nothing to undo for ${what}.`);
            } else {
                this.messages.info(`Undid ${what}: ${report.restored.length} file(s) restored.`);
            }
        } catch (e) {
            this.messages.error(`Undo failed: ${messageOf(e)}`);
        }
        await this.store.refreshUndone(sessionId);
    }

    async openFile(path: string): Promise<void> {
        try {
            await open(this.openers, URI.fromFilePath(path));
        } catch (e) {
            this.messages.error(`Cannot open ${path}: ${messageOf(e)}`);
        }
    }

    /** The file as it was before the task beside the file as it is now. */
    async diff(sessionId: string, file: ChangedFile): Promise<void> {
        try {
            const original = await this.service.originalOf(sessionId, file.from ?? file.path);
            if (file.change === 'deleted') {
                if (original) {
                    await open(this.openers, URI.fromFilePath(original));
                } else {
                    this.messages.info(`${file.path} was deleted; nothing of it is left to compare.`);
                }
                return;
            }
            if (!original) {
                // Created by the task: there is no "before", the file itself is the change.
                await this.openFile(file.path);
                return;
            }
            const left = URI.fromFilePath(original);
            const right = URI.fromFilePath(file.path);
            const name = right.path.base;
            await open(this.openers, DiffUris.encode(left, right, `${name} (before ↔ after the task)`));
        } catch (e) {
            this.messages.error(`Cannot compare ${file.path}: ${messageOf(e)}`);
        }
    }

    async exportBundle(sessionId: string): Promise<void> {
        try {
            const root = this.workspace.tryGetRoots()[0];
            const file = await this.service.exportSession(sessionId, root ? root.resource.path.fsPath() : undefined);
            this.messages.info(`Exported the task to ${file}`);
        } catch (e) {
            this.messages.error(`Export failed: ${messageOf(e)}`);
        }
    }

    /** Deletes a task's history after asking; its files stay as they are. */
    async delete(sessionId: string): Promise<boolean> {
        const summary = this.store.sessions.find(s => s.id === sessionId);
        const confirmed = await new ConfirmDialog({
            title: 'Delete task',
            msg: `Delete the history of "${truncate(summary?.prompt ?? sessionId, 80)}"? `
                + 'Its log and undo journal go; the files it changed stay as they are, and it can no longer be undone.',
            ok: 'Delete',
            cancel: 'Cancel'
        }).open();
        if (!confirmed) {
            return false;
        }
        const ok = await this.attempt('The task could not be deleted', () => this.service.deleteSession(sessionId));
        if (ok) {
            this.store.forget(sessionId);
            await this.store.refreshSessions();
        }
        return ok;
    }

    /** The default grants once the workspace has opened. */
    async workspaceGrants(): Promise<GrantSpec[]> {
        await this.workspace.roots;
        return this.defaultGrants();
    }

    /** The workspace roots as read-write grants: the new-task box's default. */
    defaultGrants(): GrantSpec[] {
        return this.workspace.tryGetRoots().map(r => ({ path: r.resource.path.fsPath(), mode: 'rw' as const }));
    }

    protected async attempt(what: string, run: () => Promise<unknown>): Promise<boolean> {
        try {
            await run();
            return true;
        } catch (e) {
            this.messages.error(`${what}: ${messageOf(e)}`);
            return false;
        }
    }
}

/** The readable part of an error that crossed JSON-RPC; never a stack. */
export function messageOf(e: unknown): string {
    const raw = e instanceof Error ? e.message : typeof e === 'object' && e && 'message' in e ? String((e as { message: unknown }).message) : String(e);
    return raw.replace(/^Request '[^']*' failed\s*/, '').split('\n    at ')[0];
}

export function truncate(text: string, max: number): string {
    const one = text.replace(/\s+/g, ' ').trim();
    return one.length > max ? one.slice(0, max - 1) + '…' : one;
}
