import * as React from '@theia/core/shared/react';
import { CoworkStatus } from '../common/cowork-protocol';

/** Shown while no model can be reached: says what to set, and where. */
export function FirstRunView(props: { status: CoworkStatus; onSetKey(): void; onOpenPreferences(): void }): React.ReactElement {
    const { status } = props;
    return <div className='cowork-first-run'>
        <h3>Set up Cowork</h3>
        {status.problem
            ? <p className='cowork-notice cowork-notice-error'><span className='codicon codicon-error' /> {status.problem}</p>
            : <p>Cowork needs an Anthropic API key to run tasks. None is configured yet.</p>}
        <ol>
            <li>Set the key with <button className='theia-button cowork-set-key' onClick={props.onSetKey}>Set API Key…</button>
                {' '}(command palette: <em>Cowork: Set API Key…</em>). It is kept in the system keychain where there is one, else in
                {' '}<code>{status.settingsFile}</code> (readable only by you); it never reaches this window.</li>
            <li>Or start Cowork with the <code>ANTHROPIC_API_KEY</code> environment variable set.</li>
            <li>Optionally choose the model and API URL in <button className='theia-button secondary' onClick={props.onOpenPreferences}>Preferences</button>
                {' '}under <em>Cowork</em> (now: <code>{status.model || 'default'}</code> at <code>{status.baseUrl || 'default'}</code>).</li>
        </ol>
        <p className='cowork-hint'>Task history and undo journals are kept in <code>{status.dataDir}</code>.</p>
    </div>;
}
