import * as React from '@theia/core/shared/react';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { ReactWidget } from '@theia/core/lib/browser/widgets/react-widget';
import { ConfirmDialog } from '@theia/core/lib/browser/dialogs';
import { MessageService } from '@theia/core/lib/common/message-service';
import { FileUri } from '@theia/core/lib/common/file-uri';
import { FileDialogService } from '@theia/filesystem/lib/browser/file-dialog/file-dialog-service';
import { CoworkService, PluginConnectorInfo, PluginInfo, PluginPartInfo } from '../common/cowork-protocol';
import { messageOf } from './task-actions';

/** Installed and bundled plugins with what they bring; enable, disable, install from a file, uninstall. */
@injectable()
export class PluginsWidget extends ReactWidget {
    static readonly ID = 'cowork-plugins';
    static readonly LABEL = 'Plugins';

    @inject(CoworkService) protected readonly service: CoworkService;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(FileDialogService) protected readonly fileDialog: FileDialogService;

    protected plugins: PluginInfo[] | undefined;
    protected loadError: string | undefined;
    /** The plugin an action runs on, so its buttons wait for it. */
    protected busy: string | undefined;

    @postConstruct()
    protected init(): void {
        this.id = PluginsWidget.ID;
        this.title.label = PluginsWidget.LABEL;
        this.title.caption = 'Cowork: plugins';
        this.title.iconClass = 'codicon codicon-extensions';
        this.title.closable = true;
        this.addClass('cowork-plugins');
        this.node.tabIndex = 0;
        this.refresh();
    }

    protected override onActivateRequest(msg: Parameters<ReactWidget['onActivateRequest']>[0]): void {
        super.onActivateRequest(msg);
        this.node.focus();
    }

    async refresh(): Promise<void> {
        try {
            this.plugins = await this.service.listPlugins();
            this.loadError = undefined;
        } catch (e) {
            this.loadError = messageOf(e);
        }
        this.update();
    }

    protected render(): React.ReactNode {
        return <div className='cowork-plugins-view'>
            <div className='cowork-plugins-toolbar'>
                <button className='theia-button cowork-plugins-install' onClick={() => this.installFromFile()} disabled={this.busy !== undefined}
                    title='Install a plugin from a .plugin or .zip archive, or from a plugin folder'>Install from file…</button>
                <button className='theia-button secondary' onClick={() => this.refresh()}>Refresh</button>
            </div>
            {this.loadError && <div className='cowork-notice-error'>Cannot list the plugins: {this.loadError}</div>}
            {this.plugins === undefined && !this.loadError && <div className='cowork-hint'>Loading plugins…</div>}
            {this.plugins?.length === 0 && <div className='cowork-hint'>No plugins. Install one from a .plugin or .zip file.</div>}
            {this.plugins?.map(p => <PluginCard key={p.name} plugin={p} busy={this.busy === p.name}
                onToggle={() => this.setEnabled(p, !p.enabled)} onUninstall={() => this.uninstall(p)} />)}
        </div>;
    }

    protected async installFromFile(): Promise<void> {
        const picked = await this.fileDialog.showOpenDialog({
            title: 'Install a plugin',
            openLabel: 'Install',
            canSelectFiles: true,
            canSelectFolders: true,
            canSelectMany: false,
            filters: { 'Plugin archives': ['plugin', 'zip'] }
        });
        if (!picked) {
            return;
        }
        const file = FileUri.fsPath(picked);
        await this.run('', async () => {
            const info = await this.service.installPlugin(file);
            const errors = info.problems.filter(p => p.startsWith('error')).length;
            this.messages.info(`Installed the plugin “${info.name}”${info.version ? ` ${info.version}` : ''}: `
                + `${count(info.skills.length, 'skill')}, ${count(info.commands.length, 'command')}, ${count(info.agents.length, 'agent')}, `
                + `${count(info.connectors.length, 'connector')}${errors ? ` and ${count(errors, 'error')} (see the list)` : ''}. New tasks can use it.`);
        }, 'The plugin was not installed');
    }

    protected async setEnabled(p: PluginInfo, enabled: boolean): Promise<void> {
        await this.run(p.name, () => this.service.setPluginEnabled(p.name, enabled), `Cannot ${enabled ? 'enable' : 'disable'} “${p.name}”`);
    }

    protected async uninstall(p: PluginInfo): Promise<void> {
        const confirmed = await new ConfirmDialog({
            title: 'Uninstall plugin',
            msg: `Remove the plugin “${p.name}” and its files? Tasks started from now on will not have it.`,
            ok: 'Uninstall',
            cancel: 'Cancel'
        }).open();
        if (!confirmed) {
            return;
        }
        await this.run(p.name, async () => {
            await this.service.uninstallPlugin(p.name);
            this.messages.info(`The plugin “${p.name}” is uninstalled.`);
        }, `Cannot uninstall “${p.name}”`);
    }

    /** Runs one action at a time, says readably what went wrong, and shows the list as it now is. */
    protected async run(name: string, action: () => Promise<unknown>, failure: string): Promise<void> {
        this.busy = name;
        this.update();
        try {
            await action();
        } catch (e) {
            this.messages.error(`${failure}: ${messageOf(e)}`);
        } finally {
            this.busy = undefined;
            await this.refresh();
        }
    }
}

function PluginCard(props: { plugin: PluginInfo; busy: boolean; onToggle(): void; onUninstall(): void }): React.ReactElement {
    const p = props.plugin;
    return <div className={`cowork-plugin ${p.enabled ? 'cowork-plugin-enabled' : 'cowork-plugin-disabled'}`} data-plugin={p.name}>
        <div className='cowork-plugin-header'>
            <span className='cowork-plugin-name'>{p.name}</span>
            {p.version && <span className='cowork-plugin-version'>{p.version}</span>}
            <span className={`cowork-badge cowork-plugin-state`}>{p.enabled ? 'enabled' : 'disabled'}</span>
            <span className='cowork-plugin-source'>{p.source}</span>
        </div>
        {p.description && <div className='cowork-plugin-description'>{p.description}</div>}
        <PartList title='Skills' kind='skills' parts={p.skills} />
        <PartList title='Commands' kind='commands' parts={p.commands} prefix='/' />
        <PartList title='Agents' kind='agents' parts={p.agents} />
        {p.connectors.length > 0 && <div className='cowork-plugin-section cowork-plugin-connectors'>
            <div className='cowork-plugin-section-title'>Connectors</div>
            {p.connectors.map(c => <div key={c.name} className={`cowork-plugin-connector cowork-connector-${c.status}`}>
                {c.name}: {connectorState(c)}</div>)}
        </div>}
        {p.problems.length > 0 && <div className='cowork-plugin-section cowork-plugin-problems'>
            <div className='cowork-plugin-section-title'>Problems</div>
            {p.problems.map((x, i) => <div key={i} className={x.startsWith('error') ? 'cowork-plugin-error' : 'cowork-plugin-warning'}>{x}</div>)}
        </div>}
        <div className='cowork-plugin-actions'>
            <button className='theia-button secondary cowork-plugin-toggle' disabled={props.busy} onClick={props.onToggle}
                title='Tasks started from now on see the change'>{p.enabled ? 'Disable' : 'Enable'}</button>
            {p.removable && <button className='theia-button secondary cowork-plugin-uninstall' disabled={props.busy}
                onClick={props.onUninstall}>Uninstall</button>}
        </div>
    </div>;
}

function PartList(props: { title: string; kind: string; parts: PluginPartInfo[]; prefix?: string }): React.ReactElement | null {
    if (props.parts.length === 0) {
        return null;
    }
    return <div className={`cowork-plugin-section cowork-plugin-${props.kind}`}>
        <div className='cowork-plugin-section-title'>{props.title} ({props.parts.length})</div>
        <ul>
            {props.parts.map(x => <li key={x.name} title={x.description}>
                <code>{props.prefix ?? ''}{x.name}</code>{x.description && <span className='cowork-plugin-part-description'> — {oneLine(x.description)}</span>}
            </li>)}
        </ul>
    </div>;
}

function connectorState(c: PluginConnectorInfo): string {
    switch (c.status) {
        case 'connected': return `connected${c.tools !== undefined ? ` (${c.tools} tools)` : ''}`;
        case 'failed': return `failed${c.detail ? `: ${c.detail}` : ''}`;
        case 'not-configured': return `not configured${c.detail ? `: ${c.detail}` : ''}`;
        case 'idle': return 'not connected yet (connects on first use)';
        case 'connecting': return 'connecting…';
        case 'disabled': return 'off (the plugin is disabled)';
    }
}

function count(n: number, noun: string): string {
    return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function oneLine(s: string, max = 140): string {
    const t = s.replace(/\s+/g, ' ').trim();
    return t.length > max ? t.slice(0, max - 1) + '…' : t;
}
