import type { RuntimeExtension, TaskEnvironment } from '../../runtime/cowork-runtime';
import type { Tool } from '../../tool';
import { createBashTool } from '../bash';

/**
 * The sandboxed Bash tool as a runtime extension. One tool per distinct network setting, so the
 * sandbox's start-up check runs once per process, not once per task.
 */
export function sandboxExtension(): RuntimeExtension {
    const tools = new Map<string, Tool>();
    return {
        tools(env: TaskEnvironment) {
            const { networkAllowlist, allowUnsandboxed } = env.settings;
            const key = JSON.stringify([networkAllowlist, allowUnsandboxed]);
            let tool = tools.get(key);
            if (!tool) {
                tool = createBashTool({
                    allowUnsandboxed,
                    network: networkAllowlist.length > 0 ? { mode: 'allowlist', domains: networkAllowlist } : { mode: 'none' }
                });
                tools.set(key, tool);
            }
            return [tool];
        }
    };
}
