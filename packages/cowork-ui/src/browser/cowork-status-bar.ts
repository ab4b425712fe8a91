import { inject, injectable } from '@theia/core/shared/inversify';
import { StatusBar, StatusBarAlignment } from '@theia/core/lib/browser/status-bar/status-bar';
import { planProgress } from '../common/task-view';
import { CoworkCommands } from './cowork-commands';
import { truncate } from './task-actions';
import { TaskStore } from './task-store';

const ID = 'cowork-task-status';

/** The running task's progress, or that it waits for an answer, in the status bar. */
@injectable()
export class CoworkStatusBar {
    @inject(StatusBar) protected readonly statusBar: StatusBar;
    @inject(TaskStore) protected readonly store: TaskStore;

    protected scheduled = false;

    start(): void {
        const refresh = () => this.schedule();
        this.store.onDidChangeTask(refresh);
        this.store.onDidChangeSessions(refresh);
        this.store.onDidChangePermissions(refresh);
        this.store.onDidChangeStatus(refresh);
        this.schedule();
    }

    protected schedule(): void {
        if (!this.scheduled) {
            this.scheduled = true;
            setTimeout(() => {
                this.scheduled = false;
                this.render();
            }, 100);
        }
    }

    protected render(): void {
        const pending = this.store.pending;
        const running = this.store.runningViews;
        if (pending.length) {
            this.statusBar.setElement(ID, {
                text: `$(shield) Claude is waiting for you (${pending.length})`,
                tooltip: 'A task asks for permission: click to answer',
                alignment: StatusBarAlignment.LEFT, priority: 100,
                className: 'cowork-status-waiting',
                command: CoworkCommands.SHOW_PERMISSION.id
            });
            return;
        }
        if (running.length) {
            const view = running[0];
            const p = planProgress(view.plan);
            const step = p.total ? ` ${p.done}/${p.total}${p.current ? ` · ${truncate(p.current, 40)}` : ''}` : '';
            this.statusBar.setElement(ID, {
                text: `$(sync~spin) Claude${step}${running.length > 1 ? ` (+${running.length - 1} more)` : ''}`,
                tooltip: `Running: ${truncate(view.prompt, 100)}`,
                alignment: StatusBarAlignment.LEFT, priority: 100,
                command: CoworkCommands.SHOW_PANEL.id
            });
            return;
        }
        const status = this.store.status;
        if (status && !status.configured) {
            this.statusBar.setElement(ID, {
                text: '$(key) Cowork: set an API key',
                tooltip: status.problem ?? 'No Anthropic API key is configured',
                alignment: StatusBarAlignment.LEFT, priority: 100,
                command: CoworkCommands.SET_API_KEY.id
            });
            return;
        }
        this.statusBar.removeElement(ID);
    }
}
