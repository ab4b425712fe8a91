import type { Command } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import { PluginHost } from '../plugins/plugin-host';
import { formatIssue, loadPlugin } from '../plugins/plugin-loader';
import { qualifiedName } from '../plugins/plugin-registry';
import { PluginStore } from '../plugins/plugin-store';
import { bundledPluginsDir } from '../plugins/plugin-host';
import type { LoadedPlugin } from '../plugins/plugin-types';
import { describeSource } from '../plugins/marketplace';
import { dataDir } from '../settings';

function store(): PluginStore {
    return new PluginStore(dataDir(), bundledPluginsDir());
}

function out(text: string): void {
    process.stdout.write(text.endsWith('\n') ? text : text + '\n');
}

function summary(p: LoadedPlugin): string {
    const errors = p.issues.filter(i => i.severity === 'error').length;
    const parts = [`${p.skills.length} skills`, `${p.commands.length} commands`, `${p.agents.length} agents`,
        `${Object.keys(p.mcpServers).length} connectors`, `${p.hooks.length} hook groups`];
    return `${parts.join(', ')}${errors ? `, ${errors} error${errors > 1 ? 's' : ''}` : ''}`;
}

function reportInstalled(p: LoadedPlugin): void {
    out(`Installed ${p.name}${p.manifest.version ? ` ${p.manifest.version}` : ''} (${summary(p)}) in ${p.root}`);
    p.issues.forEach(i => out(`  ${formatIssue(i)}`));
}

/** `cowork plugins …`: list, install, enable, disable, uninstall, customize, validate, marketplaces, connectors. */
export function registerPluginsCommand(program: Command): void {
    const plugins = program.command('plugins').description('manage plugins: skills, slash commands, sub-agents, hooks and connectors');

    plugins.command('list')
        .description('list plugins (enabled and disabled) with what they contain')
        .option('--json', 'machine-readable output')
        .option('--issues', 'also print every loading problem (file:line)')
        .action((flags: { json?: boolean; issues?: boolean }) => {
            const all = store().load({ includeDisabled: true });
            if (flags.json) {
                out(JSON.stringify(all.map(({ plugin: p, location: l }) => ({
                    name: p.name, version: p.manifest.version, description: p.manifest.description, source: l.source, enabled: l.enabled,
                    path: p.root, skills: p.skills.map(qualifiedName), commands: p.commands.map(qualifiedName),
                    agents: p.agents.map(a => a.qualifiedName), connectors: Object.keys(p.mcpServers), issues: p.issues
                })), null, 2));
                return;
            }
            if (all.length === 0) {
                out('No plugins. Install one with "cowork plugins install <folder|file.plugin|name@marketplace>".');
                return;
            }
            for (const { plugin: p, location: l } of all) {
                out(`${l.enabled ? '●' : '○'} ${p.name}${p.manifest.version ? ` ${p.manifest.version}` : ''} [${l.source}${l.enabled ? '' : ', disabled'}] — ${summary(p)}`);
                if (p.manifest.description) {
                    out(`    ${p.manifest.description}`);
                }
                if (flags.issues) {
                    p.issues.forEach(i => out(`    ${formatIssue(i)}`));
                }
            }
        });

    plugins.command('show')
        .description('show the skills, commands, agents, connectors and hooks of a plugin')
        .argument('<name>')
        .action((name: string) => {
            const s = store();
            const loc = s.location(name);
            const p = loadPlugin(loc.dir, { source: loc.source, nameHint: loc.name });
            out(`${p.name}${p.manifest.version ? ` ${p.manifest.version}` : ''} [${loc.source}${loc.enabled ? '' : ', disabled'}] ${p.root}`);
            p.skills.forEach(k => out(`  skill   /${qualifiedName(k)}${k.argumentHint ? ` ${k.argumentHint}` : ''}${k.userInvocable ? '' : ' (model only)'} — ${oneLine(k.description)}`));
            p.commands.forEach(c => out(`  command /${qualifiedName(c)}${c.argumentHint ? ` ${c.argumentHint}` : ''} — ${oneLine(c.description)}`));
            p.agents.forEach(a => out(`  agent   ${a.qualifiedName}${a.model ? ` (${a.model})` : ''} — ${oneLine(a.description)}`));
            Object.values(p.mcpServers).forEach(m => out(`  connector ${m.name} (${m.transport}${m.notConfigured ? ', not configured' : ''})`));
            p.hooks.forEach(h => out(`  hook    ${h.event}${h.matcher ? ` [${h.matcher}]` : ''}: ${h.hooks.map(x => x.command).join('; ')}`));
            p.issues.forEach(i => out(`  ${formatIssue(i)}`));
        });

    plugins.command('install')
        .description('install from a folder, a .plugin/.zip archive, or name@marketplace')
        .argument('<source>')
        .action(async (source: string) => {
            const s = store();
            if (fs.existsSync(source)) {
                reportInstalled(s.install(source));
            } else {
                reportInstalled(await s.installFromMarketplace(source));
            }
        });

    for (const [cmd, enabled] of [['enable', true], ['disable', false]] as const) {
        plugins.command(cmd)
            .description(`${cmd} a plugin`)
            .argument('<name>')
            .action((name: string) => {
                store().setEnabled(name, enabled);
                out(`${name} ${enabled ? 'enabled' : 'disabled'}`);
            });
    }

    plugins.command('uninstall')
        .description('remove an installed plugin (bundled plugins can only be disabled)')
        .argument('<name>')
        .action((name: string) => {
            const r = store().uninstall(name);
            out(`Removed ${name} (${r.removed.join(', ')})`);
        });

    plugins.command('customize')
        .description('make a copy of a plugin you can edit; it replaces the original')
        .argument('<name>')
        .action((name: string) => {
            out(`Your copy of ${name} is in ${store().customize(name)}; edit it there.`);
        });

    plugins.command('validate')
        .description('load a plugin folder and report every problem (exit 1 if any error)')
        .argument('<dir>')
        .action((dir: string) => {
            const p = loadPlugin(path.resolve(dir));
            p.issues.forEach(i => out(formatIssue(i)));
            const errors = p.issues.filter(i => i.severity === 'error').length;
            if (errors > 0) {
                throw new Error(`${p.name}: ${summary(p)}`);
            }
            out(`${p.name}: ${summary(p)} — OK`);
        });

    plugins.command('connectors')
        .description('show the status of every connector (MCP server) of the enabled plugins')
        .option('--connect', 'try to connect each one now')
        .action(async (flags: { connect?: boolean }) => {
            const host = new PluginHost();
            try {
                const status = flags.connect ? await host.connect() : host.connectorStatus();
                if (status.length === 0) {
                    out('No connectors.');
                }
                for (const s of status) {
                    const state = s.state === 'connected' ? `connected (${s.tools ?? 0} tools)`
                        : s.state === 'not-configured' ? 'not configured'
                            : s.state === 'idle' ? 'not connected yet (use --connect to try)' : s.state;
                    out(`${s.name} [${s.transport}${s.plugin ? `, ${s.plugin}` : ''}]: ${state}${s.reason && s.state !== 'not-configured' ? ` — ${s.reason}` : ''}`);
                }
            } finally {
                await host.close();
            }
        });

    const mp = plugins.command('marketplace').description('marketplaces: catalogues of plugins');
    mp.command('add')
        .description('add a marketplace from a folder (or a git URL, where the network allows)')
        .argument('<folder|url>')
        .action(async (location: string) => {
            const m = await store().addMarketplace(location);
            out(`Added marketplace ${m.name} (${m.entries.length} plugins)`);
            m.problems.forEach(p => out(`  ${p}`));
        });
    mp.command('list')
        .description('list marketplaces, or the plugins of one')
        .argument('[name]')
        .action((name?: string) => {
            const all = store().marketplaces().filter(m => !name || m.name === name);
            if (all.length === 0) {
                out(name ? `No marketplace named ${name}.` : 'No marketplaces. Add one with "cowork plugins marketplace add <folder|url>".');
            }
            for (const m of all) {
                out(`${m.name} (${m.location})${m.error ? ` — cannot be read: ${m.error}` : ''}`);
                for (const e of m.marketplace?.entries ?? []) {
                    const where = e.source.kind === 'local' ? 'local' : `${e.source.kind}: ${describeSource(e.source)}`;
                    out(`  ${e.name}@${m.name} [${where}]${e.description ? ` — ${oneLine(e.description)}` : ''}`);
                }
                m.marketplace?.problems.forEach(p => out(`  ${p}`));
            }
        });
    mp.command('remove')
        .description('forget a marketplace (installed plugins stay)')
        .argument('<name>')
        .action((name: string) => {
            store().removeMarketplace(name);
            out(`Removed marketplace ${name}`);
        });
}

function oneLine(s: string, max = 100): string {
    const t = s.replace(/\s+/g, ' ').trim();
    return t.length > max ? t.slice(0, max - 1) + '…' : t;
}
