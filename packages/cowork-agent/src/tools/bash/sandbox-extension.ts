import type { RuntimeExtension, TaskEnvironment } from '../../runtime/cowork-runtime';
import type { Tool } from '../../tool';
import * as os from 'os';
import * as path from 'path';
import { createBashTool } from '../bash';

/** Credentials commonly kept in a home folder. */
const SECRET_HOME_PATHS = ['.ssh', '.gnupg', '.aws', '.azure', '.config/gcloud', '.kube', '.docker', '.netrc', '.git-credentials', '.npmrc', '.pypirc', '.password-store', '.local/share/keyrings'];

/**
 * The sandboxed Bash tool as a runtime extension. One tool per distinct network setting, so the
 * sandbox's start-up check runs once per process, not once per task.
 */
export function sandboxExtension(readOnlyPaths?: (env: TaskEnvironment) => string[]): RuntimeExtension {
    const tools = new Map<string, Tool>();
    return {
        tools(env: TaskEnvironment) {
            const { networkAllowlist, allowUnsandboxed } = env.settings;
            const key = JSON.stringify([networkAllowlist, allowUnsandboxed, env.dataDir]);
            let tool = tools.get(key);
            if (!tool) {
                tool = createBashTool({
                    allowUnsandboxed,
                    network: networkAllowlist.length > 0 ? { mode: 'allowlist', domains: networkAllowlist } : { mode: 'none' },
                    // Should a grant contain them (a whole home folder), these stay invisible to commands.
                    hiddenPaths: [env.dataDir, ...SECRET_HOME_PATHS.map(p => path.join(os.homedir(), p))],
                    readOnlyPaths: readOnlyPaths && (() => readOnlyPaths(env))
                });
                tools.set(key, tool);
            }
            return [tool];
        }
    };
}
