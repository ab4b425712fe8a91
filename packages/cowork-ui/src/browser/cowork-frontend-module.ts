import { ContainerModule } from '@theia/core/shared/inversify';
import { bindViewContribution, FrontendApplicationContribution, OpenHandler, WidgetFactory } from '@theia/core/lib/browser';
import { ServiceConnectionProvider } from '@theia/core/lib/browser/messaging/service-connection-provider';
import { CoworkService, CoworkServicePath } from '../common/cowork-protocol';
import { AgentPanelContribution } from './agent-panel-contribution';
import { AgentPanelWidget } from './agent-panel-widget';
import { bindCoworkPreferences } from './cowork-preferences';
import { CoworkClientImpl } from './cowork-client-impl';
import { OfficePreviewOpenHandler, OfficePreviewWidgetFactory } from './office-preview-open-handler';
import { OfficePreviewWidget } from './office-preview-widget';
import { CoworkStatusBar } from './cowork-status-bar';
import { PermissionPrompter } from './permission-prompter';
import { PluginsViewContribution } from './plugins-view-contribution';
import { PluginsWidget } from './plugins-widget';
import { TaskActions } from './task-actions';
import { TaskHistoryContribution } from './task-history-contribution';
import { TaskHistoryWidget } from './task-history-widget';
import { TaskStore } from './task-store';
// Resolved from lib/src/browser at bundle time, as Theia's own packages do.
import '../../../src/browser/style/cowork.css';

export default new ContainerModule(bind => {
    bindCoworkPreferences(bind);
    bind(CoworkClientImpl).toSelf().inSingletonScope();
    bind(CoworkService).toDynamicValue(ctx =>
        ServiceConnectionProvider.createProxy<CoworkService>(ctx.container, CoworkServicePath, ctx.container.get(CoworkClientImpl))
    ).inSingletonScope();
    bind(TaskStore).toSelf().inSingletonScope();
    bind(TaskActions).toSelf().inSingletonScope();
    bind(PermissionPrompter).toSelf().inSingletonScope();
    bind(CoworkStatusBar).toSelf().inSingletonScope();
    bind(OfficePreviewWidget).toSelf();
    bind(OfficePreviewWidgetFactory).toFactory(ctx => () => ctx.container.get(OfficePreviewWidget));
    bind(OfficePreviewOpenHandler).toSelf().inSingletonScope();
    bind(OpenHandler).toService(OfficePreviewOpenHandler);

    bind(AgentPanelWidget).toSelf();
    bind(WidgetFactory).toDynamicValue(ctx => ({
        id: AgentPanelWidget.ID,
        createWidget: () => ctx.container.get(AgentPanelWidget)
    })).inSingletonScope();
    bindViewContribution(bind, AgentPanelContribution);
    bind(FrontendApplicationContribution).toService(AgentPanelContribution);

    bind(TaskHistoryWidget).toSelf();
    bind(WidgetFactory).toDynamicValue(ctx => ({
        id: TaskHistoryWidget.ID,
        createWidget: () => ctx.container.get(TaskHistoryWidget)
    })).inSingletonScope();
    bindViewContribution(bind, TaskHistoryContribution);

    bind(PluginsWidget).toSelf();
    bind(WidgetFactory).toDynamicValue(ctx => ({
        id: PluginsWidget.ID,
        createWidget: () => ctx.container.get(PluginsWidget)
    })).inSingletonScope();
    bindViewContribution(bind, PluginsViewContribution);
});
