import { injectable } from '@theia/core/shared/inversify';
import type { RuntimeExtension } from '@cowork/agent/lib/src/runtime/cowork-runtime';
import { PluginHost } from '@cowork/agent/lib/src/plugins/plugin-host';
import { qualifiedName } from '@cowork/agent/lib/src/plugins/plugin-registry';
import type { PluginLocation } from '@cowork/agent/lib/src/plugins/plugin-store';
import type { LoadedPlugin } from '@cowork/agent/lib/src/plugins/plugin-types';
import type { ConnectorStatus } from '@cowork/agent/lib/src/mcp/mcp-connection';
import { dataDir } from '@cowork/agent/lib/src/settings';
import type { PluginConnectorInfo, PluginInfo, SlashCommandInfo } from '../common/cowork-protocol';

type HostProvider = RuntimeExtension & { host(dataDir?: string): PluginHost };

/**
 * The installed plugins as the workspace shows them: list, enable or disable, their slash commands
 * (for completion; the runtime expands them) and connector status. Uses the runtime's own plugin host when the runtime has one, so connector
 * status is the status tasks see.
 */
@injectable()
export class PluginAccess {
    protected ownHost: PluginHost | undefined;
    protected extensions: RuntimeExtension[] = [];

    useExtensions(extensions: RuntimeExtension[]): void {
        this.extensions = extensions;
    }

    host(): PluginHost {
        const provider = this.extensions.find((x): x is HostProvider => typeof (x as Partial<HostProvider>).host === 'function');
        if (provider) {
            return provider.host(dataDir());
        }
        // No plugins extension in this build: a host for listing and expanding only (it connects nothing).
        this.ownHost ??= new PluginHost({ dataDir: dataDir() });
        return this.ownHost;
    }

    list(): PluginInfo[] {
        const host = this.host();
        const status = host.connectorStatus();
        return host.store.load({ includeDisabled: true }).map(({ plugin, location }) => describePlugin(plugin, location, status));
    }

    setEnabled(name: string, enabled: boolean): void {
        this.host().store.setEnabled(name, enabled);
        this.changed();
    }

    /** A folder or a .plugin/.zip archive; the store validates it and says what is wrong. */
    install(source: string): PluginInfo {
        if (typeof source !== 'string' || !source.trim()) {
            throw new Error('Choose a plugin folder or a .plugin/.zip file to install');
        }
        const plugin = this.host().store.install(source.trim());
        this.changed();
        const info = this.list().find(p => p.name === plugin.name);
        if (!info) {
            throw new Error(`${plugin.name} was installed in ${plugin.root} but is not listed: another plugin of that name takes precedence`);
        }
        return info;
    }

    uninstall(name: string): void {
        this.host().store.uninstall(name);
        this.changed();
    }

    /**
     * The runtime's host reloads on its own (the store's signature changes with state.json and the
     * plugin folders); our own listing host is simply rebuilt.
     */
    protected changed(): void {
        this.ownHost = undefined;
    }

    slashCommands(): SlashCommandInfo[] {
        return this.host().registry.userInvocables().map(c => ({
            name: `${c.plugin}:${c.id}`, description: c.description, argumentHint: c.argumentHint
        }));
    }
}

/** A plugin as the Plugins view shows it; connectors of a disabled plugin are not running, so say so. */
export function describePlugin(plugin: LoadedPlugin, location: PluginLocation, status: ConnectorStatus[]): PluginInfo {
    const part = (x: { plugin: string; id: string; description: string }) => ({ name: qualifiedName(x), description: x.description });
    const connectors = Object.values(plugin.mcpServers).map((server): PluginConnectorInfo => {
        const live = status.find(s => s.name === server.name && (s.plugin === undefined || s.plugin === plugin.name));
        if (!location.enabled) {
            return { name: server.name, status: 'disabled', detail: 'the plugin is disabled' };
        }
        if (!live) {
            return server.notConfigured ? { name: server.name, status: 'not-configured' } : { name: server.name, status: 'idle' };
        }
        return { name: server.name, status: live.state, detail: live.reason, tools: live.tools };
    });
    return {
        name: plugin.name,
        version: plugin.manifest.version,
        description: plugin.manifest.description,
        enabled: location.enabled,
        source: location.source,
        problems: plugin.issues.map(i => `${i.severity}: ${i.message} (${i.file}:${i.line})`),
        connectors,
        skills: plugin.skills.map(part),
        commands: plugin.commands.map(part),
        agents: plugin.agents.map(a => ({ name: a.qualifiedName, description: a.description })),
        removable: location.source !== 'bundled'
    };
}
