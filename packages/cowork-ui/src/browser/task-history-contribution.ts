import { injectable } from '@theia/core/shared/inversify';
import { AbstractViewContribution } from '@theia/core/lib/browser/shell/view-contribution';
import { CommandRegistry } from '@theia/core/lib/common/command';
import { CoworkCommands } from './cowork-commands';
import { TaskHistoryWidget } from './task-history-widget';

/** The history view in the left side bar. */
@injectable()
export class TaskHistoryContribution extends AbstractViewContribution<TaskHistoryWidget> {
    constructor() {
        super({
            widgetId: TaskHistoryWidget.ID,
            widgetName: TaskHistoryWidget.LABEL,
            defaultWidgetOptions: { area: 'left', rank: 400 },
            toggleCommandId: 'cowork.toggleTaskHistory'
        });
    }

    override registerCommands(registry: CommandRegistry): void {
        super.registerCommands(registry);
        registry.registerCommand(CoworkCommands.OPEN_HISTORY, { execute: () => this.openView({ activate: true, reveal: true }) });
    }
}
