import AdmZip from 'adm-zip';
import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { PluginHost } from '../src/plugins/plugin-host';
import { PluginStore, PluginStoreError } from '../src/plugins/plugin-store';
import { copyFixture, FIXTURES, tempDir } from './plugins-test-helpers';

describe('plugin store: install, enable, disable, uninstall, customize', () => {
    let data: string;
    let bundled: string;
    let store: PluginStore;

    beforeEach(() => {
        data = tempDir();
        bundled = tempDir();
        fs.cpSync(path.join(FIXTURES, 'quirks/brand-voice'), path.join(bundled, 'brand-voice'), { recursive: true });
        store = new PluginStore(data, bundled);
    });

    it('installs from a folder as a copy, enabled, and lists it with the bundled ones', () => {
        const p = store.installFromFolder(path.join(FIXTURES, 'quirks/kitchen-sink'));
        expect(p.name).to.equal('kitchen-sink-by-acme');
        expect(p.root).to.equal(path.join(data, 'plugins/installed/kitchen-sink-by-acme'));
        expect(p.skills).to.have.length(4);
        expect(fs.statSync(path.join(p.root, 'skills/summarize/scripts/wc.sh')).mode & 0o111).to.not.equal(0);
        expect(store.locations().map(l => [l.name, l.source, l.enabled])).to.deep.equal([
            ['brand-voice', 'bundled', true], ['kitchen-sink-by-acme', 'installed', true]
        ]);
    });

    it('installs an uploaded .plugin archive (files at the root or in one top folder)', () => {
        for (const nested of [false, true]) {
            const zip = new AdmZip();
            zip.addLocalFolder(path.join(FIXTURES, 'quirks/plugin-dev'), nested ? 'plugin-dev' : '');
            const file = path.join(tempDir(), 'plugin-dev.plugin');
            zip.writeZip(file);
            const p = store.installFromZip(file);
            expect(p.name).to.equal('plugin-dev');
            expect(p.skills.map(s => s.id)).to.deep.equal(['hook-development']);
            expect(p.issues.filter(i => i.severity === 'error')).to.deep.equal([]);
        }
        const notPlugin = new AdmZip();
        notPlugin.addFile('readme.txt', Buffer.from('hi'));
        const f = path.join(tempDir(), 'x.zip');
        notPlugin.writeZip(f);
        expect(() => store.installFromZip(f)).to.throw(PluginStoreError, /holds no plugin/);
        const garbage = path.join(tempDir(), 'garbage.plugin');
        fs.writeFileSync(garbage, 'not a zip');
        expect(() => store.installFromZip(garbage)).to.throw(PluginStoreError, /not a readable zip/);
    });

    it('disables and enables; the host loads only enabled plugins', () => {
        store.installFromFolder(path.join(FIXTURES, 'marketplace/plugins/alpha'));
        store.setEnabled('brand-voice', false);
        let host = new PluginHost({ dataDir: data, bundledDir: bundled });
        expect(host.registry.plugins.map(p => p.name)).to.deep.equal(['alpha']);
        store.setEnabled('brand-voice', true);
        host = new PluginHost({ dataDir: data, bundledDir: bundled });
        expect(host.registry.plugins.map(p => p.name)).to.deep.equal(['alpha', 'brand-voice']);
        expect(() => store.setEnabled('nope', true)).to.throw(PluginStoreError, /No plugin named "nope"/);
    });

    it('uninstalls installed plugins; bundled ones can only be disabled', () => {
        store.installFromFolder(path.join(FIXTURES, 'marketplace/plugins/alpha'));
        store.uninstall('alpha');
        expect(store.locations().map(l => l.name)).to.deep.equal(['brand-voice']);
        expect(() => store.uninstall('brand-voice')).to.throw(PluginStoreError, /bundled .* disable/);
    });

    it('customize makes a user-owned copy that shadows the original; uninstalling it restores the original', () => {
        const dest = store.customize('brand-voice');
        expect(dest).to.equal(path.join(data, 'plugins/custom/brand-voice'));
        fs.writeFileSync(path.join(dest, 'skills/discover-brand/SKILL.md'), '---\nname: discover-brand\ndescription: My own version of the skill\n---\nMine.');
        const loc = store.location('brand-voice');
        expect(loc.source).to.equal('custom');
        const host = new PluginHost({ dataDir: data, bundledDir: bundled });
        expect(host.registry.skills()[0].description).to.equal('My own version of the skill');
        expect(fs.readFileSync(path.join(bundled, 'brand-voice/skills/discover-brand/SKILL.md'), 'utf8')).to.not.contain('Mine.');
        store.uninstall('brand-voice');
        expect(store.location('brand-voice').source).to.equal('bundled');
    });

    it('reinstalling replaces the previous copy', () => {
        const src = copyFixture('marketplace/plugins/alpha');
        store.installFromFolder(src);
        fs.rmSync(path.join(src, 'commands'), { recursive: true });
        const p = store.installFromFolder(src);
        expect(p.commands).to.deep.equal([]);
        expect(fs.readdirSync(path.join(data, 'plugins/installed'))).to.deep.equal(['alpha']);
    });

    it('refuses a folder that is not a plugin', () => {
        expect(() => store.installFromFolder(tempDir())).to.throw(PluginStoreError, /is not a plugin/);
    });
});

describe('plugin store: marketplaces', () => {
    let store: PluginStore;
    beforeEach(() => {
        store = new PluginStore(tempDir());
    });

    it('adds a local marketplace and lists every entry kind, reporting unreadable ones by line', async () => {
        const m = await store.addMarketplace(path.join(FIXTURES, 'marketplace'));
        expect(m.name).to.equal('test-market');
        expect(m.entries.map(e => [e.name, e.source.kind])).to.deep.equal([
            ['alpha', 'local'], ['remote-url', 'url'], ['remote-subdir', 'git-subdir'], ['doc-skills', 'local'], ['escape', 'local']
        ]);
        expect(m.problems).to.have.length(1);
        expect(m.problems[0]).to.match(/marketplace\.json:\d+: plugin entry 6 has no "name"/);
        expect(store.marketplaces().map(x => x.name)).to.deep.equal(['test-market']);
    });

    it('installs a local entry, and a strict:false entry synthesised from skill folders', async () => {
        await store.addMarketplace(path.join(FIXTURES, 'marketplace'));
        const alpha = await store.installFromMarketplace('alpha@test-market');
        expect(alpha.skills.map(s => s.id)).to.deep.equal(['hello']);
        expect(store.location('alpha').marketplace).to.equal('test-market');
        const docs = await store.installFromMarketplace('doc-skills');
        expect(docs.name).to.equal('doc-skills');
        expect(docs.skills.map(s => s.id).sort()).to.deep.equal(['pdf-lite', 'xlsx-lite']);
        expect(docs.issues).to.deep.equal([]);
    });

    it('says clearly when a remote entry cannot be fetched', async function () {
        this.timeout(60000);
        await store.addMarketplace(path.join(FIXTURES, 'marketplace'));
        for (const name of ['remote-url', 'remote-subdir']) {
            let err: Error | undefined;
            try {
                await store.installFromMarketplace(name);
            } catch (e) {
                err = e as Error;
            }
            expect(err).to.be.instanceOf(PluginStoreError);
            expect(err!.message).to.match(new RegExp(`Cannot install "${name}" from https://example\\.invalid/.*: cannot reach example\\.invalid`));
        }
        let err: Error | undefined;
        try {
            await store.installFromMarketplace('nope@test-market');
        } catch (e) {
            err = e as Error;
        }
        expect(err?.message).to.match(/No plugin "nope" in marketplace test-market/);
    });

    it('installs url and git-subdir entries from a git repository where one is reachable', async function () {
        this.timeout(60000);
        // A local repository stands in for the network: same code path (git clone + checkout of the pinned sha).
        const repo = copyFixture('marketplace/plugins/alpha');
        fs.cpSync(path.join(FIXTURES, 'quirks/plugin-dev'), path.join(repo, 'nested/plugin-dev'), { recursive: true });
        const { execFileSync } = await import('child_process');
        const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } }).toString().trim();
        git('init', '-q');
        git('add', '.');
        git('commit', '-qm', 'alpha');
        const sha = git('rev-parse', 'HEAD');
        const mp = tempDir();
        fs.mkdirSync(path.join(mp, '.claude-plugin'));
        fs.writeFileSync(path.join(mp, '.claude-plugin/marketplace.json'), JSON.stringify({
            name: 'git-market', owner: { name: 't' }, plugins: [
                { name: 'alpha', source: { source: 'url', url: `file://${repo}`, sha } },
                { name: 'plugin-dev', source: { source: 'git-subdir', url: `file://${repo}`, path: 'nested/plugin-dev', sha } },
                { name: 'sneaky', source: { source: 'git-subdir', url: `file://${repo}`, path: '../../etc', sha } }
            ]
        }));
        await store.addMarketplace(mp);
        const p = await store.installFromMarketplace('alpha@git-market');
        expect(p.skills.map(s => s.id)).to.deep.equal(['hello']);
        expect(fs.existsSync(path.join(p.root, '.git'))).to.equal(false);
        const sub = await store.installFromMarketplace('plugin-dev@git-market');
        expect(sub.name).to.equal('plugin-dev', 'no manifest: named by the marketplace entry');
        expect(sub.skills.map(s => s.id)).to.deep.equal(['hook-development']);
        let err: Error | undefined;
        try {
            await store.installFromMarketplace('sneaky@git-market');
        } catch (e) {
            err = e as Error;
        }
        expect(err?.message).to.match(/path \.\.\/\.\.\/etc is not a folder inside/);
    });

    it('explains a missing marketplace file', async () => {
        let err: Error | undefined;
        try {
            await store.addMarketplace(tempDir());
        } catch (e) {
            err = e as Error;
        }
        expect(err?.message).to.match(/marketplace\.json not found/);
    });
});
