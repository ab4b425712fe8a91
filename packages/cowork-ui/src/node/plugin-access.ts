import { injectable } from '@theia/core/shared/inversify';
import type { RuntimeExtension } from '@cowork/agent/lib/src/runtime/cowork-runtime';
import { PluginHost } from '@cowork/agent/lib/src/plugins/plugin-host';
import { dataDir } from '@cowork/agent/lib/src/settings';
import type { PluginInfo, SlashCommandInfo } from '../common/cowork-protocol';

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
        return host.store.load({ includeDisabled: true }).map(({ plugin, location }) => ({
            name: plugin.name,
            version: plugin.manifest.version,
            description: plugin.manifest.description,
            enabled: location.enabled,
            source: location.source,
            problems: plugin.issues.map(i => `${i.severity}: ${i.message} (${i.file}:${i.line})`),
            connectors: status.filter(s => s.plugin === plugin.name).map(s => ({ name: s.name, status: s.state, detail: s.reason }))
        }));
    }

    setEnabled(name: string, enabled: boolean): void {
        this.host().store.setEnabled(name, enabled);
        // A fresh host reads the new state; the runtime's host picks it up when the workspace restarts.
        this.ownHost = undefined;
    }

    slashCommands(): SlashCommandInfo[] {
        return this.host().registry.userInvocables().map(c => ({
            name: `${c.plugin}:${c.id}`, description: c.description, argumentHint: c.argumentHint
        }));
    }
}
