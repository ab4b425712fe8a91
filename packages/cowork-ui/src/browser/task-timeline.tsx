import * as React from '@theia/core/shared/react';
import { Lane, TimelineItem } from '../common/task-view';
import { formatBytes } from '../common/task-view';
import { MarkdownText } from './markdown-text';
import { ToolCardView } from './tool-card';

/** Long tasks show their latest items; earlier ones on request, so a huge log stays responsive. */
const WINDOW = 150;

export interface TimelineProps {
    lane: Lane;
    /** Request ids this window can still answer. */
    answerable: Set<string>;
    onAnswer(requestId: string): void;
}

export function Timeline(props: TimelineProps): React.ReactElement {
    const [shown, setShown] = React.useState(WINDOW);
    const items = props.lane.items;
    const start = Math.max(0, items.length - shown);
    return <div className='cowork-timeline'>
        {start > 0 && <button className='theia-button secondary cowork-earlier' onClick={() => setShown(shown + WINDOW * 4)}>
            Show {Math.min(start, WINDOW * 4)} earlier of {start}
        </button>}
        {items.slice(start).map((item, i) => <TimelineEntry key={start + i} item={item} answerable={props.answerable} onAnswer={props.onAnswer} />)}
    </div>;
}

function TimelineEntry(props: { item: TimelineItem; answerable: Set<string>; onAnswer(requestId: string): void }): React.ReactElement {
    const { item } = props;
    switch (item.kind) {
        case 'text':
            return <MarkdownText className='cowork-answer' text={item.text} />;
        case 'thinking':
            return <details className='cowork-thinking'><summary>Thinking</summary><pre>{item.text}</pre></details>;
        case 'user':
            return <div className={`cowork-user-message${item.steering ? ' cowork-steering' : ''}`}>
                <span className='codicon codicon-account' /> {item.steering ? <em>Steering: </em> : undefined}{item.text}
            </div>;
        case 'tool':
            return <ToolCardView card={item.card} />;
        case 'notice':
            return <div className={`cowork-notice cowork-notice-${item.level}`}>
                <span className={`codicon ${item.level === 'error' ? 'codicon-error' : item.level === 'info' ? 'codicon-info' : 'codicon-warning'}`} /> {item.text}
            </div>;
        case 'permission': {
            const r = item.request;
            const waiting = !item.outcome && props.answerable.has(r.requestId);
            return <div className={`cowork-permission-item${waiting ? ' cowork-waiting' : ''}`}>
                <span className='codicon codicon-shield' />{' '}
                {r.agentId ? `Sub-agent ${r.agentId}` : 'The task'} asks to {describeAction(r.action)}{' '}
                {r.paths.length === 1 ? r.paths[0] : `${r.paths.length} items`}
                {r.sizes && r.sizes.length ? ` (${formatBytes(r.sizes.reduce((a, b) => a + b, 0))})` : ''}
                {item.outcome && <span className={item.outcome.allowed ? 'cowork-allowed' : 'cowork-denied'}>
                    {' '}— {item.outcome.allowed ? 'allowed' : 'denied'}{item.outcome.by !== 'user' ? ` (${item.outcome.by})` : ''}
                </span>}
                {waiting && <button className='theia-button cowork-answer-button' onClick={() => props.onAnswer(r.requestId)}>Answer…</button>}
            </div>;
        }
    }
}

export function describeAction(action: string): string {
    switch (action) {
        case 'delete': return 'delete';
        case 'overwrite': return 'overwrite';
        case 'move-over': return 'move a file over';
        case 'shell-delete': return 'run a command that deletes';
        case 'shell-overwrite': return 'run a command that overwrites';
        case 'connector': return 'use the connector';
        case 'network': return 'reach the network for';
        default: return action;
    }
}
