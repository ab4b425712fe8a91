import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { GrantSet } from '../src/grants';
import { loadPlugin } from '../src/plugins/plugin-loader';
import { PluginRegistry } from '../src/plugins/plugin-registry';
import { skillListing } from '../src/plugins/skill-listing';
import { createSkillTool } from '../src/plugins/skill-tool';
import { expandSlashCommand, SlashCommandError } from '../src/plugins/slash-command';
import { deferShellInjections, splitArguments, substituteArguments } from '../src/plugins/substitutions';
import { FIXTURES, makeContext, tempDir, toolText } from './plugins-test-helpers';

function registry(): PluginRegistry {
    const reg = new PluginRegistry([
        loadPlugin(path.join(FIXTURES, 'quirks/kitchen-sink')),
        loadPlugin(path.join(FIXTURES, 'quirks/plugin-dev')),
        loadPlugin(path.join(FIXTURES, 'quirks/brand-voice')),
        loadPlugin(path.join(FIXTURES, 'marketplace/plugins/alpha'))
    ]);
    reg.placeholderResolver = (_p, category, placeholder) => category?.category === 'Chat'
        ? 'chat [connector: slack]'
        : `${placeholder.slice(2)} [no connector]`;
    return reg;
}

describe('slash commands', () => {
    const ksRoot = fs.realpathSync(path.join(FIXTURES, 'quirks/kitchen-sink'));
    let grantDir: string;
    let grants: GrantSet;

    beforeEach(() => {
        grantDir = tempDir();
        fs.writeFileSync(path.join(grantDir, 'notes.md'), 'Meeting notes: ship on Friday.');
        grants = GrantSet.create([{ path: grantDir, mode: 'rw' }]);
    });

    it('expands $ARGUMENTS, $1/$2, @file includes, ${CLAUDE_PLUGIN_ROOT} and ~~ placeholders', () => {
        const r = expandSlashCommand('/kitchen-sink-by-acme:summarize notes.md "very short"', registry(), grants)!;
        expect(r.command).to.equal('kitchen-sink-by-acme:summarize');
        expect(r.prompt).to.contain('<command-name>/kitchen-sink-by-acme:summarize</command-name>');
        expect(r.prompt).to.contain('Meeting notes: ship on Friday.');
        expect(r.prompt).to.contain(`<file path="${path.join(grantDir, 'notes.md')}">`);
        expect(r.prompt).to.contain('in the style "very short"');
        expect(r.prompt).to.contain('All arguments: notes.md "very short".');
        expect(r.prompt).to.contain('Post the result to chat [connector: slack].');
        expect(r.prompt).to.contain('Track it in project tracker [no connector].');
        expect(r.prompt).to.contain(`${ksRoot}/skills/summarize/scripts/wc.sh`);
        expect(r.prompt).to.not.contain('${CLAUDE_PLUGIN_ROOT}');
        expect(r.prompt).to.contain(`Base directory for this skill: ${ksRoot}/skills/summarize`);
        expect(r.includedFiles).to.deep.equal([path.join(grantDir, 'notes.md')]);
    });

    it('narrows the tools to allowed-tools (bare names, plus the connector tools for an mcp__ entry)', () => {
        const r = expandSlashCommand('/kitchen-sink-by-acme:summarize notes.md', registry(), grants)!;
        expect(r.allowedTools).to.have.members(['Read', 'Bash', 'mcp__slack__post_message', 'ConnectorTools', 'ConnectorCall']);
        expect(r.allowedToolRules).to.include('Bash(python3:*)');
        const all = expandSlashCommand('/alpha:hello world', registry(), grants)!;
        expect(all.allowedTools).to.equal(undefined);
    });

    it('does not read a file outside the grants through @', () => {
        const outside = tempDir();
        fs.writeFileSync(path.join(outside, 'secret.txt'), 'TOP SECRET');
        const r = expandSlashCommand(`/kitchen-sink-by-acme:summarize ${path.join(outside, 'secret.txt')} x`, registry(), grants)!;
        expect(r.prompt).to.not.contain('TOP SECRET');
        expect(r.prompt).to.match(/not included: .*outside the granted folders/);
        expect(r.includedFiles).to.deep.equal([]);
    });

    it('accepts a bare /name when only one plugin has it, and says which to use when several do', () => {
        expect(expandSlashCommand('/hello there', registry(), grants)!.prompt).to.contain('Hello there');
        expect(expandSlashCommand('/discover-brand ./docs', registry(), grants)!.prompt).to.contain('Read the documents in ./docs');
        // kitchen-sink has a skill and a command named summarize: the plugin-qualified form resolves it, the skill wins.
        expect(expandSlashCommand('/kitchen-sink-by-acme:summarize a b', registry(), grants)!.prompt).to.not.contain('Legacy');
        const reg = new PluginRegistry([...registry().plugins, loadPlugin(path.join(FIXTURES, 'marketplace/plugins/alpha'), { nameHint: 'alpha2' })]);
        reg.plugins[reg.plugins.length - 1].name = 'alpha2';
        reg.plugins[reg.plugins.length - 1].skills.forEach(s => { s.plugin = 'alpha2'; });
        expect(() => expandSlashCommand('/hello', reg, grants)).to.throw(SlashCommandError, /ambiguous.*\/alpha:hello.*\/alpha2:hello/);
    });

    it('appends arguments to a body that does not use them, and expands commands from commands/', () => {
        const r = expandSlashCommand('/kitchen-sink-by-acme:greet Ada', registry(), grants)!;
        expect(r.prompt).to.contain('Say hello to Ada warmly.');
        expect(r.allowedTools).to.have.members(['Read', 'Bash']);
        const review = expandSlashCommand('/kitchen-sink-by-acme:review focus on tests', registry(), grants)!;
        expect(review.prompt).to.contain(`Use ${ksRoot}/scripts/x.sh`);
        expect(review.prompt).to.contain('ARGUMENTS: focus on tests');
        expect(review.model).to.equal('sonnet');
    });

    it('refuses skills marked user-invocable: false, names unknown commands, and ignores paths', () => {
        expect(() => expandSlashCommand('/kitchen-sink-by-acme:ref-only', registry(), grants)).to.throw(SlashCommandError, /Unknown command/);
        expect(() => expandSlashCommand('/nope', registry(), grants)).to.throw(SlashCommandError, /Unknown command \/nope\. Available: .*\/alpha:hello/);
        expect(expandSlashCommand('/home/user/file.txt is big', registry(), grants)).to.equal(undefined);
        expect(expandSlashCommand('summarise this', registry(), grants)).to.equal(undefined);
    });

    it('hands !`cmd` shell injections to the model instead of running them', () => {
        expect(deferShellInjections('Status: !`git status --short`\n```!\nls -la\n```\n'))
            .to.equal('Status: `git status --short` (run this with the Bash tool and use its output)\n```bash\nls -la\n```\n(Run the commands above with the Bash tool first and use their output.)\n');
    });

    it('splits arguments like a shell and fills positions', () => {
        expect(splitArguments(`a "b c" 'd e' f\\"g`)).to.deep.equal(['a', 'b c', 'd e', 'f\\"g']);
        expect(substituteArguments('$1|$2|$3|$ARGUMENTS[1]', 'x "y z"')).to.equal('x|y z||y z');
    });
});

describe('Skill tool and listing', () => {
    it('lists model-invocable skills compactly, names and labels, within a budget', () => {
        const text = skillListing(registry());
        expect(text).to.contain('- kitchen-sink-by-acme:plugin-structure (Plugin Structure): Explains how plugins are laid out');
        expect(text).to.contain('- kitchen-sink-by-acme:ref-only');
        expect(text).to.not.contain('Say hello to'); // bodies are not in the listing
        expect(text).to.not.contain('kitchen-sink-by-acme:greet'); // hidden from the model
        const tight = skillListing(registry(), { budget: 1200 });
        expect(tight.length).to.be.at.most(1200 + 400);
        expect(tight).to.contain('kitchen-sink-by-acme:meeting-sdk');
    });

    it('loads a skill body with its base directory and bundled files (nested SKILL.md included)', async () => {
        const tool = createSkillTool(() => registry());
        const { ctx } = makeContext(tempDir());
        const res = await tool.run({ skill: 'kitchen-sink-by-acme:meeting-sdk' }, ctx);
        const text = toolText(res.content);
        const root = fs.realpathSync(path.join(FIXTURES, 'quirks/kitchen-sink'));
        expect(text).to.contain(`Base directory for this skill: ${root}/skills/meeting-sdk`);
        expect(text).to.contain(`python3 ${root}/skills/meeting-sdk/scripts/check.py`);
        expect(text).to.contain('- web/SKILL.md');
        expect(text).to.contain('- references/api.md');
        expect(text).to.contain('- scripts/check.py');
    });

    it('reads one bundled file, and refuses to leave the plugin folder', async () => {
        const tool = createSkillTool(() => registry());
        const { ctx } = makeContext(tempDir());
        const ref = await tool.run({ skill: 'meeting-sdk', file: 'web/SKILL.md' }, ctx);
        expect(toolText(ref.content)).to.contain('Use the web components.');
        const viaRoot = await tool.run({ skill: 'meeting-sdk', file: '${CLAUDE_PLUGIN_ROOT}/references/guidelines.md' }, ctx);
        expect(toolText(viaRoot.content)).to.contain('# Guidelines');
        for (const bad of ['../../../../../../etc/passwd', '/etc/passwd', '${CLAUDE_PLUGIN_ROOT}/../broken/broken-parts/.mcp.json']) {
            let err: Error | undefined;
            try {
                await tool.run({ skill: 'meeting-sdk', file: bad }, ctx);
            } catch (e) {
                err = e as Error;
            }
            expect(err?.name, bad).to.equal('ToolError');
            expect(err?.message).to.match(/outside the plugin folder; refused/);
        }
    });

    it('says which skills exist when the name is wrong', async () => {
        const tool = createSkillTool(() => registry());
        const { ctx } = makeContext(tempDir());
        let err: Error | undefined;
        try {
            await tool.run({ skill: 'nope' }, ctx);
        } catch (e) {
            err = e as Error;
        }
        expect(err?.message).to.match(/No skill named "nope"\. Available: .*alpha:hello/);
    });
});
