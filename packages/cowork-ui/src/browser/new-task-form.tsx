import * as React from '@theia/core/shared/react';
import { GrantSpec } from '../common/cowork-protocol';

export interface NewTaskDraft {
    prompt: string;
    grants: GrantSpec[];
}

export interface NewTaskFormProps {
    draft: NewTaskDraft;
    busy: boolean;
    onChange(draft: NewTaskDraft): void;
    onStart(): void;
    onAddFolder(): void;
    onCancel?(): void;
}

/** The new-task box: what to do, and which folders the task may touch (read-only or not). */
export function NewTaskForm(props: NewTaskFormProps): React.ReactElement {
    const { draft } = props;
    const allReadOnly = draft.grants.length > 0 && draft.grants.every(g => g.mode === 'ro');
    const setGrants = (grants: GrantSpec[]) => props.onChange({ ...draft, grants });
    const canStart = !props.busy && draft.prompt.trim() !== '' && draft.grants.length > 0;
    return <div className='cowork-new-task'>
        <textarea
            className='theia-input cowork-prompt'
            placeholder='What should Claude do? (Ctrl+Enter to start)'
            value={draft.prompt}
            rows={4}
            autoFocus
            onChange={e => props.onChange({ ...draft, prompt: e.target.value })}
            onKeyDown={e => {
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && canStart) {
                    e.preventDefault();
                    props.onStart();
                }
            }}
        />
        <div className='cowork-grants'>
            <div className='cowork-grants-title'>Folders Claude may use</div>
            {draft.grants.length === 0 && <div className='cowork-hint'>No folder granted: add one (the task sees nothing else).</div>}
            {draft.grants.map((g, i) => <div className='cowork-grant' key={g.path}>
                <span className='codicon codicon-folder' />
                <span className='cowork-grant-path' title={g.path}>{g.path}</span>
                <label className='cowork-grant-ro' title='The task may read but not change this folder'>
                    <input type='checkbox' checked={g.mode === 'ro'}
                        onChange={e => setGrants(draft.grants.map((x, j) => j === i ? { ...x, mode: e.target.checked ? 'ro' : 'rw' } : x))} />
                    read-only
                </label>
                <span className='codicon codicon-close cowork-icon-button' title='Remove this folder'
                    onClick={() => setGrants(draft.grants.filter((_, j) => j !== i))} />
            </div>)}
            <div className='cowork-grant-actions'>
                <button className='theia-button secondary' onClick={props.onAddFolder}>Add folder…</button>
                <label className='cowork-all-ro'>
                    <input type='checkbox' checked={allReadOnly} disabled={draft.grants.length === 0}
                        onChange={e => setGrants(draft.grants.map(g => ({ ...g, mode: e.target.checked ? 'ro' : 'rw' })))} />
                    Read-only task
                </label>
            </div>
        </div>
        <div className='cowork-form-buttons'>
            <button className='theia-button cowork-start' disabled={!canStart} onClick={props.onStart}>Start task</button>
            {props.onCancel && <button className='theia-button secondary' onClick={props.onCancel}>Cancel</button>}
        </div>
    </div>;
}
