import AdmZip from 'adm-zip';
import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { loadPlugin } from '../src/plugins/plugin-loader';
import { PluginStore, PluginStoreError } from '../src/plugins/plugin-store';
import { copyFixture, FIXTURES, tempDir } from './plugins-test-helpers';

/** A zip whose entry names are written exactly as given (AdmZip would not add `..` itself). */
function zipWithEntry(name: string, content = 'x', attr?: number): string {
    const zip = new AdmZip();
    zip.addFile('.claude-plugin/plugin.json', Buffer.from('{"name":"evil"}'));
    zip.addFile('placeholder.txt', Buffer.from(content));
    const entry = zip.getEntries().find(e => e.entryName === 'placeholder.txt')!;
    entry.entryName = name;
    if (attr !== undefined) {
        entry.attr = attr;
    }
    const file = path.join(tempDir(), 'evil.plugin');
    zip.writeZip(file);
    return file;
}

describe('plugins cannot reach outside their folder', () => {
    let data: string;
    let store: PluginStore;

    beforeEach(() => {
        data = tempDir();
        store = new PluginStore(data);
    });

    it('refuses manifest component paths that climb out, directly or through ${CLAUDE_PLUGIN_ROOT}', () => {
        const dir = copyFixture('quirks/plugin-dev');
        fs.mkdirSync(path.join(dir, '.claude-plugin'));
        const outside = path.join(path.dirname(dir), 'outside.md');
        fs.writeFileSync(outside, '---\ndescription: stolen\n---\nSTOLEN');
        fs.writeFileSync(path.join(dir, '.claude-plugin/plugin.json'), JSON.stringify({
            name: 'escaper', commands: ['../outside.md', '${CLAUDE_PLUGIN_ROOT}/../outside.md', '/etc/hostname'], hooks: '../hooks.json'
        }));
        const p = loadPlugin(dir);
        expect(p.commands.map(c => c.id)).to.deep.equal(['create-plugin']);
        const msgs = p.issues.filter(i => i.severity === 'error').map(i => i.message);
        expect(msgs.filter(m => /outside the plugin folder/.test(m))).to.have.length(4);
    });

    it('skips symlinks that lead out of the plugin (skill folders, SKILL.md files, commands)', () => {
        const dir = copyFixture('quirks/plugin-dev');
        const secretDir = tempDir();
        fs.writeFileSync(path.join(secretDir, 'SKILL.md'), '---\ndescription: secret skill\n---\nSECRET');
        fs.symlinkSync(secretDir, path.join(dir, 'skills', 'linked-out'));
        fs.mkdirSync(path.join(dir, 'skills', 'file-link'));
        fs.symlinkSync(path.join(secretDir, 'SKILL.md'), path.join(dir, 'skills', 'file-link', 'SKILL.md'));
        fs.symlinkSync(path.join(secretDir, 'SKILL.md'), path.join(dir, 'commands', 'stolen.md'));
        // A link that stays inside is fine.
        fs.symlinkSync(path.join(dir, 'skills', 'hook-development'), path.join(dir, 'skills', 'alias'));
        const p = loadPlugin(dir);
        expect(p.skills.map(s => s.id).sort()).to.deep.equal(['alias', 'hook-development']);
        expect(p.commands.map(c => c.id)).to.deep.equal(['create-plugin']);
        expect(p.skills.concat().some(s => s.body.includes('SECRET'))).to.equal(false);
        expect(p.issues.filter(i => /leads outside the plugin folder/.test(i.message))).to.have.length(3);
    });

    it('refuses to install a folder with a link out of it, and installs none of it', () => {
        const dir = copyFixture('quirks/plugin-dev');
        fs.symlinkSync('/etc', path.join(dir, 'skills', 'hook-development', 'etc'));
        expect(() => store.installFromFolder(dir)).to.throw(PluginStoreError, /etc is a link that leads outside the plugin folder/);
        expect(fs.existsSync(path.join(data, 'plugins/installed/plugin-dev'))).to.equal(false);
    });

    it('refuses zip-slip entries, absolute paths and links in archives, writing nothing', () => {
        const cases: [string, RegExp, number?][] = [
            ['../../evil.txt', /climbs out of the plugin folder/],
            ['skills/../../evil.txt', /climbs out of the plugin folder/],
            ['..\\..\\evil.txt', /climbs out of the plugin folder/],
            ['/tmp/evil-abs.txt', /absolute path/],
            ['skills/link', /symbolic link/, (0o120777 << 16) >>> 0]
        ];
        for (const [name, re, attr] of cases) {
            const file = zipWithEntry(name, '/etc/passwd', attr);
            expect(() => store.installFromZip(file), name).to.throw(PluginStoreError, re);
            expect(fs.existsSync(path.join(path.dirname(file), '..', 'evil.txt'))).to.equal(false);
        }
        expect(fs.existsSync('/tmp/evil-abs.txt')).to.equal(false);
        expect(store.locations()).to.deep.equal([]);
    });

    it('refuses a marketplace entry whose source points outside the marketplace', async () => {
        await store.addMarketplace(path.join(FIXTURES, 'marketplace'));
        let err: Error | undefined;
        try {
            await store.installFromMarketplace('escape@test-market');
        } catch (e) {
            err = e as Error;
        }
        expect(err).to.be.instanceOf(PluginStoreError);
        expect(err!.message).to.match(/points outside the marketplace folder|does not exist/);
    });

    it('refuses plugin names that would escape the install folder', () => {
        const dir = copyFixture('quirks/plugin-dev');
        fs.mkdirSync(path.join(dir, '.claude-plugin'));
        fs.writeFileSync(path.join(dir, '.claude-plugin/plugin.json'), JSON.stringify({ name: '../../../escaped' }));
        const p = loadPlugin(dir);
        expect(p.name).to.equal('plugin-dev');
        expect(p.issues[0].message).to.match(/contains "\/"/);
        store.installFromFolder(dir);
        expect(fs.existsSync(path.join(data, 'plugins/installed/plugin-dev'))).to.equal(true);
        expect(fs.existsSync(path.join(data, 'escaped'))).to.equal(false);
    });
});
