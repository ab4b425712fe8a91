import { PluginRegistry, qualifiedName } from './plugin-registry';

export interface ListingOptions {
    /** Longest description kept per skill. */
    maxDescription?: number;
    /** Character budget for the whole listing; descriptions shrink, then go, to fit. */
    budget?: number;
}

/**
 * Progressive disclosure, level one: the model sees each skill's name and description only,
 * and loads a body through the Skill tool when a task calls for it.
 */
export function skillListing(registry: PluginRegistry, opts: ListingOptions = {}): string {
    const items = registry.modelInvocables();
    if (items.length === 0) {
        return '';
    }
    const budget = opts.budget ?? 16000;
    const intro = '## Skills\n'
        + 'Skills hold instructions, scripts and references for particular kinds of work. When a task matches a skill, '
        + 'call the Skill tool with its name (e.g. {"skill": "plugin:name"}) before starting, and follow what it says. '
        + 'Users can also run them as slash commands (/plugin:name).\n';
    for (const max of [opts.maxDescription ?? 250, 120, 60, 0]) {
        const lines = items.map(c => {
            const desc = oneLine(c.description);
            const label = c.name !== c.id && c.name.toLowerCase() !== c.id.toLowerCase() ? ` (${oneLine(c.name)})` : '';
            return max === 0 ? `- ${qualifiedName(c)}${label}` : `- ${qualifiedName(c)}${label}: ${clip(desc, max)}`;
        });
        const text = intro + lines.join('\n') + '\n';
        if (text.length <= budget || max === 0) {
            return text;
        }
    }
    return intro;
}

function oneLine(s: string): string {
    return s.replace(/\s+/g, ' ').trim();
}

function clip(s: string, max: number): string {
    return s.length <= max ? s : s.slice(0, max - 1).trimEnd() + '…';
}
