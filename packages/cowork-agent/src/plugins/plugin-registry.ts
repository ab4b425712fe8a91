import type { AgentDefinition, Command, ConnectorCategory, LoadedPlugin, PluginIssue, Skill } from './plugin-types';

export type Invocable = Skill | Command;

/** Says how a `~~category` placeholder of a plugin is filled now (set by the host from connector status). */
export type PlaceholderResolver = (plugin: LoadedPlugin, category: ConnectorCategory | undefined, placeholder: string) => string;

export interface Lookup<T> {
    found?: T;
    /** Qualified names when a bare name matches several plugins. */
    ambiguous?: string[];
}

/** The components of every enabled plugin, addressable as `plugin:id` or, where unique, `id`. */
export class PluginRegistry {
    placeholderResolver: PlaceholderResolver | undefined;

    constructor(readonly plugins: LoadedPlugin[]) { }

    plugin(name: string): LoadedPlugin | undefined {
        return this.plugins.find(p => p.name === name);
    }

    skills(): Skill[] {
        return this.plugins.flatMap(p => p.skills);
    }

    commands(): Command[] {
        return this.plugins.flatMap(p => p.commands);
    }

    agents(): AgentDefinition[] {
        return this.plugins.flatMap(p => p.agents);
    }

    issues(): PluginIssue[] {
        return this.plugins.flatMap(p => p.issues);
    }

    /** What a user can type after `/`: skills not marked `user-invocable: false`, and commands. */
    userInvocables(): Invocable[] {
        return [...this.skills().filter(s => s.userInvocable), ...this.commands()];
    }

    /** What the model may load through the Skill tool. */
    modelInvocables(): Invocable[] {
        return [
            ...this.skills().filter(s => !s.disableModelInvocation),
            ...this.commands().filter(c => !c.disableModelInvocation && !c.hideFromSlashCommandTool)
        ];
    }

    findUserInvocable(name: string): Lookup<Invocable> {
        return lookup(this.userInvocables(), name);
    }

    findModelInvocable(name: string): Lookup<Invocable> {
        return lookup(this.modelInvocables(), name);
    }

    findAgent(name: string): Lookup<AgentDefinition> {
        return lookup(this.agents(), name);
    }
}

export function qualifiedName(c: { plugin: string; id: string }): string {
    return `${c.plugin}:${c.id}`;
}

/**
 * `plugin:id` exactly, else a bare `id` (or frontmatter name) that only one plugin has. A skill
 * wins over a command of the same name, as skills replaced commands in the format.
 */
function lookup<T extends { plugin: string; id: string; name: string }>(items: T[], raw: string): Lookup<T> {
    const name = raw.trim().replace(/^\//, '');
    const norm = (s: string) => s.toLowerCase();
    const colon = name.indexOf(':');
    if (colon > 0) {
        const plugin = name.slice(0, colon);
        const id = name.slice(colon + 1);
        const inPlugin = items.filter(i => i.plugin === plugin);
        const found = inPlugin.find(i => i.id === id) ?? inPlugin.find(i => norm(i.id) === norm(id) || norm(i.name) === norm(id));
        return found ? { found } : {};
    }
    let matches = items.filter(i => i.id === name);
    if (matches.length === 0) {
        matches = items.filter(i => norm(i.id) === norm(name) || norm(i.name) === norm(name));
    }
    const byName = new Map<string, T>();
    for (const m of matches) {
        const key = qualifiedName(m);
        if (!byName.has(key)) {
            byName.set(key, m);
        }
    }
    const unique = [...byName.values()];
    if (unique.length === 1) {
        return { found: unique[0] };
    }
    return unique.length > 1 ? { ambiguous: unique.map(qualifiedName) } : {};
}
