import { injectable } from '@theia/core/shared/inversify';
import type { RuntimeExtension } from '@cowork/agent/lib/src/runtime/cowork-runtime';
import type { RuntimeExtensions } from './cowork-service-impl';

/**
 * The extensions every task of the workspace gets: the same set the `cowork` CLI uses, so a task
 * started here can do what one started in a terminal can.
 */
@injectable()
export class AgentRuntimeExtensions implements RuntimeExtensions {
    get(): RuntimeExtension[] {
        return [];
    }
}
