import { injectable } from '@theia/core/shared/inversify';
import { AbstractViewContribution } from '@theia/core/lib/browser/shell/view-contribution';
import { CommandRegistry } from '@theia/core/lib/common/command';
import { CoworkCommands } from './cowork-commands';
import { PluginsWidget } from './plugins-widget';

/** The Plugins view in the left side bar, opened by "Cowork: Manage Plugins". */
@injectable()
export class PluginsViewContribution extends AbstractViewContribution<PluginsWidget> {
    constructor() {
        super({
            widgetId: PluginsWidget.ID,
            widgetName: PluginsWidget.LABEL,
            defaultWidgetOptions: { area: 'left', rank: 500 },
            // Not MANAGE_PLUGINS' id: a command shared with the toggle loses its palette label.
            toggleCommandId: 'cowork.togglePluginsView'
        });
    }

    override registerCommands(registry: CommandRegistry): void {
        super.registerCommands(registry);
        registry.registerCommand(CoworkCommands.MANAGE_PLUGINS, {
            execute: async () => {
                const widget = await this.openView({ activate: true, reveal: true });
                await widget.refresh();
            }
        });
    }
}
