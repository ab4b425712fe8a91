import { ContainerModule } from '@theia/core/shared/inversify';
import { ConnectionHandler, RpcConnectionHandler } from '@theia/core/lib/common/messaging';
import { CoworkClient, CoworkService, CoworkServicePath } from '../common/cowork-protocol';
import { ApiKeyStore } from './api-key-store';
import { CoworkServiceImpl, RuntimeExtensions } from './cowork-service-impl';
import { EventBroadcaster } from './event-broadcaster';
import { Keychain, KeytarKeychain } from './keychain';
import { PermissionBroker } from './permission-broker';
import { OfficePreview } from './office-preview';
import { PluginAccess } from './plugin-access';
import { SystemOpener } from './system-opener';
import { AgentRuntimeExtensions } from './runtime-extensions';

export default new ContainerModule(bind => {
    bind(Keychain).to(KeytarKeychain).inSingletonScope();
    bind(ApiKeyStore).toSelf().inSingletonScope();
    bind(PermissionBroker).toSelf().inSingletonScope();
    bind(EventBroadcaster).toSelf().inSingletonScope();
    bind(PluginAccess).toSelf().inSingletonScope();
    bind(OfficePreview).toSelf().inSingletonScope();
    bind(SystemOpener).toSelf().inSingletonScope();
    bind(RuntimeExtensions).to(AgentRuntimeExtensions).inSingletonScope();
    bind(CoworkServiceImpl).toSelf().inSingletonScope();
    bind(CoworkService).toService(CoworkServiceImpl);
    // One service for the whole backend; every window's client is added so events reach them all.
    bind(ConnectionHandler).toDynamicValue(ctx => new RpcConnectionHandler<CoworkClient>(CoworkServicePath, client => {
        const service = ctx.container.get(CoworkServiceImpl);
        service.addClient(client);
        client.onDidCloseConnection(() => service.removeClient(client));
        return service;
    })).inSingletonScope();
});
