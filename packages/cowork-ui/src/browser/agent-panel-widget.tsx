import * as React from '@theia/core/shared/react';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { ReactWidget } from '@theia/core/lib/browser/widgets/react-widget';
import { CommandService } from '@theia/core/lib/common/command';
import { FileDialogService } from '@theia/filesystem/lib/browser/file-dialog';
import URI from '@theia/core/lib/common/uri';
import { GrantSpec } from '../common/cowork-protocol';
import { ChangedFile } from '../common/task-view';
import { CoworkCommands } from './cowork-commands';
import { FirstRunView } from './first-run-view';
import { NewTaskDraft, NewTaskForm } from './new-task-form';
import { PermissionPrompter } from './permission-prompter';
import { TaskActions } from './task-actions';
import { TaskStore } from './task-store';
import { TaskViewComponent } from './task-view-component';

/** The agent panel: a new-task box, or the task being watched. */
@injectable()
export class AgentPanelWidget extends ReactWidget {
    static readonly ID = 'cowork-agent-panel';
    static readonly LABEL = 'Claude';

    @inject(TaskStore) protected readonly store: TaskStore;
    @inject(TaskActions) protected readonly actions: TaskActions;
    @inject(PermissionPrompter) protected readonly prompter: PermissionPrompter;
    @inject(CommandService) protected readonly commands: CommandService;
    @inject(FileDialogService) protected readonly fileDialogs: FileDialogService;

    protected mode: 'new' | 'task' = 'new';
    protected draft: NewTaskDraft = { prompt: '', grants: [] };
    protected draftTouched = false;
    protected busy = false;

    @postConstruct()
    protected init(): void {
        this.id = AgentPanelWidget.ID;
        this.title.label = AgentPanelWidget.LABEL;
        this.title.caption = 'Claude: the agent panel';
        this.title.iconClass = 'codicon codicon-sparkle';
        this.title.closable = true;
        this.addClass('cowork-panel');
        this.node.tabIndex = 0;
        this.toDispose.pushAll([
            this.store.onDidChangeTask(id => id === this.store.activeSessionId && this.update()),
            this.store.onDidChangeActive(id => {
                this.mode = id ? 'task' : 'new';
                this.update();
            }),
            this.store.onDidChangeSessions(() => this.update()),
            this.store.onDidChangeStatus(() => this.update()),
            this.store.onDidChangePermissions(() => this.update())
        ]);
        this.actions.workspaceGrants().then(grants => {
            if (!this.draftTouched && this.draft.grants.length === 0) {
                this.draft = { ...this.draft, grants };
                this.update();
            }
        });
        this.update();
    }

    /** Opens the new-task box, granting `grants` (default: the workspace roots). */
    newTask(grants?: GrantSpec[], prompt?: string): void {
        this.mode = 'new';
        this.draft = { prompt: prompt ?? (this.draftTouched ? this.draft.prompt : ''), grants: grants ?? this.actions.defaultGrants() };
        this.draftTouched = !!prompt;
        this.update();
    }

    protected override onActivateRequest(msg: Parameters<ReactWidget['onActivateRequest']>[0]): void {
        super.onActivateRequest(msg);
        const input = this.node.querySelector<HTMLElement>('.cowork-prompt, .cowork-steer textarea, .cowork-resume textarea');
        (input ?? this.node).focus();
    }

    protected render(): React.ReactNode {
        const status = this.store.status;
        const view = this.store.activeView;
        return <div className='cowork-panel-content'>
            <div className='cowork-toolbar'>
                <button className='theia-button secondary cowork-new-task-button' onClick={() => this.newTask()} title='New task (Ctrl+Alt+N)'>
                    <span className='codicon codicon-add' /> New task</button>
                <button className='theia-button secondary' onClick={() => this.commands.executeCommand(CoworkCommands.OPEN_HISTORY.id)}>
                    <span className='codicon codicon-history' /> History</button>
                {view && this.mode === 'new' && <button className='theia-button secondary' onClick={() => { this.mode = 'task'; this.update(); }}>
                    Back to task</button>}
            </div>
            {status && !status.configured && <FirstRunView status={status}
                onSetKey={() => this.commands.executeCommand(CoworkCommands.SET_API_KEY.id)}
                onOpenPreferences={() => this.commands.executeCommand('preferences:open')} />}
            {this.mode === 'new' || !view
                ? <NewTaskForm draft={this.draft} busy={this.busy}
                    onChange={d => { this.draft = d; this.draftTouched = true; this.update(); }}
                    onStart={() => this.start()}
                    onAddFolder={() => this.addFolder()} />
                : <TaskViewComponent view={view}
                    live={this.store.isLive(view.sessionId)}
                    undone={this.store.undone(view.sessionId)}
                    answerable={new Set(this.store.pendingFor(view.sessionId).map(p => p.requestId))}
                    onAnswer={id => this.prompter.show(id)}
                    onSteer={text => this.actions.steer(view.sessionId, text)}
                    onResume={text => this.actions.resume(view.sessionId, text)}
                    onStop={() => this.actions.stop(view.sessionId)}
                    onOpen={(f: ChangedFile) => this.actions.openFile(f.path)}
                    onDiff={(f: ChangedFile) => this.actions.diff(view.sessionId, f)}
                    onUndoStep={step => this.actions.undo(view.sessionId, step)}
                    onUndoAll={() => this.actions.undo(view.sessionId)} />}
        </div>;
    }

    protected async start(): Promise<void> {
        this.busy = true;
        this.update();
        try {
            const id = await this.actions.start(this.draft.prompt, this.draft.grants);
            if (id) {
                this.draft = { prompt: '', grants: this.draft.grants };
                this.draftTouched = false;
                this.mode = 'task';
            }
        } finally {
            this.busy = false;
            this.update();
        }
    }

    protected async addFolder(): Promise<void> {
        const picked = await this.fileDialogs.showOpenDialog({ title: 'Grant a folder to the task', canSelectFolders: true, canSelectFiles: false, canSelectMany: true });
        const uris: URI[] = !picked ? [] : Array.isArray(picked) ? picked : [picked];
        const known = new Set(this.draft.grants.map(g => g.path));
        const added = uris.map(u => u.path.fsPath()).filter(p => !known.has(p)).map(p => ({ path: p, mode: 'rw' as const }));
        this.draft = { ...this.draft, grants: [...this.draft.grants, ...added] };
        this.update();
    }
}
