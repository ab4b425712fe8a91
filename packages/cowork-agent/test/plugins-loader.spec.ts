import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { parseMarkdownComponent } from '../src/plugins/frontmatter';
import { formatIssue, loadPlugin } from '../src/plugins/plugin-loader';
import type { LoadedPlugin } from '../src/plugins/plugin-types';
import { BUNDLED, FIXTURES, tempDir } from './plugins-test-helpers';

function errors(p: LoadedPlugin) {
    return p.issues.filter(i => i.severity === 'error');
}

describe('plugin loader: real-world quirks', () => {
    const ks = loadPlugin(path.join(FIXTURES, 'quirks/kitchen-sink'));

    it('loads the kitchen-sink plugin with no errors, named by its manifest, not its folder', () => {
        expect(errors(ks).map(formatIssue)).to.deep.equal([]);
        expect(ks.name).to.equal('kitchen-sink-by-acme');
        expect(ks.hasManifest).to.equal(true);
        expect(ks.manifest.version).to.equal('1.2.0');
        expect(ks.manifest.author?.name).to.equal('Acme');
    });

    it('takes depth-1 skills only, skips stray files, and keeps nested SKILL.md as bundled references', () => {
        expect(ks.skills.map(s => s.id).sort()).to.deep.equal(['meeting-sdk', 'plugin-structure', 'ref-only', 'summarize']);
        const warning = ks.issues.find(i => i.file.endsWith(path.join('skills', 'shared')));
        expect(warning?.severity).to.equal('warning');
    });

    it('keeps names with slashes, spaces and Title Case as labels, with the folder as id', () => {
        const meeting = ks.skills.find(s => s.id === 'meeting-sdk')!;
        expect(meeting.name).to.equal('meeting-sdk/overview');
        expect(meeting.description).to.match(/^Build meeting apps with the Meeting SDK\. Use when the user mentions meetings/);
        expect(meeting.meta.triggers).to.deep.equal(['meeting sdk', 'embed meeting']);
        expect(ks.skills.find(s => s.id === 'plugin-structure')!.name).to.equal('Plugin Structure');
    });

    it('turns YAML lists back into text where text is expected, and comma strings into lists', () => {
        const ref = ks.skills.find(s => s.id === 'ref-only')!;
        expect(ref.argumentHint).to.equal('[project-name]');
        expect(ref.userInvocable).to.equal(false);
        expect(ref.allowedTools).to.deep.equal(['Read', 'WebFetch', 'Bash']);
        expect(ref.description).to.equal('Reference material used by other skills.\nNot meant to be typed as a command.');
        expect(ks.skills.find(s => s.id === 'summarize')!.argumentHint).to.equal('[file, style]');
        const greet = ks.commands.find(c => c.id === 'greet')!;
        expect(greet.argumentHint).to.equal('[name]');
        expect(greet.allowedTools).to.deep.equal(['Read', 'Bash(git add:*)', 'Bash(git status:*)']);
        expect(greet.hideFromSlashCommandTool).to.equal(true);
        const review = ks.commands.find(c => c.id === 'review')!;
        expect(review.allowedTools).to.deep.equal(['Read', 'Grep', 'Bash(${CLAUDE_PLUGIN_ROOT}/scripts/x.sh:*)']);
    });

    it('adds commands from manifest paths to the default folder', () => {
        expect(ks.commands.map(c => c.id).sort()).to.deep.equal(['deploy', 'greet', 'review', 'summarize']);
    });

    it('reads agents, falling back to a line scanner for frontmatter that is not valid YAML', () => {
        const byId = Object.fromEntries(ks.agents.map(a => [a.id, a]));
        expect(byId['brand-reviewer']).to.include({ model: 'haiku', maxTurns: 5, color: 'purple', qualifiedName: 'kitchen-sink-by-acme:brand-reviewer' });
        expect(byId['brand-reviewer'].tools).to.deep.equal(['Read', 'Grep']);
        expect(byId['brand-reviewer'].description).to.contain('<example>');
        expect(byId['brand-reviewer'].systemPrompt).to.contain(path.join(ks.root, 'references/guidelines.md'));
        const explorer = byId['code-explorer'];
        expect(explorer.description).to.equal('Use this agent when the user asks: "how does X work?" Examples: <example>user: explain auth</example> and more: details');
        expect(explorer.tools).to.deep.equal(['Glob', 'Grep', 'Read']);
        expect(explorer.model).to.equal(undefined, 'inherit means the parent model');
        expect(explorer.systemPrompt).to.equal('You are an expert code analyst. Trace how features work.');
        const lenient = ks.issues.find(i => i.file.endsWith('code-explorer.md'))!;
        expect(lenient.severity).to.equal('warning');
        expect(lenient.line).to.equal(3);
        expect(byId.planner.model).to.equal('opus');
    });

    it('reads every .mcp.json shape: empty URLs as not configured, spaces in names, sse, headers, stdio with env', () => {
        const m = ks.mcpServers;
        expect(Object.keys(m).sort()).to.deep.equal(['google calendar', 'paypal', 'pdf-viewer', 'slack', 'square', 'zoom']);
        expect(m['google calendar'].notConfigured).to.equal(true);
        expect(m.slack).to.include({ transport: 'http', notConfigured: false });
        expect(m.slack.oauth).to.deep.equal({ clientId: '123.456', callbackPort: 3118 });
        expect(m.paypal.transport).to.equal('sse');
        expect(m.square.transport).to.equal('http');
        expect(m.zoom.headers).to.deep.equal({ Authorization: 'Bearer ${ZOOM_MCP_ACCESS_TOKEN}' });
        expect(m['pdf-viewer']).to.include({ transport: 'stdio', command: 'npx' });
        expect(m['pdf-viewer'].pluginRoot).to.equal(ks.root);
    });

    it('reads hooks, warning about events Cowork does not fire and hook types it does not run', () => {
        expect(ks.hooks.map(h => h.event).sort()).to.deep.equal(['PostToolUse', 'PreToolUse', 'SessionStart', 'Stop', 'UserPromptSubmit']);
        expect(ks.hooks.find(h => h.event === 'PreToolUse')!.hooks[0]).to.deep.include({ timeout: 10 });
        expect(ks.hooks.find(h => h.event === 'Stop')!.hooks).to.have.length(1);
        const warnings = ks.issues.filter(i => i.severity === 'warning' && i.file.endsWith('hooks.json')).map(i => i.message);
        expect(warnings.some(w => w.includes('Notification'))).to.equal(true);
        expect(warnings.some(w => w.includes('"prompt"'))).to.equal(true);
    });

    it('reads CONNECTORS.md placeholders', () => {
        expect(ks.connectorCategories).to.deep.include({ placeholder: '~~project tracker', category: 'Project tracker', servers: ['Linear', 'Asana'] });
    });

    it('loads a plugin with no manifest under its folder name', () => {
        const p = loadPlugin(path.join(FIXTURES, 'quirks/plugin-dev'));
        expect(errors(p)).to.deep.equal([]);
        expect(p.hasManifest).to.equal(false);
        expect(p.name).to.equal('plugin-dev');
        expect(p.skills[0].name).to.equal('Hook Development');
        expect(p.commands[0].allowedTools).to.include('AskUserQuestion');
        expect(loadPlugin(path.join(FIXTURES, 'quirks/plugin-dev'), { nameHint: 'from-marketplace' }).name).to.equal('from-marketplace');
    });

    it('ignores a plugin\'s own marketplace.json when loading it', () => {
        const p = loadPlugin(path.join(FIXTURES, 'quirks/brand-voice'));
        expect(errors(p)).to.deep.equal([]);
        expect(p.skills.map(s => s.id)).to.deep.equal(['discover-brand']);
    });

    it('accepts documented manifest keys: inline mcpServers and hooks, extra skill and agent paths', () => {
        const dir = tempDir();
        fs.mkdirSync(path.join(dir, '.claude-plugin'));
        fs.mkdirSync(path.join(dir, 'extra/reporting'), { recursive: true });
        fs.mkdirSync(path.join(dir, 'more-agents'));
        fs.writeFileSync(path.join(dir, 'extra/reporting/SKILL.md'), '---\nname: reporting\ndescription: Reports\n---\nReport.');
        fs.writeFileSync(path.join(dir, 'more-agents/helper.md'), '---\nname: helper\ndescription: Helps\n---\nHelp.');
        fs.writeFileSync(path.join(dir, '.claude-plugin/plugin.json'), JSON.stringify({
            name: 'inline', skills: ['./extra/reporting'], agents: './more-agents/helper.md',
            mcpServers: { notes: { command: 'node', args: ['${CLAUDE_PLUGIN_ROOT}/server.js'] } },
            hooks: { Stop: [{ hooks: [{ type: 'command', command: 'true' }] }] }
        }, null, 2));
        const p = loadPlugin(dir);
        expect(p.issues).to.deep.equal([]);
        expect(p.skills.map(s => s.id)).to.deep.equal(['reporting']);
        expect(p.agents.map(a => a.id)).to.deep.equal(['helper']);
        expect(p.mcpServers.notes).to.include({ transport: 'stdio', command: 'node' });
        expect(p.mcpServers.notes.line).to.equal(8);
        expect(p.hooks.map(h => h.event)).to.deep.equal(['Stop']);
        expect(p.hooks[0].line).to.equal(17);
        // The wrapped form, as in hooks.json, works inline too.
        fs.writeFileSync(path.join(dir, '.claude-plugin/plugin.json'), JSON.stringify({ name: 'inline', hooks: { hooks: { PreToolUse: [{ hooks: [{ type: 'command', command: 'true' }] }] } } }));
        expect(loadPlugin(dir).hooks.map(h => h.event)).to.deep.equal(['PreToolUse']);
    });

    it('parses CRLF files and a BOM', () => {
        const parsed = parseMarkdownComponent('\uFEFF---\r\nname: x\r\ndescription: "y"\r\n---\r\nBody\r\n', ['name', 'description']);
        expect(parsed.data).to.deep.equal({ name: 'x', description: 'y' });
        expect(parsed.body.trim()).to.equal('Body');
        expect(parsed.bodyLine).to.equal(5);
    });
});

describe('plugin loader: broken components', () => {
    const p = loadPlugin(path.join(FIXTURES, 'broken/broken-parts'));
    const errs = errors(p);
    const errorFor = (suffix: string) => errs.filter(e => e.file.endsWith(suffix));

    it('reports each broken component once, naming its file and line', () => {
        expect(errorFor('skills/unclosed/SKILL.md')).to.have.length(1);
        expect(errorFor('skills/unclosed/SKILL.md')[0]).to.include({ line: 1 });
        expect(errorFor('skills/unclosed/SKILL.md')[0].message).to.match(/no closing ---/);
        expect(errorFor('skills/not-a-map/SKILL.md')).to.have.length(1);
        expect(errorFor('skills/garbage/SKILL.md')).to.have.length(1);
        expect(errorFor('skills/garbage/SKILL.md')[0].line).to.be.within(3, 4);
        expect(errorFor('skills/garbage/SKILL.md')[0].message).to.match(/invalid YAML/);
        expect(errorFor('commands/unclosed.md')).to.have.length(1);
        expect(errorFor('agents/empty.md')).to.have.length(1);
        expect(errorFor('agents/empty.md')[0].line).to.equal(5);
        expect(errorFor('.mcp.json')).to.have.length(1);
        expect(errorFor('.mcp.json')[0].line).to.equal(4);
        const hookErrs = errorFor('hooks/hooks.json');
        expect(hookErrs).to.have.length(2);
        expect(hookErrs.map(e => e.line).sort((a, b) => a - b)).to.deep.equal([6, 10]);
        expect(hookErrs.map(e => e.message).join('\n')).to.match(/unknown hook event "OnSave"/).and.match(/needs a "command"/);
        expect(errs).to.have.length(8);
    });

    it('still loads every healthy component of the same plugin', () => {
        expect(p.skills.map(s => s.id)).to.deep.equal(['good']);
        expect(p.commands.map(c => c.id)).to.deep.equal(['ok']);
        expect(p.agents.map(a => a.id)).to.deep.equal(['fine']);
        expect(p.hooks.map(h => h.event)).to.deep.equal(['PreToolUse']);
    });

    it('a broken manifest is one error with its line; the skills load under the folder name', () => {
        const m = loadPlugin(path.join(FIXTURES, 'broken/broken-manifest'));
        const e = errors(m);
        expect(e).to.have.length(1);
        expect(e[0].file).to.match(/plugin\.json$/);
        expect(e[0].line).to.equal(3);
        expect(m.name).to.equal('broken-manifest');
        expect(m.skills.map(s => s.id)).to.deep.equal(['still-works']);
    });

    it('a missing folder is an error, not an exception', () => {
        const m = loadPlugin(path.join(FIXTURES, 'does-not-exist'));
        expect(errors(m)).to.have.length(1);
        expect(m.skills).to.deep.equal([]);
    });
});

describe('bundled plugins', () => {
    const dirs = fs.existsSync(BUNDLED) ? fs.readdirSync(BUNDLED).filter(d => fs.statSync(path.join(BUNDLED, d)).isDirectory()) : [];

    it('include productivity, data, finance and plugin-create', () => {
        expect(dirs).to.include.members(['productivity', 'data', 'finance', 'plugin-create']);
    });

    for (const d of dirs) {
        it(`${d} loads with zero errors and zero warnings, with skills and a slash command`, () => {
            const p = loadPlugin(path.join(BUNDLED, d), { source: 'bundled' });
            expect(p.issues.map(formatIssue)).to.deep.equal([]);
            expect(p.hasManifest).to.equal(true);
            expect(p.skills.length).to.be.greaterThan(0);
            expect(p.skills.filter(s => s.userInvocable).length + p.commands.length).to.be.greaterThan(0);
            for (const s of p.skills) {
                expect(s.description.length, `${s.id} description`).to.be.within(20, 1024);
            }
        });
    }
});
