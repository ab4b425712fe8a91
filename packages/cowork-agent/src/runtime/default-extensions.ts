import { pluginsExtension } from '../plugins/plugins-extension';
import { sandboxExtension } from '../tools/bash/sandbox-extension';
import { officeExtension } from '../tools/office';
import type { RuntimeExtension } from './cowork-runtime';

/**
 * The extensions every front end gets: the sandboxed Bash tool, office tools, plugins (skills,
 * slash commands, hooks, connectors, sub-agent types). This list is the one place that assembles
 * them; the CLI and the workspace both use it.
 */
export function defaultExtensions(): RuntimeExtension[] {
    const plugins = pluginsExtension();
    return [
        // Plugin folders are visible read-only to commands, so skills' bundled scripts run.
        sandboxExtension(env => plugins.host(env.dataDir).pluginRoots()),
        officeExtension(),
        { ...plugins, expandPrompt: (prompt, grants, dataDir) => plugins.host(dataDir).expandSlashCommand(prompt, grants) }
    ];
}
