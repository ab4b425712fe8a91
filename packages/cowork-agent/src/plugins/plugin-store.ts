import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeFileAtomic } from '../util/atomic-write';
import { FetchError, gitFetch } from './git-fetch';
import { unsafeNameReason } from './manifest';
import { describeSource, localEntryPath, Marketplace, MarketplaceEntry, MarketplaceError, readMarketplace } from './marketplace';
import { loadPlugin } from './plugin-loader';
import type { LoadedPlugin, PluginSource } from './plugin-types';
import { copyPluginFolder, UnsafePluginError } from './safe-copy';
import { extractPluginZip, findPluginRoot } from './zip-extract';

export class PluginStoreError extends Error { }

interface PluginState {
    enabled?: boolean;
    marketplace?: string;
    from?: string;
    installedAt?: string;
}

interface MarketplaceState {
    /** What the user added: a folder or a git URL. */
    location: string;
    /** The local folder read (the folder itself, or our clone of the URL). */
    path: string;
    addedAt: string;
}

interface StoreState {
    plugins: Record<string, PluginState>;
    marketplaces: Record<string, MarketplaceState>;
}

export interface PluginLocation {
    name: string;
    dir: string;
    source: PluginSource;
    enabled: boolean;
    marketplace?: string;
}

/**
 * Plugins on disk under `<data>/plugins`: `installed/<name>` (copies of folders, archives and
 * marketplace entries), `custom/<name>` (user-owned copies to edit, which take precedence),
 * `data/<name>` (${CLAUDE_PLUGIN_DATA}) and `state.json` (enabled flags, marketplaces).
 * Bundled plugins are read where they ship and are never written.
 */
export class PluginStore {
    readonly root: string;

    constructor(readonly dataDir: string, readonly bundledDir?: string) {
        this.root = path.join(dataDir, 'plugins');
    }

    private get stateFile(): string {
        return path.join(this.root, 'state.json');
    }

    private state(): StoreState {
        try {
            const v = JSON.parse(fs.readFileSync(this.stateFile, 'utf8'));
            return { plugins: v.plugins ?? {}, marketplaces: v.marketplaces ?? {} };
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && fs.existsSync(this.stateFile)) {
                throw new PluginStoreError(`${this.stateFile} is not valid JSON; fix or remove it`);
            }
            return { plugins: {}, marketplaces: {} };
        }
    }

    private save(s: StoreState): void {
        fs.mkdirSync(this.root, { recursive: true, mode: 0o700 });
        writeFileAtomic(this.stateFile, JSON.stringify(s, null, 2) + '\n');
    }

    pluginDataDir(name: string): string {
        return path.join(this.root, 'data', name);
    }

    /** Every plugin known, one per name: custom over installed over bundled. */
    locations(): PluginLocation[] {
        const st = this.state();
        const byName = new Map<string, PluginLocation>();
        const scan = (dir: string | undefined, source: PluginSource) => {
            if (!dir || !fs.existsSync(dir)) {
                return;
            }
            for (const n of fs.readdirSync(dir).sort()) {
                const d = path.join(dir, n);
                if (n.startsWith('.') || !fs.statSync(d).isDirectory()) {
                    continue;
                }
                const name = source === 'bundled' ? pluginNameOf(d) : n;
                byName.set(name, {
                    name, dir: d, source, enabled: st.plugins[name]?.enabled ?? true, marketplace: st.plugins[name]?.marketplace
                });
            }
        };
        scan(this.bundledDir, 'bundled');
        scan(path.join(this.root, 'installed'), 'installed');
        scan(path.join(this.root, 'custom'), 'custom');
        return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
    }

    location(name: string): PluginLocation {
        const loc = this.locations().find(l => l.name === name);
        if (!loc) {
            const known = this.locations().map(l => l.name);
            throw new PluginStoreError(`No plugin named "${name}". Installed: ${known.join(', ') || '(none)'}`);
        }
        return loc;
    }

    /**
     * Changes whenever what load() would return may have changed: the state file, the plugin
     * folders present, and any file of a customized (user-edited) plugin.
     */
    signature(): string {
        const parts: string[] = [];
        const stamp = (p: string) => {
            try {
                parts.push(`${p}:${fs.statSync(p).mtimeMs}`);
            } catch {
                parts.push(`${p}:-`);
            }
        };
        stamp(this.stateFile);
        for (const dir of [this.bundledDir, path.join(this.root, 'installed'), path.join(this.root, 'custom')]) {
            if (!dir || !fs.existsSync(dir)) {
                continue;
            }
            for (const n of fs.readdirSync(dir).sort()) {
                stamp(path.join(dir, n));
            }
        }
        const walk = (d: string, depth: number) => {
            if (depth > 6) {
                return;
            }
            for (const e of fs.readdirSync(d, { withFileTypes: true })) {
                const p = path.join(d, e.name);
                stamp(p);
                if (e.isDirectory()) {
                    walk(p, depth + 1);
                }
            }
        };
        const custom = path.join(this.root, 'custom');
        if (fs.existsSync(custom)) {
            walk(custom, 0);
        }
        return parts.join('\n');
    }

    /** Loads the enabled plugins (or all, for listing). */
    load(opts: { includeDisabled?: boolean } = {}): { plugin: LoadedPlugin; location: PluginLocation }[] {
        return this.locations()
            .filter(l => opts.includeDisabled || l.enabled)
            .map(l => ({ location: l, plugin: loadPlugin(l.dir, { source: l.source, nameHint: l.name, pluginData: this.pluginDataDir(l.name) }) }));
    }

    /** Copies a plugin folder in. Returns the loaded copy (its issues included). */
    installFromFolder(dir: string, opts: { marketplace?: string; nameHint?: string; from?: string } = {}): LoadedPlugin {
        const src = path.resolve(dir);
        if (!fs.existsSync(src) || !fs.statSync(src).isDirectory()) {
            throw new PluginStoreError(`${src} is not a folder`);
        }
        const probe = loadPlugin(src, { nameHint: opts.nameHint });
        if (!looksLikePlugin(src)) {
            throw new PluginStoreError(`${src} is not a plugin: it has no .claude-plugin/plugin.json, skills/, commands/, agents/, hooks/ or .mcp.json`);
        }
        const name = probe.name;
        const bad = unsafeNameReason(name);
        if (bad) {
            throw new PluginStoreError(`plugin name ${JSON.stringify(name)} ${bad}`);
        }
        const installedDir = path.join(this.root, 'installed');
        fs.mkdirSync(installedDir, { recursive: true, mode: 0o700 });
        const tmp = path.join(installedDir, `.tmp-${name}-${randomBytes(4).toString('hex')}`);
        try {
            copyPluginFolder(src, tmp);
        } catch (e) {
            fs.rmSync(tmp, { recursive: true, force: true });
            throw e instanceof UnsafePluginError ? new PluginStoreError(`${src}: ${e.message}`) : e;
        }
        this.replaceDir(tmp, path.join(installedDir, name));
        const st = this.state();
        st.plugins[name] = { ...st.plugins[name], enabled: st.plugins[name]?.enabled ?? true, marketplace: opts.marketplace, from: opts.from ?? src, installedAt: new Date().toISOString() };
        this.save(st);
        return loadPlugin(path.join(installedDir, name), { source: 'installed', nameHint: name, pluginData: this.pluginDataDir(name) });
    }

    /** "Upload plugin": a `.plugin` or `.zip` archive of a plugin folder. */
    installFromZip(file: string): LoadedPlugin {
        const abs = path.resolve(file);
        if (!fs.existsSync(abs)) {
            throw new PluginStoreError(`${abs} does not exist`);
        }
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cowork-plugin-'));
        try {
            try {
                extractPluginZip(abs, tmp);
            } catch (e) {
                throw new PluginStoreError(`${abs}: ${(e as Error).message}`);
            }
            let root: string;
            try {
                root = findPluginRoot(tmp);
            } catch (e) {
                throw new PluginStoreError(`${abs}: ${(e as Error).message}`);
            }
            const nameHint = root === tmp ? path.basename(abs).replace(/\.(plugin|zip)$/i, '') : undefined;
            return this.installFromFolder(root, { nameHint, from: abs });
        } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    }

    /** Installs from a path: a folder, a .plugin/.zip archive. */
    install(target: string): LoadedPlugin {
        const abs = path.resolve(target);
        if (fs.existsSync(abs) && fs.statSync(abs).isFile()) {
            return this.installFromZip(abs);
        }
        return this.installFromFolder(abs);
    }

    setEnabled(name: string, enabled: boolean): void {
        const loc = this.location(name);
        const st = this.state();
        st.plugins[loc.name] = { ...st.plugins[loc.name], enabled };
        this.save(st);
    }

    /** Removes an installed plugin (and its custom copy). Bundled ones can only be disabled. */
    uninstall(name: string): { removed: string[] } {
        const loc = this.location(name);
        const removed: string[] = [];
        for (const kind of ['custom', 'installed']) {
            const d = path.join(this.root, kind, loc.name);
            if (fs.existsSync(d)) {
                fs.rmSync(d, { recursive: true, force: true });
                removed.push(d);
            }
        }
        if (removed.length === 0) {
            throw new PluginStoreError(`"${name}" is bundled with Cowork and cannot be uninstalled; use "cowork plugins disable ${name}"`);
        }
        const st = this.state();
        if (!this.locations().some(l => l.name === loc.name)) {
            delete st.plugins[loc.name];
        }
        this.save(st);
        return { removed };
    }

    /** A user-owned copy of a plugin to edit; it shadows the original from now on. */
    customize(name: string): string {
        const loc = this.location(name);
        const dest = path.join(this.root, 'custom', loc.name);
        if (loc.source === 'custom') {
            return dest;
        }
        fs.mkdirSync(path.dirname(dest), { recursive: true, mode: 0o700 });
        const tmp = path.join(path.dirname(dest), `.tmp-${loc.name}-${randomBytes(4).toString('hex')}`);
        try {
            copyPluginFolder(loc.dir, tmp);
        } catch (e) {
            fs.rmSync(tmp, { recursive: true, force: true });
            throw new PluginStoreError(`${loc.dir}: ${(e as Error).message}`);
        }
        this.replaceDir(tmp, dest);
        return dest;
    }

    // ---- marketplaces ----

    async addMarketplace(location: string): Promise<Marketplace> {
        let dir: string;
        const isUrl = /^(https?|git|ssh):\/\//.test(location) || location.startsWith('git@');
        if (isUrl) {
            const tmp = path.join(this.root, 'marketplaces', `.tmp-${randomBytes(4).toString('hex')}`);
            try {
                await gitFetch(location, tmp);
            } catch (e) {
                fs.rmSync(tmp, { recursive: true, force: true });
                throw new PluginStoreError(`Cannot add marketplace: ${(e as Error).message}`);
            }
            dir = tmp;
        } else {
            dir = path.resolve(location);
        }
        let m: Marketplace;
        try {
            m = readMarketplace(dir);
        } catch (e) {
            throw new PluginStoreError((e as Error).message);
        }
        const bad = unsafeNameReason(m.name);
        if (bad) {
            throw new PluginStoreError(`marketplace name ${JSON.stringify(m.name)} ${bad}`);
        }
        if (isUrl) {
            const dest = path.join(this.root, 'marketplaces', m.name);
            this.replaceDir(dir, dest);
            dir = dest;
            m = readMarketplace(dir);
        }
        const st = this.state();
        st.marketplaces[m.name] = { location: isUrl ? location : dir, path: dir, addedAt: new Date().toISOString() };
        this.save(st);
        return m;
    }

    removeMarketplace(name: string): void {
        const st = this.state();
        if (!st.marketplaces[name]) {
            throw new PluginStoreError(`No marketplace named "${name}"`);
        }
        const clone = path.join(this.root, 'marketplaces', name);
        if (st.marketplaces[name].path === clone) {
            fs.rmSync(clone, { recursive: true, force: true });
        }
        delete st.marketplaces[name];
        this.save(st);
    }

    marketplaces(): { name: string; location: string; marketplace?: Marketplace; error?: string }[] {
        return Object.entries(this.state().marketplaces).map(([name, m]) => {
            try {
                return { name, location: m.location, marketplace: readMarketplace(m.path) };
            } catch (e) {
                return { name, location: m.location, error: (e as Error).message };
            }
        });
    }

    /** `plugin` or `plugin@marketplace`. */
    async installFromMarketplace(spec: string): Promise<LoadedPlugin> {
        const [pluginName, mpName] = spec.split('@');
        const candidates = this.marketplaces().filter(m => !mpName || m.name === mpName);
        if (mpName && candidates.length === 0) {
            throw new PluginStoreError(`No marketplace named "${mpName}". Add it with "cowork plugins marketplace add <folder|url>"`);
        }
        const hits = candidates.flatMap(c => (c.marketplace?.entries ?? []).filter(e => e.name === pluginName).map(e => ({ m: c.marketplace!, e })));
        if (hits.length === 0) {
            throw new PluginStoreError(`No plugin "${pluginName}" in ${mpName ? `marketplace ${mpName}` : 'any added marketplace'}`);
        }
        if (hits.length > 1) {
            throw new PluginStoreError(`"${pluginName}" is in several marketplaces (${hits.map(h => h.m.name).join(', ')}); use ${pluginName}@<marketplace>`);
        }
        return this.installEntry(hits[0].m, hits[0].e);
    }

    private async installEntry(m: Marketplace, e: MarketplaceEntry): Promise<LoadedPlugin> {
        const s = e.source;
        if (s.kind === 'unsupported') {
            throw new PluginStoreError(`"${e.name}" comes from an unsupported ${s.detail}; install it from a folder or archive instead`);
        }
        if (s.kind === 'local') {
            let dir: string;
            try {
                dir = localEntryPath(m, s.path);
            } catch (err) {
                throw new PluginStoreError((err as MarketplaceError).message);
            }
            if (!e.strict && e.skills) {
                return this.installSynthesised(m, e, dir);
            }
            return this.installFromFolder(dir, { marketplace: m.name, nameHint: e.name, from: `${e.name}@${m.name}` });
        }
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cowork-fetch-'));
        try {
            try {
                await gitFetch(s.url, tmp, { ref: s.ref, sha: s.sha });
            } catch (err) {
                const why = err instanceof FetchError ? err.message : (err as Error).message;
                throw new PluginStoreError(`Cannot install "${e.name}" from ${describeSource(s)}: ${why}`);
            }
            let dir = tmp;
            if (s.kind === 'git-subdir') {
                dir = path.resolve(tmp, s.path);
                if (!dir.startsWith(tmp + path.sep) || !fs.existsSync(dir)) {
                    throw new PluginStoreError(`"${e.name}": path ${s.path} is not a folder inside ${s.url}`);
                }
            }
            return this.installFromFolder(dir, { marketplace: m.name, nameHint: e.name, from: `${e.name}@${m.name}` });
        } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    }

    /** anthropics/skills style: `strict: false` with a list of skill folders and no plugin.json. */
    private installSynthesised(m: Marketplace, e: MarketplaceEntry, base: string): LoadedPlugin {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cowork-synth-'));
        try {
            const root = path.join(tmp, e.name);
            fs.mkdirSync(path.join(root, '.claude-plugin'), { recursive: true });
            fs.writeFileSync(path.join(root, '.claude-plugin', 'plugin.json'), JSON.stringify({ name: e.name, description: e.description ?? '', version: e.version }, null, 2));
            for (const rel of e.skills ?? []) {
                let dir: string;
                try {
                    dir = localEntryPath({ ...m, root: base }, rel);
                } catch (err) {
                    throw new PluginStoreError(`"${e.name}": ${(err as Error).message}`);
                }
                try {
                    copyPluginFolder(dir, path.join(root, 'skills', path.basename(dir)));
                } catch (err) {
                    throw new PluginStoreError(`"${e.name}": ${(err as Error).message}`);
                }
            }
            return this.installFromFolder(root, { marketplace: m.name, nameHint: e.name, from: `${e.name}@${m.name}` });
        } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    }

    /** Puts a finished temp folder in place of `dest`; the old one goes only once the new one is there. */
    private replaceDir(tmp: string, dest: string): void {
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        const old = path.join(path.dirname(dest), `.old-${path.basename(dest)}-${randomBytes(4).toString('hex')}`);
        const had = fs.existsSync(dest);
        if (had) {
            fs.renameSync(dest, old);
        }
        try {
            fs.renameSync(tmp, dest);
        } catch (e) {
            if (had) {
                fs.renameSync(old, dest);
            }
            throw e;
        }
        if (had) {
            fs.rmSync(old, { recursive: true, force: true });
        }
    }
}

function looksLikePlugin(dir: string): boolean {
    return ['.claude-plugin', 'skills', 'commands', 'agents', 'hooks', '.mcp.json'].some(n => fs.existsSync(path.join(dir, n)));
}

function pluginNameOf(dir: string): string {
    try {
        const v = JSON.parse(fs.readFileSync(path.join(dir, '.claude-plugin', 'plugin.json'), 'utf8'));
        if (typeof v.name === 'string' && !unsafeNameReason(v.name)) {
            return v.name;
        }
    } catch {
        // no or broken manifest: the folder name
    }
    return path.basename(dir);
}
