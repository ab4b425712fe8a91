import * as React from '@theia/core/shared/react';
import { ReactDialog } from '@theia/core/lib/browser/dialogs/react-dialog';
import { PendingPermission } from '../common/cowork-protocol';
import { formatBytes } from '../common/task-view';
import { describeAction } from './task-timeline';

export interface PermissionDialogResult {
    allowed: boolean;
    remember: boolean;
}

/** Who is asking, in words: the task (by its prompt) or one of its sub-agents. */
export interface PermissionAsker {
    task: string;
    subAgent?: string;
}

const MAX_LISTED = 50;

/**
 * Asks before the agent destroys or replaces data: what goes (paths, sizes, count), who asks,
 * Allow or Deny, and whether to remember the answer for this task. Closing it answers nothing:
 * the task keeps waiting and the panel offers the question again.
 */
export class PermissionDialog extends ReactDialog<PermissionDialogResult> {
    protected allowed = false;
    protected remember = false;

    constructor(readonly request: PendingPermission, protected readonly asker: PermissionAsker) {
        super({ title: `Allow Claude to ${describeAction(request.action)}?`, maxWidth: 640, wordWrap: 'break-word' });
        this.addClass('cowork-permission-dialog');
        const deny = this.appendButton('Deny', false);
        deny.classList.add('cowork-deny');
        this.addAction(deny, () => this.choose(false), 'click');
        const allow = this.appendButton('Allow', true);
        allow.classList.add('cowork-allow');
        this.addAction(allow, () => this.choose(true), 'click');
    }

    get value(): PermissionDialogResult {
        return { allowed: this.allowed, remember: this.remember };
    }

    protected choose(allowed: boolean): void {
        this.allowed = allowed;
        this.accept();
    }

    /** Enter must not allow a deletion by accident: only a click answers. */
    protected override handleEnter(): boolean {
        return false;
    }

    protected render(): React.ReactNode {
        const r = this.request;
        const sizes = r.sizes ?? [];
        const total = sizes.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
        const shown = r.paths.slice(0, MAX_LISTED);
        return <div className='cowork-permission'>
            <p className='cowork-permission-who'>
                <span className='codicon codicon-shield' />{' '}
                {this.asker.subAgent ? <>Sub-agent <strong>{this.asker.subAgent}</strong> of the task </> : 'The task '}
                <strong>“{this.asker.task}”</strong> asks to <strong>{describeAction(r.action)}</strong>
                {' '}{r.paths.length} {r.paths.length === 1 ? 'item' : 'items'}{sizes.length ? `, ${formatBytes(total)} in all` : ''}
                {' '}(tool <code>{r.tool}</code>).
            </p>
            {r.reason && <p className='cowork-permission-reason'>{r.reason}</p>}
            <ul className='cowork-permission-paths'>
                {shown.map((p, i) => <li key={p + i}><code>{p}</code>{sizes[i] !== undefined ? <span className='cowork-size'> {formatBytes(sizes[i])}</span> : undefined}</li>)}
                {r.paths.length > shown.length && <li>… and {r.paths.length - shown.length} more</li>}
            </ul>
            <p className='cowork-hint'>Whatever is allowed can be undone afterwards from the task's list of changed files.</p>
            <label className='cowork-remember'>
                <input type='checkbox' onChange={e => { this.remember = e.target.checked; }} />
                {' '}Remember this answer for the rest of this task
            </label>
        </div>;
    }
}
