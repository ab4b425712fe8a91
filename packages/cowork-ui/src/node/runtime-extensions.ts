import { injectable } from '@theia/core/shared/inversify';
import type { RuntimeExtension } from '@cowork/agent/lib/src/runtime/cowork-runtime';
import { defaultExtensions } from '@cowork/agent/lib/src/runtime/default-extensions';
import type { RuntimeExtensions } from './cowork-service-impl';

/**
 * The extensions every task of the workspace gets: the same set the `cowork` CLI uses (sandbox,
 * office, plugins, sub-agents), built once per backend so plugin connectors are shared by tasks.
 */
@injectable()
export class AgentRuntimeExtensions implements RuntimeExtensions {
    protected list: RuntimeExtension[] | undefined;

    get(): RuntimeExtension[] {
        this.list ??= defaultExtensions();
        return this.list;
    }
}
