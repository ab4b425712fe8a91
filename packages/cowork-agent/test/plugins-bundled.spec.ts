import { expect } from 'chai';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { GrantSet } from '../src/grants';
import { PluginHost } from '../src/plugins/plugin-host';
import { PluginStore } from '../src/plugins/plugin-store';
import { BUNDLED, FIXTURES, tempDir } from './plugins-test-helpers';

const SCRIPTS = path.join(BUNDLED, 'plugin-create/skills/create-plugin/scripts');

describe('bundled plugins at work', function () {
    this.timeout(30000);

    it('PluginHost finds the bundled plugins by default and exposes their skills, commands and sub-agents', () => {
        const host = new PluginHost({ dataDir: tempDir() });
        expect(host.registry.plugins.map(p => p.name)).to.include.members(['productivity', 'data', 'finance', 'plugin-create']);
        expect(host.issues()).to.deep.equal([]);
        const section = host.systemPromptSection();
        for (const s of ['productivity:organize-files', 'productivity:batch-rename', 'productivity:daily-notes', 'data:query-data',
            'data:visualize-data', 'finance:expense-report', 'finance:financial-model', 'plugin-create:create-plugin']) {
            expect(section).to.contain(`- ${s}: `);
        }
        expect(host.agentDefinitions().map(a => a.qualifiedName)).to.include.members([
            'productivity:folder-surveyor', 'data:data-analyst', 'finance:workbook-auditor', 'plugin-create:plugin-reviewer'
        ]);
        const surveyor = host.agentDefinitions().find(a => a.qualifiedName === 'productivity:folder-surveyor')!;
        expect(surveyor).to.include({ model: 'haiku', maxTurns: 15 });
        expect(surveyor.tools).to.deep.equal(['Glob', 'Grep', 'Read']);
        const grants = GrantSet.create([{ path: tempDir(), mode: 'rw' }]);
        const today = host.expandSlashCommand('/productivity:today buy milk', grants)!;
        expect(today.prompt).to.contain('then add this to it if it is not empty: buy milk');
        const rename = host.expandSlashCommand('/batch-rename ./photos kebab', grants)!;
        expect(rename.prompt).to.contain(`python3 ${fs.realpathSync(BUNDLED)}/productivity/skills/batch-rename/scripts/plan_renames.py`);
        expect(rename.prompt).to.contain('Folder: ./photos (default: the first granted folder). Rule: kebab.');
        expect(host.tools().map(t => t.name)).to.deep.equal(['Skill']);
    });

    it('the batch-rename planner proposes renames and resolves clashes without touching files', () => {
        const dir = tempDir();
        for (const n of ['Report Final.docx', 'report_final.docx', 'IMG 2024_03_05.JPG']) {
            fs.writeFileSync(path.join(dir, n), n);
        }
        const out = JSON.parse(execFileSync('python3', [path.join(BUNDLED, 'productivity/skills/batch-rename/scripts/plan_renames.py'), dir, '--rule', 'kebab']).toString());
        expect(out.renames).to.deep.equal([
            { from: 'IMG 2024_03_05.JPG', to: 'img-2024-03-05.jpg' },
            { from: 'Report Final.docx', to: 'report-final.docx' },
            { from: 'report_final.docx', to: 'report-final-2.docx' }
        ]);
        expect(out.conflicts).to.have.length(1);
        expect(fs.readdirSync(dir).sort()).to.deep.equal(['IMG 2024_03_05.JPG', 'Report Final.docx', 'report_final.docx']);
    });

    it('plugin-create\'s validator agrees with the loader, and its packager makes an installable .plugin', () => {
        const bad = spawnSync('python3', [path.join(SCRIPTS, 'validate_plugin.py'), path.join(FIXTURES, 'broken/broken-parts')]);
        expect(bad.status).to.equal(1);
        expect(bad.stdout.toString()).to.contain('skills/unclosed/SKILL.md:1: error: frontmatter has no closing --- line');
        const good = spawnSync('python3', [path.join(SCRIPTS, 'validate_plugin.py'), path.join(BUNDLED, 'finance')]);
        expect(good.stdout.toString().trim()).to.equal('OK');
        const out = tempDir();
        execFileSync('python3', [path.join(SCRIPTS, 'package_plugin.py'), path.join(BUNDLED, 'finance'), out]);
        const store = new PluginStore(tempDir());
        const p = store.installFromZip(path.join(out, 'finance.plugin'));
        expect(p.name).to.equal('finance');
        expect(p.issues).to.deep.equal([]);
        expect(p.skills.map(s => s.id)).to.deep.equal(['expense-report', 'financial-model']);
    });
});
