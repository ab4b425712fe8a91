import * as path from 'path';
import type { PluginIssue, PluginManifest } from './plugin-types';
import type { PositionedJson } from './positioned-json';

/** Plugin names become `/name:` prefixes and folder names, so they must be one safe segment. */
export function unsafeNameReason(name: string): string | undefined {
    if (name.trim() === '' || name === '.' || name === '..') {
        return 'is empty or a dot name';
    }
    if (/[/\\:\0]/.test(name) || /[\u0000-\u001f]/.test(name)) {
        return 'contains "/", "\\", ":" or a control character';
    }
    if (name.length > 100) {
        return 'is longer than 100 characters';
    }
    return undefined;
}

/** Reads `.claude-plugin/plugin.json`; unknown keys are kept out, known ones normalised. */
export function parseManifest(json: PositionedJson, file: string, fallbackName: string, issues: PluginIssue[]): PluginManifest {
    const v = json.value as Record<string, unknown> | null;
    if (!v || typeof v !== 'object' || Array.isArray(v)) {
        issues.push({ severity: 'error', file, line: 1, message: 'plugin.json must be a JSON object' });
        return { name: fallbackName };
    }
    let name = fallbackName;
    if (typeof v.name === 'string') {
        const bad = unsafeNameReason(v.name);
        if (bad) {
            issues.push({ severity: 'error', file, line: json.lineOf(['name']), message: `plugin name ${JSON.stringify(v.name)} ${bad}; using "${fallbackName}"` });
        } else {
            name = v.name.trim();
        }
    } else if (v.name !== undefined) {
        issues.push({ severity: 'error', file, line: json.lineOf(['name']), message: `"name" must be a string; using "${fallbackName}"` });
    }
    const str = (k: string) => typeof v[k] === 'string' ? v[k] as string : undefined;
    const paths = (k: string): string[] | undefined => {
        const x = v[k];
        if (x === undefined) {
            return undefined;
        }
        if (typeof x === 'string') {
            return [x];
        }
        if (Array.isArray(x) && x.every(s => typeof s === 'string')) {
            return x as string[];
        }
        if (k === 'mcpServers' || k === 'hooks') {
            return undefined;
        }
        issues.push({ severity: 'error', file, line: json.lineOf([k]), message: `"${k}" must be a path or a list of paths` });
        return undefined;
    };
    const obj = (k: string) => v[k] && typeof v[k] === 'object' && !Array.isArray(v[k]) ? v[k] as Record<string, unknown> : undefined;
    const author = typeof v.author === 'string' ? { name: v.author } : obj('author') as PluginManifest['author'];
    return {
        name,
        version: str('version') ?? (typeof v.version === 'number' ? String(v.version) : undefined),
        description: str('description'),
        author,
        keywords: Array.isArray(v.keywords) ? v.keywords.map(String) : undefined,
        homepage: str('homepage'),
        license: str('license'),
        repository: typeof v.repository === 'string' ? v.repository : (obj('repository')?.url as string | undefined),
        commands: paths('commands'),
        agents: paths('agents'),
        skills: paths('skills'),
        hooks: paths('hooks'),
        mcpServers: paths('mcpServers'),
        inlineMcpServers: obj('mcpServers'),
        inlineHooks: obj('hooks')
    };
}

export function defaultPluginName(dir: string): string {
    return path.basename(path.resolve(dir));
}
