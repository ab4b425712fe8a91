import * as React from '@theia/core/shared/react';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { ReactWidget } from '@theia/core/lib/browser/widgets/react-widget';
import { ApplicationShell } from '@theia/core/lib/browser/shell/application-shell';
import { SessionSummary } from '../common/cowork-protocol';
import { AGENT_PANEL_ID } from './permission-prompter';
import { TaskActions } from './task-actions';
import { TaskStore } from './task-store';

/** Past and running tasks from the data directory: reopen, resume, export, delete. */
@injectable()
export class TaskHistoryWidget extends ReactWidget {
    static readonly ID = 'cowork-task-history';
    static readonly LABEL = 'Task History';

    @inject(TaskStore) protected readonly store: TaskStore;
    @inject(TaskActions) protected readonly actions: TaskActions;
    @inject(ApplicationShell) protected readonly shell: ApplicationShell;

    @postConstruct()
    protected init(): void {
        this.id = TaskHistoryWidget.ID;
        this.title.label = TaskHistoryWidget.LABEL;
        this.title.caption = 'Cowork: task history';
        this.title.iconClass = 'codicon codicon-history';
        this.title.closable = true;
        this.addClass('cowork-history');
        this.toDispose.push(this.store.onDidChangeSessions(() => this.update()));
        this.store.refreshSessions().catch(() => undefined);
        this.update();
    }

    protected override onActivateRequest(msg: Parameters<ReactWidget['onActivateRequest']>[0]): void {
        super.onActivateRequest(msg);
        this.node.focus();
    }

    protected render(): React.ReactNode {
        const sessions = this.store.sessions;
        if (sessions.length === 0) {
            return <div className='cowork-history-empty'>No tasks yet. Start one from the agent panel or with “Ask Claude…” on a folder.</div>;
        }
        return <div className='cowork-history-list'>
            {sessions.map(s => <HistoryRow key={s.id} session={s}
                onOpen={() => this.openTask(s.id)}
                onExport={() => this.actions.exportBundle(s.id)}
                onDelete={() => this.actions.delete(s.id)} />)}
        </div>;
    }

    protected async openTask(sessionId: string): Promise<void> {
        await this.store.setActive(sessionId);
        await this.shell.revealWidget(AGENT_PANEL_ID);
    }
}

function HistoryRow(props: { session: SessionSummary; onOpen(): void; onExport(): void; onDelete(): void }): React.ReactElement {
    const s = props.session;
    const when = new Date(s.updatedAt || s.createdAt);
    return <div className={`cowork-history-row cowork-history-${s.status}`} data-session={s.id}>
        <div className='cowork-history-prompt' title={s.prompt} onClick={props.onOpen}>{s.prompt}</div>
        <div className='cowork-history-meta'>
            <span className={`cowork-badge cowork-badge-${s.status}`}>{s.status}</span>
            {' '}{isNaN(when.getTime()) ? '' : when.toLocaleString()}
            {' '}· {s.grants.map(g => g.path.split('/').pop() || g.path).join(', ')}
        </div>
        {s.reason && s.status !== 'completed' && <div className='cowork-history-reason'>{s.reason}</div>}
        <div className='cowork-history-actions'>
            <button className='theia-button secondary' onClick={props.onOpen} title='Show what the task did; continue it from the panel'>
                {s.live ? 'Watch' : 'Reopen'}</button>
            {!s.live && <button className='theia-button secondary' onClick={props.onOpen} title='Open it, then write the message to continue with'>Resume</button>}
            <button className='theia-button secondary' onClick={props.onExport} title='Write the log and journal as a .tar.gz bundle'>Export</button>
            {!s.live && <button className='theia-button secondary cowork-delete' onClick={props.onDelete}>Delete</button>}
        </div>
    </div>;
}
