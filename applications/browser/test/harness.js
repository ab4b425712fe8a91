// Starts what a browser test needs, each for real: the scripted model server, the Cowork backend
// (the built browser app, in its own process, with temporary data and config folders) and Debian's
// Chromium driven by playwright-core. Screenshots go to test-artifacts/ui/.
'use strict';
const cp = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');
const { startScriptedModelServer } = require('@cowork/agent/lib/src/testing');

const APP = path.resolve(__dirname, '..');
const ARTIFACTS = path.resolve(APP, '../../test-artifacts/ui');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

async function startBackend({ workspace, env }) {
    const main = path.join(APP, 'lib/backend/main.js');
    if (!fs.existsSync(main)) {
        throw new Error(`${main} is missing: build the UI first (npm run build:ui)`);
    }
    const child = cp.spawn(process.execPath, [main, workspace, '--hostname', '127.0.0.1', '--port', '0'], {
        cwd: APP, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe']
    });
    let log = '';
    const url = await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`backend did not start in 60 s:\n${log}`)), 60000);
        const onData = chunk => {
            log += chunk;
            const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
            if (m) {
                clearTimeout(timer);
                resolve(m[1]);
            }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.once('exit', code => {
            clearTimeout(timer);
            reject(new Error(`backend exited with ${code}:\n${log}`));
        });
    });
    child.stdout.on('data', c => log += c);
    return { url, child, log: () => log };
}

async function startWorkbench(options) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cowork-e2e-'));
    const workspace = path.join(tmp, 'workspace');
    fs.mkdirSync(workspace);
    options.prepareWorkspace(workspace);
    const scenario = options.scenario(workspace);
    const model = await startScriptedModelServer(scenario.turns, { fallback: scenario.fallback, ...options.modelOptions });
    const backend = await startBackend({
        workspace,
        env: {
            ANTHROPIC_BASE_URL: model.url, ANTHROPIC_API_KEY: 'sk-ant-test-e2e',
            COWORK_DATA_DIR: path.join(tmp, 'data'), THEIA_CONFIG_DIR: path.join(tmp, 'theia'),
            ...options.env
        }
    });
    const context = await chromium.launchPersistentContext(path.join(tmp, 'chromium'), {
        executablePath: CHROMIUM, headless: true, viewport: { width: 1400, height: 900 },
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
            '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage']
    });
    const page = context.pages()[0] || await context.newPage();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    return {
        tmp, workspace, model, backend, context, page,
        async open() {
            await page.goto(backend.url);
            await page.waitForSelector('#theia-app-shell', { timeout: 90000 });
            await page.waitForSelector('.theia-preload', { state: 'detached', timeout: 90000 });
            await page.waitForSelector('.cowork-panel .cowork-toolbar', { timeout: 60000 });
        },
        async screenshot(name) {
            await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
        },
        async close() {
            await context.close().catch(() => undefined);
            backend.child.kill('SIGTERM');
            await model.close().catch(() => undefined);
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    };
}

module.exports = { startWorkbench, ARTIFACTS };
