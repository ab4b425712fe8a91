import { Command } from '@theia/core/lib/common/command';

const CATEGORY = 'Cowork';

export namespace CoworkCommands {
    export const NEW_TASK: Command = { id: 'cowork.newTask', category: CATEGORY, label: 'New Task' };
    export const ASK_CLAUDE: Command = { id: 'cowork.askClaude', label: 'Ask Claude…' };
    export const SLASH_COMMAND: Command = { id: 'cowork.runSlashCommand', category: CATEGORY, label: 'Run a Slash Command…' };
    export const OPEN_HISTORY: Command = { id: 'cowork.openTaskHistory', category: CATEGORY, label: 'Open Task History' };
    export const UNDO_LAST_TASK: Command = { id: 'cowork.undoLastTask', category: CATEGORY, label: 'Undo Last Task' };
    export const MANAGE_PLUGINS: Command = { id: 'cowork.managePlugins', category: CATEGORY, label: 'Manage Plugins' };
    export const SET_API_KEY: Command = { id: 'cowork.setApiKey', category: CATEGORY, label: 'Set API Key…' };
    export const STOP_TASK: Command = { id: 'cowork.stopTask', category: CATEGORY, label: 'Stop the Running Task' };
    export const SHOW_PERMISSION: Command = { id: 'cowork.answerPermission', category: CATEGORY, label: 'Answer the Waiting Question' };
    export const OPEN_IN_SYSTEM_APP: Command = { id: 'cowork.openInSystemApp', label: 'Open in System App' };
    /** Not the view's toggle command id: a shared id loses its label in the palette (see docs/theia.md). */
    export const SHOW_PANEL: Command = { id: 'cowork.showAgentPanel', category: CATEGORY, label: 'Show Agent Panel' };
}
