// UI benchmark: the browser workspace against the scripted model, in Debian's Chromium.
//  1. goto → the agent panel usable, beside goto → Theia's shell ready (same page load).
//  2. one task streaming 10,000 events: when the panel shows the last one, beside when the last one
//     reached the page over the websocket (same run, same clock).
// Needs the UI built (npm run build:ui).
import { createRequire } from 'module';
import fs from 'fs';
import path from 'path';
import { fileURLToPath } from 'url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!fs.existsSync(path.join(root, 'applications/browser/lib/backend/main.js'))) {
    console.log('ui: skipped, the browser app is not built (npm run build:ui)');
    process.exit(0);
}
const { startWorkbench } = require(path.join(root, 'applications/browser/test/harness.js'));
const { response, text } = require(path.join(root, 'packages/cowork-agent/lib/src/testing'));

const EVENTS = 10000;
const body = 'x'.repeat(EVENTS - 1) + 'Z';

const wb = await startWorkbench({
    prepareWorkspace: () => undefined,
    // One character per SSE delta: one text.delta event each.
    scenario: () => ({ turns: [], fallback: () => response(text(body), { textChunkSize: 1 }) })
});
try {
    const { page } = wb;
    // Listen before the page opens its websocket: frames carry the events the backend pushes.
    let firstFrame = 0;
    let lastEventFrame = 0;
    let frames = 0;
    page.on('websocket', ws => ws.on('framereceived', f => {
        const payload = Buffer.isBuffer(f.payload) ? f.payload : Buffer.from(String(f.payload));
        if (payload.includes('text.delta')) {
            frames++;
            firstFrame ||= Date.now();
        }
        if (payload.includes('task.finished')) {
            lastEventFrame = Date.now();
        }
    }));
    const t0 = Date.now();
    await page.goto(wb.backend.url);
    await page.waitForSelector('#theia-app-shell', { timeout: 120000 });
    await page.waitForSelector('.theia-preload', { state: 'detached', timeout: 120000 });
    const shellReady = Date.now() - t0;
    await page.waitForSelector('.cowork-panel .cowork-prompt', { timeout: 120000 });
    const panelReady = Date.now() - t0;
    console.log(`ui.goto_to_usable_panel: ${panelReady} ms (baseline: goto to Theia shell ready ${shellReady} ms, ratio ${(panelReady / shellReady).toFixed(2)}x)`);

    await page.fill('.cowork-prompt', 'Stream ten thousand events');
    const start = Date.now();
    await page.click('.cowork-start');
    await page.waitForSelector('.cowork-task[data-status="completed"]', { timeout: 300000 });
    const shown = Date.now() - start;
    const text_ = (await page.locator('.cowork-answer').last().textContent() ?? '').trim();
    if (!text_ || text_.length !== EVENTS || !text_.endsWith('Z')) {
        throw new Error(`the panel shows ${text_ ? text_.length : 0} characters, expected ${EVENTS}`);
    }
    const sessions = fs.readdirSync(path.join(wb.tmp, 'data', 'sessions'));
    const logged = fs.readFileSync(path.join(wb.tmp, 'data', 'sessions', sessions[0], 'events.jsonl'), 'utf8').split('\n').filter(Boolean).length;
    if (!lastEventFrame) {
        console.log(`ui.stream_${EVENTS}_events_last_shown: ${shown} ms (${logged} events in the log; websocket frames not observable here)`);
    } else {
        const arrived = lastEventFrame - start;
        console.log(`ui.stream_${EVENTS}_events_last_shown: ${shown} ms (baseline: last event arrived ${arrived} ms, ratio ${(shown / arrived).toFixed(2)}x; ${logged} events in the log, ${frames} websocket frames)`);
    }
} finally {
    await wb.close();
}
