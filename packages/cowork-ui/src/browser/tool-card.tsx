import * as React from '@theia/core/shared/react';
import { ToolCard } from '../common/task-view';

/** One tool call: a one-line summary; input and output when opened. */
export function ToolCardView(props: { card: ToolCard }): React.ReactElement {
    const { card } = props;
    const [open, setOpen] = React.useState(false);
    const state = card.running ? 'running' : card.isError ? 'error' : 'done';
    const icon = card.running ? 'codicon-loading codicon-modifier-spin' : card.isError ? 'codicon-error' : 'codicon-check';
    return <div className={`cowork-tool-card cowork-tool-${state}`} data-tool={card.name}>
        <div className='cowork-tool-header' onClick={() => setOpen(!open)} title={open ? 'Hide input and output' : 'Show input and output'}>
            <span className={`codicon ${open ? 'codicon-chevron-down' : 'codicon-chevron-right'}`} />
            <span className={`codicon ${icon}`} />
            <span className='cowork-tool-name'>{card.name}</span>
            <span className='cowork-tool-summary'>{summarize(card.input)}</span>
        </div>
        {open && <div className='cowork-tool-body'>
            <div className='cowork-tool-section'>Input</div>
            <pre className='cowork-tool-pre'>{formatInput(card.input)}</pre>
            {card.output && <>
                <div className='cowork-tool-section'>Output</div>
                <pre className='cowork-tool-pre'>{card.output}</pre>
            </>}
            {card.result !== undefined && <>
                <div className='cowork-tool-section'>{card.isError ? 'Error' : 'Result'}</div>
                <pre className='cowork-tool-pre'>{card.result}</pre>
            </>}
        </div>}
    </div>;
}

function formatInput(input: unknown): string {
    if (input === undefined) {
        return '(not recorded)';
    }
    try {
        return JSON.stringify(input, undefined, 2);
    } catch {
        return String(input);
    }
}

/** The most telling field of a tool's input, on one line. */
function summarize(input: unknown): string {
    if (!input || typeof input !== 'object') {
        return '';
    }
    const o = input as Record<string, unknown>;
    for (const key of ['path', 'file_path', 'command', 'pattern', 'description', 'url', 'query']) {
        if (typeof o[key] === 'string') {
            const s = (o[key] as string).replace(/\s+/g, ' ');
            return s.length > 80 ? s.slice(0, 79) + '…' : s;
        }
    }
    return '';
}
