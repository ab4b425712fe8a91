// Long-running work: parallel sub-agents vs the same work one after another; a 500-turn task
// with compaction (largest request and memory as the task grows). Scripted model, real SDK.
import { createRequire } from 'module';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawn } from 'child_process';
const require = createRequire(import.meta.url);
const agent = require('../packages/cowork-agent/lib/src/index.js');
const testing = require('../packages/cowork-agent/lib/src/testing/index.js');

const deny = async () => ({ allowed: false, by: 'no-tty' });

const SERVER_CLI = new URL('../packages/cowork-agent/lib/src/testing/scripted-model-server-cli.js', import.meta.url).pathname;

/** The model server runs in its own process (as a real API would), so its CPU is not charged to the agent. */
async function startServerProcess(scenarioSource, recordFile) {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cowork-scenario-')), 'scenario.cjs');
    fs.writeFileSync(file, scenarioSource);
    const child = spawn(process.execPath, [SERVER_CLI, '--scenario', file, ...(recordFile ? ['--record', recordFile] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
    const url = await new Promise((resolve, reject) => {
        child.stdout.once('data', d => resolve(d.toString().split('\n')[0].trim()));
        child.once('exit', code => reject(new Error(`scenario server exited ${code}`)));
    });
    return { url, messageRequests: [], close: async () => { child.kill('SIGTERM'); } };
}

async function runTask(fallback, settingsOverrides, prompt, budget, recordFile) {
    const server = typeof fallback === 'string' ? await startServerProcess(fallback, recordFile) : await testing.startScriptedModelServer([], { fallback });
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cowork-bench-'));
    const folder = path.join(root, 'work');
    fs.mkdirSync(folder);
    const settings = { ...agent.loadSettings({ COWORK_DATA_DIR: root, ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: server.url }), ...settingsOverrides };
    const runtime = new agent.CoworkRuntime({ dataDir: path.join(root, 'data'), settings });
    const started = performance.now();
    const handle = runtime.startTask({ prompt, grants: [{ path: folder, mode: 'rw' }], asker: deny, budget });
    const outcome = await handle.done;
    const ms = performance.now() - started;
    const requests = server.messageRequests;
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
    if (outcome.status !== 'completed') {
        throw new Error(`bench task ended ${outcome.status}: ${outcome.reason}`);
    }
    return { ms, requests };
}

function subagentScenario(agents, turns, delayMs) {
    return `
const t = require(${JSON.stringify(new URL('../packages/cowork-agent/lib/src/testing/index.js', import.meta.url).pathname)});
module.exports = { turns: [], fallback: req => {
    if (JSON.stringify(req.system).includes('You are a sub-agent')) {
        const done = (req.messages.length - 1) / 2;
        return done + 1 < ${turns}
            ? t.response(t.toolUse('TodoWrite', { todos: [{ content: 'w', status: 'in_progress', activeForm: 'w' }] }), { delayMs: ${delayMs} })
            : t.response(t.text('finished'), { delayMs: ${delayMs} });
    }
    return req.messages.length === 1
        ? Array.from({ length: ${agents} }, (_, i) => t.toolUse('Task', { description: 'part ' + i, prompt: 'workstream ' + i }))
        : t.text('all done');
} };`;
}

// Warm-up: the first task of a process loads the SDK and the rest lazily; measure steady state.
await runTask(subagentScenario(2, 1, 0), { concurrency: 2 }, 'warm up');
const parallel = await runTask(subagentScenario(8, 5, 200), { concurrency: 8 }, 'eight parts');
const serial = await runTask(subagentScenario(8, 5, 200), { concurrency: 1 }, 'eight parts');
console.log(`8 sub-agents x 5 turns at 200 ms, parallel: ${(parallel.ms / 1000).toFixed(2)} s (baseline one after another: ${(serial.ms / 1000).toFixed(2)} s, speed-up ${(serial.ms / parallel.ms).toFixed(2)}x; aim >= 6x)`);

// 500 turns with compaction: request sizes from the server's record, RSS sampled in this (the agent's) process.
const record = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cowork-record-')), 'requests.jsonl');
const longScenario = `
const t = require(${JSON.stringify(new URL('../packages/cowork-agent/lib/src/testing/index.js', import.meta.url).pathname)});
module.exports = { turns: [], fallback: (req, ctx) => {
    const n = ctx.requests.filter(r => r.path === '/v1/messages').length;
    if (ctx.lastUserText.includes('Context is running out')) {
        return t.text('Summary: counting turns with TodoWrite; continue.');
    }
    return n >= 520 ? t.text('done') : t.toolUse('TodoWrite', { todos: [{ content: 'turn ' + n, status: 'in_progress', activeForm: 'counting' }] });
} };`;
let peakRss = 0;
const rss = [];
const sampler = setInterval(() => {
    const now = process.memoryUsage().rss;
    peakRss = Math.max(peakRss, now);
    rss.push(now);
}, 50);
const long = await runTask(longScenario, { contextWindow: 30000, compactAt: 0.5 }, 'count to 500', { maxTurns: 700 }, record);
clearInterval(sampler);
const sizes = fs.readFileSync(record, 'utf8').trim().split('\n').map(l => JSON.parse(l)).filter(r => r.path === '/v1/messages').map(r => (r.rawBody ?? JSON.stringify(r.body)).length);
const maxFirst = Math.max(...sizes.slice(100, 200));
const maxLast = Math.max(...sizes.slice(-100));
const fifth = Math.floor(rss.length / 5);
const rssEarly = Math.max(...rss.slice(0, fifth));
const rssLate = Math.max(...rss.slice(-fifth));
console.log(`500-turn task with compaction: largest request in the last 100 turns ${maxLast} B (baseline: largest in turns 100-200 ${maxFirst} B, ratio ${(maxLast / maxFirst).toFixed(2)}x)`);
console.log(`500-turn task peak RSS in the last fifth: ${(rssLate / 2 ** 20).toFixed(0)} MiB (baseline: first fifth ${(rssEarly / 2 ** 20).toFixed(0)} MiB, ratio ${(rssLate / rssEarly).toFixed(2)}x); peak ${(peakRss / 2 ** 20).toFixed(0)} MiB; ${sizes.length} requests in ${(long.ms / 1000).toFixed(1)} s`);
