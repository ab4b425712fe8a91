// End-to-end: a workspace with no model configured says what to set, and setting the key works.
'use strict';
const fs = require('fs');
const path = require('path');
const { expect } = require('chai');
const { startWorkbench } = require('./harness');
const { createScenario } = require('./scenario');

const KEY = 'sk-ant-first-run-key';

describe('Cowork workspace without a configured model', function () {
    this.timeout(120000);
    let wb;
    let page;

    before(async () => {
        wb = await startWorkbench({
            scenario: workspace => createScenario({ workspace }),
            prepareWorkspace: () => undefined,
            // The model answers only requests that carry the key the user sets below.
            modelOptions: { requireApiKey: KEY },
            env: { ANTHROPIC_API_KEY: '' }
        });
        page = wb.page;
        await wb.open();
    });

    after(async () => {
        if (wb) {
            await wb.close();
        }
    });

    it('shows a first-run view that says what to set and where', async () => {
        const view = page.locator('.cowork-first-run');
        await view.waitFor({ timeout: 30000 });
        const text = await view.textContent();
        expect(text).to.contain('ANTHROPIC_API_KEY');
        expect(text).to.contain(path.join(wb.tmp, 'data', 'settings.json'));
        expect(await page.locator('#theia-statusBar', { hasText: 'set an API key' }).count()).to.equal(1);
        await wb.screenshot('20-first-run');
    });

    it('sets the API key from the command palette, keeps it out of the window, and uses it', async () => {
        await page.keyboard.press('F1');
        await page.keyboard.type('Cowork: Set API Key');
        await page.keyboard.press('Enter');
        const input = page.locator('.quick-input-widget input[type="password"]');
        await input.waitFor({ timeout: 30000 });
        await input.fill(KEY);
        await page.keyboard.press('Enter');
        await page.locator('.cowork-first-run').waitFor({ state: 'detached', timeout: 30000 });
        // No keychain on this machine: the key went to the 0600 settings file.
        const settings = path.join(wb.tmp, 'data', 'settings.json');
        expect(fs.statSync(settings).mode & 0o777).to.equal(0o600);
        expect(JSON.parse(fs.readFileSync(settings, 'utf8')).apiKey).to.equal(KEY);
        expect(await page.content()).not.to.contain(KEY);

        // The keybinding opens the new-task box.
        await page.locator('.cowork-panel').click();
        await page.keyboard.press('Control+Alt+N');
        await page.waitForSelector('.cowork-prompt:focus', { timeout: 10000 });
        await page.fill('.cowork-prompt', 'Say hello');
        await page.click('.cowork-start');
        await page.waitForSelector('.cowork-task[data-status="completed"] .cowork-answer', { timeout: 30000 });
        expect(await page.locator('.cowork-answer').textContent()).to.contain('Hello from the scripted model.');
        await wb.screenshot('21-key-set-task-done');
    });
});
