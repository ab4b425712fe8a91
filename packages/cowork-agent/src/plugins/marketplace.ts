import * as fs from 'fs';
import * as path from 'path';
import { JsonSyntaxError, parsePositionedJson } from './positioned-json';
import { isInside } from './safe-path';

export type MarketplaceSource =
    | { kind: 'local'; path: string }
    | { kind: 'url'; url: string; ref?: string; sha?: string }
    | { kind: 'git-subdir'; url: string; path: string; ref?: string; sha?: string }
    | { kind: 'unsupported'; detail: string };

export interface MarketplaceEntry {
    name: string;
    description?: string;
    displayName?: string;
    category?: string;
    version?: string;
    homepage?: string;
    source: MarketplaceSource;
    /** false: the entry defines the plugin itself (anthropics/skills: a list of skill folders, no plugin.json). */
    strict: boolean;
    skills?: string[];
    line: number;
}

export interface Marketplace {
    name: string;
    owner?: { name?: string; email?: string };
    description?: string;
    /** Folder holding `.claude-plugin/marketplace.json`. */
    root: string;
    file: string;
    entries: MarketplaceEntry[];
    /** Entries that could not be read (file:line: reason); the others are usable. */
    problems: string[];
}

export class MarketplaceError extends Error { }

/** Reads a marketplace from its folder (or the marketplace.json file itself). */
export function readMarketplace(location: string): Marketplace {
    const abs = path.resolve(location);
    const file = abs.endsWith('.json') ? abs : path.join(abs, '.claude-plugin', 'marketplace.json');
    const root = abs.endsWith('.json') ? path.dirname(path.dirname(abs)) : abs;
    let text: string;
    try {
        text = fs.readFileSync(file, 'utf8');
    } catch {
        throw new MarketplaceError(`${file} not found: a marketplace folder holds .claude-plugin/marketplace.json`);
    }
    let json;
    try {
        json = parsePositionedJson(text);
    } catch (e) {
        throw new MarketplaceError(`${file}:${e instanceof JsonSyntaxError ? e.line : 1}: ${(e as Error).message}`);
    }
    const v = json.value as Record<string, unknown>;
    if (!v || typeof v !== 'object' || Array.isArray(v) || typeof v.name !== 'string' || !Array.isArray(v.plugins)) {
        throw new MarketplaceError(`${file}:1: a marketplace needs "name" (string) and "plugins" (list)`);
    }
    const meta = (v.metadata ?? {}) as Record<string, unknown>;
    const pluginRoot = typeof meta.pluginRoot === 'string' ? meta.pluginRoot : undefined;
    const problems: string[] = [];
    const entries: MarketplaceEntry[] = [];
    (v.plugins as unknown[]).forEach((p, i) => {
        const line = json.lineOf(['plugins', i]);
        const r = (p ?? {}) as Record<string, unknown>;
        if (typeof r.name !== 'string' || r.name.trim() === '') {
            problems.push(`${file}:${line}: plugin entry ${i + 1} has no "name"`);
            return;
        }
        const source = parseSource(r.source, pluginRoot);
        if (typeof source === 'string') {
            problems.push(`${file}:${line}: plugin "${r.name}": ${source}`);
            return;
        }
        const s = (k: string) => typeof r[k] === 'string' ? r[k] as string : undefined;
        entries.push({
            name: r.name, description: s('description'), displayName: s('displayName'), category: s('category'),
            version: s('version'), homepage: s('homepage'), source, strict: r.strict !== false,
            skills: Array.isArray(r.skills) ? r.skills.map(String) : undefined, line
        });
    });
    return {
        name: v.name, owner: v.owner as Marketplace['owner'], description: typeof v.description === 'string' ? v.description : meta.description as string | undefined,
        root, file, entries, problems
    };
}

function parseSource(src: unknown, pluginRoot: string | undefined): MarketplaceSource | string {
    if (typeof src === 'string') {
        if (/^(https?|git|ssh):\/\//.test(src) || src.startsWith('git@')) {
            return { kind: 'url', url: src };
        }
        const rel = pluginRoot && !src.startsWith('./') && !src.startsWith('../') && !path.isAbsolute(src) ? path.join(pluginRoot, src) : src;
        return { kind: 'local', path: rel };
    }
    if (!src || typeof src !== 'object') {
        return '"source" must be a path or an object';
    }
    const r = src as Record<string, unknown>;
    const s = (k: string) => typeof r[k] === 'string' ? r[k] as string : undefined;
    switch (r.source) {
        case 'url':
        case 'git':
            return s('url') ? { kind: 'url', url: s('url')!, ref: s('ref'), sha: s('sha') } : 'a url source needs "url"';
        case 'github':
            return s('repo') ? { kind: 'url', url: `https://github.com/${s('repo')}.git`, ref: s('ref'), sha: s('sha') } : 'a github source needs "repo"';
        case 'git-subdir':
            return s('url') && s('path') ? { kind: 'git-subdir', url: s('url')!, path: s('path')!, ref: s('ref'), sha: s('sha') } : 'a git-subdir source needs "url" and "path"';
        default:
            return { kind: 'unsupported', detail: `source type ${JSON.stringify(r.source)}` };
    }
}

/** A local entry's folder, which must stay inside the marketplace. */
export function localEntryPath(m: Marketplace, relPath: string): string {
    const root = fs.realpathSync.native(m.root);
    const abs = path.resolve(root, relPath);
    let real: string;
    try {
        real = fs.realpathSync.native(abs);
    } catch {
        throw new MarketplaceError(`${relPath} (in ${m.file}) does not exist`);
    }
    if (!isInside(root, real)) {
        throw new MarketplaceError(`${relPath} (in ${m.file}) points outside the marketplace folder; refused`);
    }
    return real;
}

export function describeSource(s: MarketplaceSource): string {
    switch (s.kind) {
        case 'local': return s.path;
        case 'url': return `${s.url}${s.sha ? `@${s.sha.slice(0, 7)}` : s.ref ? `#${s.ref}` : ''}`;
        case 'git-subdir': return `${s.url} ${s.path}${s.sha ? `@${s.sha.slice(0, 7)}` : ''}`;
        default: return s.detail;
    }
}
