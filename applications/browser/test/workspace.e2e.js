// End-to-end: the Cowork workspace in a real browser against the real backend and the scripted model.
'use strict';
const cp = require('child_process');
const fs = require('fs');
const path = require('path');
const { expect } = require('chai');
const { startWorkbench, ARTIFACTS } = require('./harness');
const { createScenario, STEER_TEXT } = require('./scenario');

describe('Cowork workspace in the browser', function () {
    this.timeout(120000);
    let wb;
    let page;
    let docs;

    before(async () => {
        wb = await startWorkbench({
            scenario: workspace => createScenario({ workspace }),
            prepareWorkspace: ws => {
                fs.mkdirSync(path.join(ws, 'docs'));
                fs.writeFileSync(path.join(ws, 'docs', 'old.txt'), 'an old draft that is no longer needed\n');
                fs.writeFileSync(path.join(ws, 'docs', 'notes.md'), '# Notes\n');
                // Debian's python3 (python3-docx from setup-system.sh), not one earlier on PATH.
                cp.execFileSync('/usr/bin/python3', ['-c', 'import docx, sys; d = docx.Document(); d.add_heading("Quarterly report", 0); '
                    + 'd.add_paragraph("Revenue grew by a tenth."); d.save(sys.argv[1])', path.join(ws, 'report.docx')]);
            }
        });
        page = wb.page;
        docs = path.join(wb.workspace, 'docs');
        await wb.open();
    });

    after(async () => {
        if (wb) {
            await wb.close();
        }
    });

    async function newTaskFromPanel(prompt) {
        await page.click('.cowork-new-task-button');
        await page.fill('.cowork-prompt', prompt);
        await page.click('.cowork-start');
    }

    it('starts a task from the explorer context menu on a folder', async () => {
        await wb.screenshot('01-ready');
        await page.keyboard.press('Control+Shift+E');
        const folder = page.locator('#files .theia-TreeNode', { hasText: /^docs$/ }).first();
        await folder.waitFor({ timeout: 30000 });
        await folder.click({ button: 'right' });
        await page.locator('.lm-Menu-item', { hasText: 'Ask Claude…' }).click();
        // The box already shows the default grant (the workspace); wait for the one asked for.
        await page.waitForSelector(`.cowork-grant-path[title="${docs}"]`);
        const grants = await page.locator('.cowork-grant-path').allTextContents();
        expect(grants).to.deep.equal([docs]);
        await page.fill('.cowork-prompt', 'Tidy the docs folder');
        await wb.screenshot('02-ask-claude');
        await page.click('.cowork-start');
    });

    it('streams the answer as Markdown and shows the plan', async () => {
        await page.waitForSelector('.cowork-answer strong', { timeout: 30000 });
        await page.waitForSelector('.cowork-plan li');
        expect(await page.locator('.cowork-answer strong').first().textContent()).to.equal('tidy');
        expect(await page.locator('.cowork-plan li').count()).to.equal(2);
        expect(await page.locator('.cowork-tool-card[data-tool="TodoWrite"]').count()).to.be.greaterThan(0);
        await wb.screenshot('03-streaming-and-plan');
    });

    it('asks before deleting, in a dialog that names what goes, and deletes once allowed', async () => {
        const dialog = page.locator('.cowork-permission-dialog');
        await dialog.waitFor({ timeout: 30000 });
        const body = await dialog.textContent();
        expect(body).to.contain(path.join(docs, 'old.txt'));
        expect(body).to.contain('Tidy the docs folder');
        expect(body).to.match(/1 item, \d+ B in all/);
        // The status bar says a task waits for an answer.
        expect(await page.locator('#theia-statusBar', { hasText: 'waiting for you' }).count()).to.equal(1);
        await wb.screenshot('04-permission-dialog');
        await dialog.locator('button.cowork-allow').click();
        await page.waitForSelector('.cowork-task[data-status="completed"]', { timeout: 30000 });
        expect(fs.existsSync(path.join(docs, 'old.txt'))).to.equal(false);
        expect(fs.readFileSync(path.join(docs, 'summary.md'), 'utf8')).to.contain('# Summary');
    });

    it('lists the changed files and opens one', async () => {
        const rows = page.locator('.cowork-file');
        expect(await rows.count()).to.equal(2);
        // Paths show relative to the granted folder, in full on hover.
        expect(await page.locator('.cowork-file-deleted .cowork-file-path').textContent()).to.equal('docs/old.txt');
        expect(await page.locator('.cowork-file-deleted .cowork-file-path').getAttribute('title')).to.equal(path.join(docs, 'old.txt'));
        expect(await page.locator('.cowork-file-created .cowork-file-path').textContent()).to.equal('docs/summary.md');
        await page.locator('.cowork-file-created .cowork-file-path').click();
        await page.waitForSelector('.theia-tabBar .lm-TabBar-tab[title*="summary.md"], .lm-TabBar-tab:has-text("summary.md")', { timeout: 30000 });
        await wb.screenshot('05-changed-files');
    });

    it('undoes the task: the deleted file comes back and the new one goes', async () => {
        await page.click('.cowork-undo-all');
        await page.waitForSelector('.theia-notification-message:has-text("Undid the task")', { timeout: 30000 });
        expect(fs.readFileSync(path.join(docs, 'old.txt'), 'utf8')).to.contain('an old draft');
        expect(fs.existsSync(path.join(docs, 'summary.md'))).to.equal(false);
        await page.waitForSelector('.cowork-file-undone');
        expect(await page.locator('.cowork-file-undone').count()).to.equal(2);
        expect(await page.locator('.cowork-undo-all').count()).to.equal(0);
        await wb.screenshot('06-undone');
    });

    it('finds the task in the history after a reload and reopens it', async () => {
        await page.reload();
        await page.waitForSelector('.theia-preload', { state: 'detached', timeout: 90000 });
        await page.waitForSelector('.cowork-panel .cowork-toolbar', { timeout: 60000 });
        await page.click('.cowork-toolbar button:has-text("History")');
        const row = page.locator('.cowork-history-row', { hasText: 'Tidy the docs folder' });
        await row.waitFor({ timeout: 30000 });
        expect(await row.locator('.cowork-badge').textContent()).to.equal('completed');
        await row.locator('button:has-text("Reopen")').click();
        await page.waitForSelector('.cowork-task[data-status="completed"] .cowork-answer strong');
        expect(await page.locator('.cowork-task-prompt').textContent()).to.equal('Tidy the docs folder');
        expect(await page.locator('.cowork-file').count()).to.equal(2);
        // Undone stays undone after a reload: it comes from the journal on disk.
        await page.waitForSelector('.cowork-file-undone');
        expect(await page.locator('.cowork-file-undone').count()).to.equal(2);
        await wb.screenshot('07-history-reopened');
    });

    it('resumes a finished task from its history with a new message', async () => {
        await page.fill('.cowork-resume textarea', 'Thanks, check once more');
        await page.click('.cowork-resume button:has-text("Continue")');
        await page.waitForSelector('.cowork-user-message:has-text("Thanks, check once more")', { timeout: 30000 });
        await page.waitForSelector('.cowork-task[data-status="completed"] .cowork-resume', { timeout: 30000 });
        const row = page.locator('.cowork-history-row', { hasText: 'Tidy the docs folder' });
        expect(await row.count()).to.equal(1);
        expect(await page.locator('.cowork-task-prompt').textContent()).to.equal('Tidy the docs folder');
    });

    it('steers a running task', async () => {
        await newTaskFromPanel('A slow job for the docs');
        await page.waitForSelector('.cowork-task[data-status="running"] .cowork-answer', { timeout: 30000 });
        await page.waitForSelector('.cowork-stop');
        // The status bar shows the running task's progress.
        await page.waitForSelector('#theia-statusBar .element:has-text("Claude")', { timeout: 10000 });
        await page.fill('.cowork-steer textarea', STEER_TEXT);
        await page.click('.cowork-steer button:has-text("Send")');
        await page.waitForSelector(`.cowork-steering:has-text("${STEER_TEXT}")`, { timeout: 30000 });
        await wb.screenshot('08-steering');
        await page.waitForSelector('.cowork-task[data-status="completed"]', { timeout: 30000 });
        expect(await page.locator('.cowork-answer').last().textContent()).to.contain('Steered: I will use British spelling');
        await wb.screenshot('09-steered');
    });

    it('stops a running task with the Stop button', async () => {
        await newTaskFromPanel('Another slow job, to be stopped');
        await page.waitForSelector('.cowork-task[data-status="running"] .cowork-answer', { timeout: 30000 });
        await page.click('.cowork-stop');
        await page.waitForSelector('.cowork-task[data-status="cancelled"]', { timeout: 30000 });
        expect(await page.locator('.cowork-task .cowork-badge').first().textContent()).to.equal('Stopped');
        expect(await page.locator('.cowork-stop').count()).to.equal(0);
    });

    it('tells of a question by notification when the panel is hidden, and a denial keeps the file', async () => {
        await newTaskFromPanel('Clean up the docs while hidden');
        await page.waitForSelector('.cowork-task[data-status="running"]');
        // Clicking the active side-bar tab collapses the panel.
        await page.click('#shell-tab-cowork-agent-panel');
        await page.waitForSelector('.cowork-panel', { state: 'hidden' });
        const note = page.locator('.theia-notification-list-item', { hasText: 'Claude is waiting for your answer' }).first();
        await note.waitFor({ timeout: 30000 });
        await wb.screenshot('10-notification-panel-hidden');
        await note.locator('button', { hasText: 'Answer' }).click();
        const dialog = page.locator('.cowork-permission-dialog');
        await dialog.waitFor({ timeout: 30000 });
        await dialog.locator('button.cowork-deny').click();
        await page.waitForSelector('.cowork-task[data-status="completed"] .cowork-denied', { timeout: 30000 });
        expect(fs.existsSync(path.join(docs, 'old.txt'))).to.equal(true);
    });

    it('previews an office file as rendered pages, with "Open in System App" beside', async () => {
        await page.keyboard.press('Control+Shift+E');
        const file = page.locator('#files .theia-TreeNode', { hasText: /^report\.docx$/ }).first();
        await file.waitFor({ timeout: 30000 });
        await file.dblclick();
        const preview = page.locator('.cowork-office-preview');
        await preview.locator('img.cowork-office-page').first().waitFor({ timeout: 90000 });
        expect(await preview.locator('.cowork-hint').first().textContent()).to.contain('1 page');
        expect(await preview.locator('button.cowork-open-system').textContent()).to.equal('Open in System App');
        // The picture is a real rendered page, not an empty image.
        const width = await preview.locator('img.cowork-office-page').first().evaluate(img => img.naturalWidth);
        expect(width).to.be.greaterThan(300);
        await wb.screenshot('12-office-preview');
    });

    it('offers the plugins\' slash commands from the command palette', async () => {
        await page.keyboard.press('F1');
        await page.keyboard.type('Cowork: Run a Slash Command');
        await page.keyboard.press('Enter');
        const item = page.locator('.quick-input-list .monaco-list-row', { hasText: '/productivity:' }).first();
        await item.waitFor({ timeout: 30000 });
        const label = (await item.locator('.label-name').first().textContent()).trim();
        expect(label).to.match(/^\/productivity:[\w-]+$/);
        await wb.screenshot('14-slash-commands');
        await item.click();
        await page.waitForSelector('.cowork-prompt');
        expect(await page.inputValue('.cowork-prompt')).to.equal(`${label} `);
    });

    it('streams to every open window, and a question answered in one closes in the other', async () => {
        const second = await wb.context.newPage();
        try {
            await second.goto(wb.backend.url);
            await second.waitForSelector('.cowork-panel .cowork-toolbar', { timeout: 90000 });
            await newTaskFromPanel('Clear out the notes from two windows');
            // Both windows ask; the second answers.
            await page.waitForSelector('.cowork-permission-dialog', { timeout: 30000 });
            const dialog = second.locator('.cowork-permission-dialog');
            await dialog.waitFor({ timeout: 30000 });
            expect(await dialog.textContent()).to.contain(path.join(docs, 'notes.md'));
            await second.screenshot({ path: path.join(ARTIFACTS, '15-second-window-asks.png') });
            await dialog.locator('button.cowork-allow').click();
            await page.waitForSelector('.cowork-permission-dialog', { state: 'detached', timeout: 30000 });
            await page.waitForSelector('.cowork-task[data-status="completed"] .cowork-allowed', { timeout: 30000 });
            expect(fs.existsSync(path.join(docs, 'notes.md'))).to.equal(false);
            // The second window follows the same task from its history.
            await second.click('.cowork-toolbar button:has-text("History")');
            await second.locator('.cowork-history-row', { hasText: 'Clear out the notes from two windows' }).locator('button:has-text("Reopen")').click();
            await second.waitForSelector('.cowork-task[data-status="completed"]');
            expect(await second.locator('.cowork-answer').last().textContent()).to.contain('as allowed from the other window');
            await wb.screenshot('16-first-window-after-answer');
        } finally {
            await second.close();
        }
    });

    it('gives each sub-agent its own lane', async () => {
        await newTaskFromPanel('Survey the docs in parallel lanes');
        await page.waitForSelector('.cowork-task[data-status="completed"]', { timeout: 60000 });
        const lanes = page.locator('.cowork-lane');
        expect(await lanes.count()).to.equal(2);
        const headers = await page.locator('.cowork-lane-header').allTextContents();
        expect(headers.some(h => h.includes('Survey the notes'))).to.equal(true);
        expect(headers.some(h => h.includes('Survey the drafts'))).to.equal(true);
        expect(await page.locator('.cowork-lane .cowork-badge-completed').count()).to.equal(2);
        // A lane shows what its sub-agent said: in full when open, its report when folded.
        const laneA = page.locator('.cowork-lane', { hasText: 'Survey the notes' });
        if (await laneA.locator('.cowork-timeline').count() === 0) {
            await laneA.locator('.cowork-lane-header').click();
        }
        await laneA.locator('.cowork-answer', { hasText: 'Lane A found one note.' }).waitFor();
        expect(await laneA.locator('.cowork-user-message').textContent()).to.contain('Lane A: count the notes');
        expect(await page.locator('.cowork-task > .cowork-timeline .cowork-answer').last().textContent()).to.contain('Both lanes reported');
        await wb.screenshot('17-sub-agent-lanes');
    });

    it('shows the plugins with their skills in the Plugins view, and disables and re-enables one', async () => {
        await page.keyboard.press('F1');
        await page.keyboard.type('Cowork: Manage Plugins');
        await page.keyboard.press('Enter');
        const view = page.locator('.cowork-plugins-view');
        for (const name of ['productivity', 'data', 'finance', 'plugin-create']) {
            const card = view.locator(`.cowork-plugin[data-plugin="${name}"]`);
            await card.waitFor({ timeout: 30000 });
            expect(await card.locator('.cowork-plugin-source').textContent()).to.equal('bundled');
            const skills = await card.locator('.cowork-plugin-skills li code').allTextContents();
            expect(skills.length).to.be.greaterThan(0);
            expect(skills.every(s => s.startsWith(`${name}:`))).to.equal(true);
            // Bundled plugins can only be disabled.
            expect(await card.locator('.cowork-plugin-uninstall').count()).to.equal(0);
        }
        expect(await view.locator('button.cowork-plugins-install').textContent()).to.equal('Install from file…');
        await wb.screenshot('18-plugins-view');
        const data = view.locator('.cowork-plugin[data-plugin="data"]');
        await data.locator('button.cowork-plugin-toggle', { hasText: 'Disable' }).click();
        await view.locator('.cowork-plugin-disabled[data-plugin="data"] .cowork-plugin-state', { hasText: 'disabled' }).waitFor({ timeout: 30000 });
        const state = JSON.parse(fs.readFileSync(path.join(wb.tmp, 'data', 'plugins', 'state.json'), 'utf8'));
        expect(state.plugins.data.enabled).to.equal(false);
        await wb.screenshot('19-plugin-disabled');
        await data.locator('button.cowork-plugin-toggle', { hasText: 'Enable' }).click();
        await view.locator('.cowork-plugin-enabled[data-plugin="data"] .cowork-plugin-state', { hasText: 'enabled' }).waitFor({ timeout: 30000 });
        expect(JSON.parse(fs.readFileSync(path.join(wb.tmp, 'data', 'plugins', 'state.json'), 'utf8')).plugins.data.enabled).to.equal(true);
    });

    it('installs a .plugin file chosen in the file dialog, and uninstalls it after asking', async () => {
        const AdmZip = require('adm-zip');
        const zip = new AdmZip();
        zip.addFile('.claude-plugin/plugin.json', Buffer.from(JSON.stringify({ name: 'acme-notes', version: '0.3.0', description: 'Notes for Acme' })));
        zip.addFile('skills/summarise/SKILL.md', Buffer.from('---\nname: summarise\ndescription: Summarise notes\n---\nSummarise them.\n'));
        zip.writeZip(path.join(wb.workspace, 'acme-notes.plugin'));
        const view = page.locator('.cowork-plugins-view');
        await view.locator('button.cowork-plugins-install').click();
        const dialog = page.locator('.dialogOverlay');
        await dialog.locator('.theia-TreeNode', { hasText: /^acme-notes\.plugin$/ }).first().click({ timeout: 30000 });
        await wb.screenshot('19b-plugin-file-dialog');
        await dialog.locator('button.theia-button.main').click();
        const card = view.locator('.cowork-plugin[data-plugin="acme-notes"]');
        await card.waitFor({ timeout: 30000 });
        expect(await card.locator('.cowork-plugin-source').textContent()).to.equal('installed');
        expect(await card.locator('.cowork-plugin-skills li code').allTextContents()).to.deep.equal(['acme-notes:summarise']);
        await page.locator('.theia-notification-message', { hasText: 'Installed the plugin “acme-notes” 0.3.0' }).first().waitFor({ timeout: 30000 });
        await wb.screenshot('19c-plugin-installed');
        await card.locator('button.cowork-plugin-uninstall').click();
        await page.locator('.dialogOverlay', { hasText: 'Remove the plugin “acme-notes”' }).locator('button.theia-button.main').click();
        await card.waitFor({ state: 'detached', timeout: 30000 });
        expect(fs.existsSync(path.join(wb.tmp, 'data', 'plugins', 'installed', 'acme-notes'))).to.equal(false);
    });

    it('shows a model error as a readable message', async () => {
        await newTaskFromPanel('Please fail');
        await page.waitForSelector('.cowork-task[data-status="failed"] .cowork-notice-error', { timeout: 30000 });
        const reason = await page.locator('.cowork-task .cowork-notice-error').first().textContent();
        expect(reason).to.contain('prompt is too long');
        expect(reason).not.to.match(/\n\s+at /);
        await wb.screenshot('13-model-error');
    });
});
