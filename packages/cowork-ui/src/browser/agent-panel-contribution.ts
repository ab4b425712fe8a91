import { inject, injectable } from '@theia/core/shared/inversify';
import { AbstractViewContribution } from '@theia/core/lib/browser/shell/view-contribution';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { KeybindingRegistry } from '@theia/core/lib/browser/keybinding';
import { QuickInputService } from '@theia/core/lib/common/quick-pick-service';
import { CommandRegistry } from '@theia/core/lib/common/command';
import { MenuModelRegistry } from '@theia/core/lib/common/menu';
import { MessageService } from '@theia/core/lib/common/message-service';
import { SelectionService } from '@theia/core/lib/common/selection-service';
import { UriAwareCommandHandler } from '@theia/core/lib/common/uri-command-handler';
import { PreferenceService } from '@theia/core';
import URI from '@theia/core/lib/common/uri';
import { FileService } from '@theia/filesystem/lib/browser/file-service';
import { NavigatorContextMenu } from '@theia/navigator/lib/browser/navigator-contribution';
import { CoworkService, CoworkSettingsPatch, GrantSpec } from '../common/cowork-protocol';
import { AgentPanelWidget } from './agent-panel-widget';
import { CoworkCommands } from './cowork-commands';
import { CoworkStatusBar } from './cowork-status-bar';
import { OfficePreviewOpenHandler } from './office-preview-open-handler';
import { PermissionPrompter } from './permission-prompter';
import { messageOf, TaskActions, truncate } from './task-actions';
import { TaskStore } from './task-store';

const PREFERENCE_KEYS: { pref: string; key: keyof CoworkSettingsPatch }[] = [
    { pref: 'cowork.model', key: 'model' },
    { pref: 'cowork.baseUrl', key: 'baseUrl' },
    { pref: 'cowork.concurrency', key: 'concurrency' },
    { pref: 'cowork.networkAllowlist', key: 'networkAllowlist' }
];

/** The agent panel, its commands, the explorer's "Ask Claude…", the keybinding, and start-up wiring. */
@injectable()
export class AgentPanelContribution extends AbstractViewContribution<AgentPanelWidget> implements FrontendApplicationContribution {
    @inject(TaskStore) protected readonly store: TaskStore;
    @inject(TaskActions) protected readonly actions: TaskActions;
    @inject(CoworkService) protected readonly service: CoworkService;
    @inject(PermissionPrompter) protected readonly prompter: PermissionPrompter;
    @inject(CoworkStatusBar) protected readonly statusBarItem: CoworkStatusBar;
    @inject(SelectionService) protected readonly selectionService: SelectionService;
    @inject(FileService) protected readonly fileService: FileService;
    @inject(QuickInputService) protected readonly quickInput: QuickInputService;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(PreferenceService) protected readonly preferences: PreferenceService;
    @inject(OfficePreviewOpenHandler) protected readonly officePreview: OfficePreviewOpenHandler;

    constructor() {
        super({
            widgetId: AgentPanelWidget.ID,
            widgetName: AgentPanelWidget.LABEL,
            defaultWidgetOptions: { area: 'right', rank: 100 },
            toggleCommandId: 'cowork.toggleAgentPanel'
        });
    }

    async onStart(): Promise<void> {
        this.prompter.start();
        this.statusBarItem.start();
        this.preferences.ready.then(() => this.pushPreferences());
        this.preferences.onPreferenceChanged(e => {
            if (e.preferenceName.startsWith('cowork.')) {
                this.pushPreferences();
            }
        });
        await this.store.initialize().catch(e => this.messages.error(`Cowork could not load its tasks: ${messageOf(e)}`));
    }

    async initializeLayout(): Promise<void> {
        await this.openView({ activate: false, reveal: true });
        // Answers, plans and tool cards need room: a third of the window, not a narrow side bar.
        this.shell.resize(Math.max(380, Math.round(window.innerWidth / 3)), 'right');
    }

    override registerCommands(registry: CommandRegistry): void {
        super.registerCommands(registry);
        registry.registerCommand(CoworkCommands.SHOW_PANEL, { execute: () => this.openView({ activate: true, reveal: true }) });
        registry.registerCommand(CoworkCommands.NEW_TASK, { execute: () => this.newTask() });
        registry.registerCommand(CoworkCommands.ASK_CLAUDE, UriAwareCommandHandler.MultiSelect(this.selectionService, {
            execute: (uris: URI[]) => this.askClaude(uris),
            isEnabled: (uris: URI[]) => uris.length > 0 && uris.every(u => u.scheme === 'file'),
            isVisible: (uris: URI[]) => uris.length > 0 && uris.every(u => u.scheme === 'file')
        }));
        registry.registerCommand(CoworkCommands.OPEN_IN_SYSTEM_APP, UriAwareCommandHandler.MonoSelect(this.selectionService, {
            execute: (uri: URI) => this.officePreview.openInSystemApp(uri.path.fsPath()),
            isVisible: (uri: URI) => uri.scheme === 'file'
        }));
        registry.registerCommand(CoworkCommands.SLASH_COMMAND, { execute: () => this.runSlashCommand() });
        registry.registerCommand(CoworkCommands.UNDO_LAST_TASK, { execute: () => this.undoLastTask() });
        registry.registerCommand(CoworkCommands.SET_API_KEY, { execute: () => this.setApiKey() });
        registry.registerCommand(CoworkCommands.STOP_TASK, {
            execute: () => {
                const id = this.store.runningViews[0]?.sessionId;
                return id ? this.actions.stop(id) : this.messages.info('No task is running.');
            }
        });
        registry.registerCommand(CoworkCommands.SHOW_PERMISSION, {
            execute: async () => {
                const first = this.store.pending[0];
                if (!first) {
                    return this.messages.info('No task is waiting for an answer.');
                }
                await this.openView({ activate: true, reveal: true });
                await this.store.setActive(first.sessionId);
                await this.prompter.show(first.requestId);
            }
        });
    }

    override registerMenus(menus: MenuModelRegistry): void {
        super.registerMenus(menus);
        menus.registerMenuAction(NavigatorContextMenu.NAVIGATION, {
            commandId: CoworkCommands.ASK_CLAUDE.id,
            label: CoworkCommands.ASK_CLAUDE.label,
            order: 'z1'
        });
        menus.registerMenuAction(NavigatorContextMenu.NAVIGATION, {
            commandId: CoworkCommands.OPEN_IN_SYSTEM_APP.id,
            label: CoworkCommands.OPEN_IN_SYSTEM_APP.label,
            order: 'z2'
        });
    }

    override registerKeybindings(keybindings: KeybindingRegistry): void {
        super.registerKeybindings(keybindings);
        keybindings.registerKeybinding({ command: CoworkCommands.NEW_TASK.id, keybinding: 'ctrlcmd+alt+n' });
    }

    async newTask(grants?: GrantSpec[], prompt?: string): Promise<void> {
        const panel = await this.openView({ activate: true, reveal: true });
        panel.newTask(grants, prompt);
        panel.activate();
    }

    /** Grants the selected folders (a file's own folder) and opens the new-task box with them. */
    protected async askClaude(uris: URI[]): Promise<void> {
        const grants: GrantSpec[] = [];
        const files: string[] = [];
        for (const uri of uris) {
            let isDirectory = false;
            try {
                isDirectory = (await this.fileService.resolve(uri)).isDirectory;
            } catch (e) {
                this.messages.error(`Cannot read ${uri.path.fsPath()}: ${messageOf(e)}`);
                return;
            }
            const folder = isDirectory ? uri.path.fsPath() : uri.parent.path.fsPath();
            if (!isDirectory) {
                files.push(uri.path.fsPath());
            }
            if (!grants.some(g => g.path === folder)) {
                grants.push({ path: folder, mode: 'rw' });
            }
        }
        const prompt = files.length ? `About ${files.map(f => f.split('/').pop()).join(', ')}: ` : undefined;
        await this.newTask(grants, prompt);
    }

    protected async runSlashCommand(): Promise<void> {
        let commands;
        try {
            commands = await this.service.listSlashCommands();
        } catch (e) {
            this.messages.error(`Cannot list slash commands: ${messageOf(e)}`);
            return;
        }
        if (commands.length === 0) {
            this.messages.info('No slash commands are available: no installed plugin offers one.');
            return;
        }
        const picked = await this.quickInput.showQuickPick(
            commands.map(c => ({ label: `/${c.name}`, description: c.argumentHint, detail: c.description, value: c.name })),
            { placeholder: 'Type a slash command: /plugin:name' });
        if (picked) {
            await this.newTask(undefined, `/${picked.value} `);
        }
    }

    protected async undoLastTask(): Promise<void> {
        await this.store.refreshSessions();
        const last = this.store.sessions.find(s => !s.live);
        if (!last) {
            this.messages.info('There is no finished task to undo.');
            return;
        }
        const choice = await this.messages.warn(`Undo every change of the task “${truncate(last.prompt, 80)}”?`, 'Undo', 'Cancel');
        if (choice === 'Undo') {
            await this.actions.undo(last.id);
        }
    }

    protected async setApiKey(): Promise<void> {
        const key = await this.quickInput.input({
            prompt: 'Anthropic API key (kept in the system keychain, or a file only you can read; never shown again)',
            placeHolder: 'sk-ant-…',
            password: true,
            ignoreFocusLost: true,
            validateInput: async v => v.trim() ? undefined : 'Paste the key'
        });
        if (!key) {
            return;
        }
        try {
            const status = await this.service.setApiKey(key);
            this.store.setStatus(status);
            this.messages.info(status.apiKeySource === 'secure-storage'
                ? 'The API key is saved in the system keychain.'
                : status.apiKeySource === 'environment'
                    ? 'The API key is saved, but ANTHROPIC_API_KEY in the environment takes precedence.'
                    : `The API key is saved in ${status.settingsFile} (readable only by you): this system has no keychain.`);
        } catch (e) {
            this.messages.error(`The API key was not saved: ${messageOf(e)}`);
        }
    }

    /** Sends the cowork.* preferences the user set (not the defaults) to the backend. */
    protected async pushPreferences(): Promise<void> {
        const patch: Record<string, unknown> = {};
        for (const { pref, key } of PREFERENCE_KEYS) {
            const inspected = this.preferences.inspect(pref);
            const value = inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
            if (value !== undefined && value !== '' && value !== 0) {
                patch[key] = value;
            }
        }
        try {
            await this.service.applySettings(patch as CoworkSettingsPatch);
            await this.store.refreshStatus();
        } catch (e) {
            this.messages.error(`Cowork settings: ${messageOf(e)}`);
        }
    }
}
