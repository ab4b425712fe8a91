import '@theia/core/shared/reflect-metadata';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import AdmZip from 'adm-zip';
import { expect } from 'chai';
import { Container } from '@theia/core/shared/inversify';
import backendModule from './cowork-backend-module';
import { CoworkServiceImpl } from './cowork-service-impl';
import { Keychain } from './keychain';

const noKeychain: Keychain = {
    get: async () => undefined,
    set: async () => { throw new Error('no keychain here'); },
    remove: async () => undefined
};

/** A small plugin with one of everything the Plugins view shows, and one broken skill. */
function writeFixturePlugin(dir: string): void {
    const file = (rel: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), text);
    };
    file('.claude-plugin/plugin.json', JSON.stringify({ name: 'acme-notes', version: '1.2.0', description: 'Notes for Acme' }, null, 2));
    file('skills/summarise/SKILL.md', '---\nname: summarise\ndescription: Summarise a folder of notes\n---\nRead the notes and summarise them.\n');
    file('skills/broken/SKILL.md', '---\nname: broken\ndescription: [unclosed\n---\nBody\n');
    file('commands/digest.md', '---\ndescription: Write a weekly digest\n---\nWrite the digest of $ARGUMENTS.\n');
    file('agents/reviewer.md', '---\nname: reviewer\ndescription: Reviews a draft\n---\nYou review drafts.\n');
    file('.mcp.json', JSON.stringify({ mcpServers: { tracker: { type: 'http', url: '' } } }, null, 2));
}

describe('Cowork backend service: plugins', function () {
    this.timeout(30000);
    let tmp: string;
    let service: CoworkServiceImpl;
    const saved = process.env.COWORK_DATA_DIR;

    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cowork-ui-plugins-'));
        process.env.COWORK_DATA_DIR = path.join(tmp, 'data');
        const container = new Container();
        container.load(backendModule);
        container.rebind(Keychain).toConstantValue(noKeychain);
        service = container.get(CoworkServiceImpl);
    });

    after(() => {
        if (saved === undefined) {
            delete process.env.COWORK_DATA_DIR;
        } else {
            process.env.COWORK_DATA_DIR = saved;
        }
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    it('lists the bundled plugins with their skills; they cannot be uninstalled', async () => {
        const plugins = await service.listPlugins();
        const names = plugins.map(p => p.name);
        expect(names).to.include.members(['productivity', 'data', 'finance', 'plugin-create']);
        const productivity = plugins.find(p => p.name === 'productivity')!;
        expect(productivity).to.deep.include({ source: 'bundled', enabled: true, removable: false });
        expect(productivity.skills.length).to.be.greaterThan(0);
        expect(productivity.skills.every(s => s.name.startsWith('productivity:'))).to.equal(true);
        let error: unknown;
        await service.uninstallPlugin('productivity').catch(e => error = e);
        expect(String(error)).to.contain('bundled with Cowork and cannot be uninstalled');
    });

    it('installs a .plugin archive, lists what it brings, disables, re-enables and uninstalls it', async () => {
        const folder = path.join(tmp, 'acme-notes');
        writeFixturePlugin(folder);
        const zip = new AdmZip();
        zip.addLocalFolder(folder, 'acme-notes');
        const archive = path.join(tmp, 'acme-notes.plugin');
        zip.writeZip(archive);

        const installed = await service.installPlugin(archive);
        expect(installed).to.deep.include({ name: 'acme-notes', version: '1.2.0', source: 'installed', enabled: true, removable: true });
        expect(installed.skills.map(s => s.name)).to.include('acme-notes:summarise');
        expect(installed.commands).to.deep.equal([{ name: 'acme-notes:digest', description: 'Write a weekly digest' }]);
        expect(installed.agents.map(a => a.name)).to.deep.equal(['acme-notes:reviewer']);
        expect(installed.connectors.map(c => [c.name, c.status])).to.deep.equal([['tracker', 'not-configured']]);
        // The broken frontmatter is reported with the file and line, not thrown.
        expect(installed.problems.some(p => p.includes(path.join('skills', 'broken', 'SKILL.md')) && /:\d+\)$/.test(p))).to.equal(true);
        // The next task sees it: its slash command is offered by the runtime's plugin host.
        expect((await service.listSlashCommands()).map(c => c.name)).to.include('acme-notes:digest');

        await service.setPluginEnabled('acme-notes', false);
        const disabled = (await service.listPlugins()).find(p => p.name === 'acme-notes')!;
        expect(disabled.enabled).to.equal(false);
        expect(disabled.connectors.map(c => c.status)).to.deep.equal(['disabled']);
        expect((await service.listSlashCommands()).map(c => c.name)).not.to.include('acme-notes:digest');

        await service.setPluginEnabled('acme-notes', true);
        expect((await service.listPlugins()).find(p => p.name === 'acme-notes')!.enabled).to.equal(true);

        await service.uninstallPlugin('acme-notes');
        expect((await service.listPlugins()).map(p => p.name)).not.to.include('acme-notes');
        expect(fs.existsSync(path.join(tmp, 'data', 'plugins', 'installed', 'acme-notes'))).to.equal(false);
        expect((await service.listSlashCommands()).map(c => c.name)).not.to.include('acme-notes:digest');
    });

    it('installs a plugin folder too', async () => {
        const folder = path.join(tmp, 'folder-plugin');
        writeFixturePlugin(folder);
        const installed = await service.installPlugin(folder);
        expect(installed.name).to.equal('acme-notes');
        await service.uninstallPlugin('acme-notes');
    });

    it('says readably what is wrong with a file that is not a plugin', async () => {
        const bogus = path.join(tmp, 'notes.zip');
        fs.writeFileSync(bogus, 'not a zip at all');
        let error: unknown;
        await service.installPlugin(bogus).catch(e => error = e);
        expect(error).to.be.instanceOf(Error);
        expect((error as Error).message).to.contain(bogus);
        error = undefined;
        await service.installPlugin(path.join(tmp, 'missing.plugin')).catch(e => error = e);
        expect((error as Error).message).to.contain(path.join(tmp, 'missing.plugin'));
        error = undefined;
        await service.installPlugin('  ').catch(e => error = e);
        expect((error as Error).message).to.contain('Choose a plugin folder');
    });
});
