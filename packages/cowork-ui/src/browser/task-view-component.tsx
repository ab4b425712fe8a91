import * as React from '@theia/core/shared/react';
import { PlanItem } from '@cowork/agent/lib/src/events';
import { ChangedFile, Lane, planProgress, TaskView, totalUsage } from '../common/task-view';
import { MarkdownText } from './markdown-text';
import { Timeline } from './task-timeline';

export interface TaskViewProps {
    view: TaskView;
    /** True while this backend runs the task: steering and Stop reach it. */
    live: boolean;
    /** Changes already undone, as `step:path`. */
    undone: Set<string>;
    answerable: Set<string>;
    onAnswer(requestId: string): void;
    onSteer(text: string): Promise<boolean>;
    onResume(text: string): Promise<boolean>;
    onStop(): void;
    onOpen(file: ChangedFile): void;
    onDiff(file: ChangedFile): void;
    onUndoStep(step: number): void;
    onUndoAll(): void;
}

/** One task: what was asked, the plan, the answer as it streams, tool cards, sub-agent lanes, changed files. */
export function TaskViewComponent(props: TaskViewProps): React.ReactElement {
    const { view } = props;
    const running = view.status === 'running' && props.live;
    const interrupted = view.status === 'running' && !props.live;
    const usage = totalUsage(view);
    return <div className='cowork-task' data-session={view.sessionId} data-status={interrupted ? 'interrupted' : view.status}>
        <div className='cowork-task-prompt' title={view.prompt}>{view.prompt}</div>
        <div className='cowork-task-meta'>
            <StatusBadge status={interrupted ? 'interrupted' : view.status} />
            <span>{view.grants.map(g => `${g.path}${g.mode === 'ro' ? ' (read-only)' : ''}`).join(', ')}</span>
        </div>
        {view.reason && view.status !== 'running' && view.status !== 'completed' && !shownInTimeline(view, view.reason) && <div className='cowork-notice cowork-notice-error cowork-task-reason'>
            <span className='codicon codicon-error' /> {view.reason}
        </div>}
        {view.plan.length > 0 && <PlanView plan={view.plan} />}
        <Timeline lane={view.main} answerable={props.answerable} onAnswer={props.onAnswer} />
        {view.lanes.map(lane => <SubAgentLane key={lane.agentId} lane={lane} answerable={props.answerable} onAnswer={props.onAnswer} />)}
        {view.files.length > 0 && <FilesChanged files={view.files} undone={props.undone} roots={view.grants.map(g => g.path)} canUndo={!running} onOpen={props.onOpen} onDiff={props.onDiff}
            onUndoStep={props.onUndoStep} onUndoAll={props.onUndoAll} />}
        <div className='cowork-usage' title='Tokens: input / output / cache read / cache write'>
            Tokens: {usage.inputTokens.toLocaleString()} in · {usage.outputTokens.toLocaleString()} out
            {usage.cacheReadTokens ? ` · ${usage.cacheReadTokens.toLocaleString()} cache read` : ''}
            {usage.cacheWriteTokens ? ` · ${usage.cacheWriteTokens.toLocaleString()} cache write` : ''}
        </div>
        {running
            ? <MessageBox key='steer' className='cowork-steer' placeholder='Steer the task: a message it reads at its next step'
                button='Send' onSend={props.onSteer} extra={<button className='theia-button secondary cowork-stop' onClick={props.onStop}>
                    <span className='codicon codicon-debug-stop' /> Stop</button>} />
            : <MessageBox key='resume' className='cowork-resume' placeholder='Continue this task with a new message' button='Continue' onSend={props.onResume} />}
    </div>;
}

function StatusBadge(props: { status: string }): React.ReactElement {
    const labels: Record<string, string> = {
        running: 'Running', completed: 'Completed', failed: 'Failed', cancelled: 'Stopped',
        budget_exceeded: 'Budget exceeded', interrupted: 'Interrupted', refused: 'Refused'
    };
    return <span className={`cowork-badge cowork-badge-${props.status}`}>{labels[props.status] ?? props.status}</span>;
}

function PlanView(props: { plan: PlanItem[] }): React.ReactElement {
    const progress = planProgress(props.plan);
    return <div className='cowork-plan'>
        <div className='cowork-plan-title'>Plan · {progress.done}/{progress.total}</div>
        <div className='cowork-progress'><div className='cowork-progress-bar' style={{ width: `${progress.total ? 100 * progress.done / progress.total : 0}%` }} /></div>
        <ul>
            {props.plan.map((item, i) => <li key={i} className={`cowork-plan-${item.status}`}>
                <span className={`codicon ${item.status === 'completed' ? 'codicon-pass-filled' : item.status === 'in_progress' ? 'codicon-circle-large-filled' : 'codicon-circle-large'}`} />
                {' '}{item.status === 'in_progress' ? item.activeForm : item.content}
            </li>)}
        </ul>
    </div>;
}

function SubAgentLane(props: { lane: Lane; answerable: Set<string>; onAnswer(id: string): void }): React.ReactElement {
    const { lane } = props;
    const [open, setOpen] = React.useState(lane.status === 'running');
    return <div className='cowork-lane' data-agent={lane.agentId}>
        <div className='cowork-lane-header' onClick={() => setOpen(!open)}>
            <span className={`codicon ${open ? 'codicon-chevron-down' : 'codicon-chevron-right'}`} />
            <span className='codicon codicon-person' /> {lane.description}
            {lane.subagentType && <span className='cowork-lane-type'> · {lane.subagentType}</span>}
            {' '}<StatusBadge status={lane.status} />
        </div>
        {open && <Timeline lane={lane} answerable={props.answerable} onAnswer={props.onAnswer} />}
        {!open && lane.summary && <MarkdownText className='cowork-lane-summary' text={lane.summary} />}
    </div>;
}

/** The error notice already says it: no need for the same words twice. */
function shownInTimeline(view: TaskView, reason: string): boolean {
    return view.main.items.some(i => i.kind === 'notice' && i.level === 'error' && i.text === reason);
}

/** A path as the user knows it: relative to the granted folder it lies in. */
export function displayPath(file: string, roots: string[]): string {
    const root = roots.filter(r => file === r || file.startsWith(r.endsWith('/') ? r : r + '/')).sort((a, b) => b.length - a.length)[0];
    if (!root) {
        return file;
    }
    const base = root.split('/').filter(Boolean).pop() ?? root;
    return file === root ? base : `${base}/${file.slice(root.replace(/\/$/, '').length + 1)}`;
}

function FilesChanged(props: {
    files: ChangedFile[]; undone: Set<string>; roots: string[]; canUndo: boolean;
    onOpen(f: ChangedFile): void; onDiff(f: ChangedFile): void; onUndoStep(step: number): void; onUndoAll(): void;
}): React.ReactElement {
    // One row per path: the latest change to it.
    const latest = new Map<string, ChangedFile>();
    for (const f of props.files) {
        latest.delete(f.path);
        latest.set(f.path, f);
    }
    const isUndone = (f: ChangedFile) => props.undone.has(`${f.step}:${f.path}`);
    const allUndone = [...latest.values()].every(isUndone);
    return <div className='cowork-files'>
        <div className='cowork-files-title'>
            Files changed ({latest.size})
            {props.canUndo && !allUndone && <button className='theia-button secondary cowork-undo-all' onClick={props.onUndoAll}>Undo task</button>}
        </div>
        {[...latest.values()].map(f => <div className={`cowork-file cowork-file-${f.change}${isUndone(f) ? ' cowork-file-undone' : ''}`} key={f.path}>
            <span className={`cowork-change cowork-change-${f.change}`}>{isUndone(f) ? 'undone' : f.change}</span>
            <span className='cowork-file-path' title={f.from ? `${f.from} → ${f.path}` : f.path}
                onClick={() => f.change !== 'deleted' && props.onOpen(f)}>{displayPath(f.path, props.roots)}</span>
            {f.change !== 'deleted' && !(isUndone(f) && f.change === 'created') && <span className='codicon codicon-go-to-file cowork-icon-button' title='Open' onClick={() => props.onOpen(f)} />}
            <span className='codicon codicon-diff cowork-icon-button' title='Compare with before' onClick={() => props.onDiff(f)} />
            {props.canUndo && !isUndone(f) && <span className='codicon codicon-discard cowork-icon-button' title={`Undo step ${f.step}`} onClick={() => props.onUndoStep(f.step)} />}
        </div>)}
    </div>;
}

function MessageBox(props: {
    className: string; placeholder: string; button: string; onSend(text: string): Promise<boolean>; extra?: React.ReactNode
}): React.ReactElement {
    const [text, setText] = React.useState('');
    const send = async () => {
        if (text.trim() && await props.onSend(text)) {
            setText('');
        }
    };
    return <div className={`cowork-message-box ${props.className}`}>
        <textarea className='theia-input' rows={2} placeholder={props.placeholder} value={text}
            onChange={e => setText(e.target.value)}
            onKeyDown={e => {
                if (e.key === 'Enter' && !e.shiftKey) {
                    e.preventDefault();
                    send();
                }
            }} />
        <div className='cowork-form-buttons'>
            <button className='theia-button' disabled={!text.trim()} onClick={send}>{props.button}</button>
            {props.extra}
        </div>
    </div>;
}
