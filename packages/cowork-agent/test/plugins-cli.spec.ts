import AdmZip from 'adm-zip';
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { FIXTURES, tempDir } from './plugins-test-helpers';

const BIN = path.resolve(__dirname, '../../bin/cowork.js');

function cowork(dataDir: string, ...args: string[]): { code: number | null; out: string; err: string } {
    const r = spawnSync(process.execPath, [BIN, 'plugins', ...args], { env: { ...process.env, COWORK_DATA_DIR: dataDir }, encoding: 'utf8' });
    return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('cowork plugins (CLI)', function () {
    this.timeout(60000);

    it('installs an uploaded archive, lists, disables, enables, customizes and uninstalls', () => {
        const data = tempDir();
        const zip = new AdmZip();
        zip.addLocalFolder(path.join(FIXTURES, 'quirks/plugin-dev'));
        const file = path.join(tempDir(), 'plugin-dev.plugin');
        zip.writeZip(file);
        const inst = cowork(data, 'install', file);
        expect(inst.code, inst.err).to.equal(0);
        expect(inst.out).to.match(/^Installed plugin-dev \(1 skills, 1 commands/);
        const list = JSON.parse(cowork(data, 'list', '--json').out) as { name: string; enabled: boolean; source: string }[];
        expect(list.find(p => p.name === 'plugin-dev')).to.include({ enabled: true, source: 'installed' });
        expect(list.map(p => p.name)).to.include.members(['productivity', 'data', 'finance', 'plugin-create']);
        expect(cowork(data, 'disable', 'plugin-dev').code).to.equal(0);
        expect(cowork(data, 'list').out).to.match(/○ plugin-dev \[installed, disabled\]/);
        expect(cowork(data, 'enable', 'plugin-dev').code).to.equal(0);
        const custom = cowork(data, 'customize', 'productivity');
        expect(custom.out).to.contain(path.join(data, 'plugins/custom/productivity'));
        expect(cowork(data, 'uninstall', 'plugin-dev').code).to.equal(0);
        const bundled = cowork(data, 'uninstall', 'data');
        expect(bundled.code).to.equal(1);
        expect(bundled.err).to.match(/^cowork: "data" is bundled with Cowork and cannot be uninstalled; use "cowork plugins disable data"/);
        expect(bundled.err).to.not.match(/\n\s+at /, 'no stack trace');
    });

    it('adds a marketplace, lists it and installs from it; validate exits 1 on errors', () => {
        const data = tempDir();
        expect(cowork(data, 'marketplace', 'add', path.join(FIXTURES, 'marketplace')).out).to.match(/Added marketplace test-market \(5 plugins\)/);
        const list = cowork(data, 'marketplace', 'list').out;
        expect(list).to.contain('alpha@test-market [local] — Alpha plugin');
        expect(list).to.contain('remote-subdir@test-market [git-subdir: https://example.invalid/mono.git plugins/x@89abcde]');
        expect(cowork(data, 'install', 'alpha@test-market').out).to.match(/^Installed alpha 0\.1\.0/);
        const bad = cowork(data, 'validate', path.join(FIXTURES, 'broken/broken-parts'));
        expect(bad.code).to.equal(1);
        expect(bad.out).to.contain('skills/unclosed/SKILL.md:1: error:');
        expect(cowork(data, 'validate', path.join(FIXTURES, 'quirks/kitchen-sink')).code).to.equal(0);
    });
});
