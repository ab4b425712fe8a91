import { inject, injectable } from '@theia/core/shared/inversify';
import { MessageService } from '@theia/core/lib/common/message-service';
import { ApplicationShell } from '@theia/core/lib/browser/shell/application-shell';
import { PendingPermission } from '../common/cowork-protocol';
import { PermissionDialog } from './permission-dialog';
import { TaskActions, truncate } from './task-actions';
import { TaskStore } from './task-store';

export const AGENT_PANEL_ID = 'cowork-agent-panel';

/**
 * Puts the agent's questions in front of the user: a dialog when the agent panel is in view,
 * else a notification that opens it. A question answered in another window closes ours.
 */
@injectable()
export class PermissionPrompter {
    @inject(TaskStore) protected readonly store: TaskStore;
    @inject(TaskActions) protected readonly actions: TaskActions;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(ApplicationShell) protected readonly shell: ApplicationShell;

    protected open: PermissionDialog | undefined;
    protected notified = new Set<string>();

    start(): void {
        this.store.onDidChangePermissions(change => {
            if (change.settled && this.open?.request.requestId === change.settled) {
                this.open.close();
            }
            this.next();
        });
        this.next();
    }

    /** Shows the dialog for one waiting question. */
    async show(requestId: string): Promise<void> {
        const request = this.store.pending.find(p => p.requestId === requestId);
        if (!request) {
            this.messages.info('That question was already answered, or its task has stopped.');
            return;
        }
        if (this.open) {
            if (this.open.request.requestId === requestId) {
                return;
            }
            this.open.close();
        }
        const dialog = new PermissionDialog(request, this.askerOf(request));
        this.open = dialog;
        try {
            const result = await dialog.open();
            if (result) {
                await this.actions.answer(request.requestId, result.allowed, result.remember);
            }
        } finally {
            if (this.open === dialog) {
                this.open = undefined;
            }
        }
    }

    protected next(): void {
        const first = this.store.pending[0];
        if (!first || this.open) {
            return;
        }
        if (this.panelVisible()) {
            this.show(first.requestId);
        } else if (!this.notified.has(first.requestId)) {
            this.notified.add(first.requestId);
            this.notify(first);
        }
    }

    protected async notify(request: PendingPermission): Promise<void> {
        const who = this.askerOf(request);
        const answer = await this.messages.warn(
            `Claude is waiting for your answer: “${who.task}” asks to ${request.action} ${request.paths.length} item(s).`, 'Answer');
        if (answer === 'Answer') {
            await this.shell.revealWidget(AGENT_PANEL_ID);
            if (this.store.pending.some(p => p.requestId === request.requestId)) {
                await this.store.setActive(request.sessionId);
                this.show(request.requestId);
            }
        }
    }

    protected panelVisible(): boolean {
        const panel = this.shell.getWidgets('right').concat(this.shell.getWidgets('left'), this.shell.getWidgets('main'))
            .find(w => w.id === AGENT_PANEL_ID);
        return !!panel && panel.isVisible;
    }

    protected askerOf(request: PendingPermission): { task: string; subAgent?: string } {
        const view = this.store.view(request.sessionId);
        const summary = this.store.sessions.find(s => s.id === request.sessionId);
        const task = truncate(view?.prompt || summary?.prompt || request.sessionId, 80);
        const lane = request.agentId ? view?.lanes.find(l => l.agentId === request.agentId) : undefined;
        return { task, subAgent: request.agentId ? (lane?.description ?? request.agentId) : undefined };
    }
}
