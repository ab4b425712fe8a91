// Agent loop overhead over a long task, through the production runtime (CoworkRuntime with the
// default extensions, the real Anthropic SDK over HTTP/SSE) against the scripted model server
// answering at once.
//
// Measures: the loop's own time per turn (wall time per turn minus the server's time for that
// turn) at turns 1-10 against turns 991-1000 of one 1,000-turn task, the request body size, peak
// memory, and how much of each request repeats the previous one byte for byte as a prefix (what
// prompt caching needs) over a 50-turn task.
//
// The scripted server runs in a worker thread: its own event loop and heap, so its work (parsing
// and checking every body) neither blocks the runtime nor lands in the runtime's heap figure.
//
// Run after `npm run build`: node bench/agent-loop.mjs [turns]
import { createRequire } from 'module';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { fileURLToPath } from 'url';
import { isMainThread, parentPort, Worker, workerData } from 'worker_threads';

const require = createRequire(import.meta.url);
const lib = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../packages/cowork-agent/lib/src');

// ---- the server side (worker thread) -------------------------------------------------------

/** Cheap tool calls, alternating a plan update and a small Glob; the last turn answers in text. */
function scenario(turns, testing) {
    const { text, toolUse } = testing;
    const out = [];
    for (let i = 1; i < turns; i++) {
        out.push(i % 2 === 1
            ? toolUse('TodoWrite', { todos: [
                { content: `Step ${i}`, status: 'in_progress', activeForm: `Doing step ${i}` },
                { content: 'Finish', status: 'pending', activeForm: 'Finishing' }] })
            : toolUse('Glob', { pattern: '*.txt' }));
    }
    out.push(text('All steps are done.'));
    return out;
}

/**
 * Serves the scenario and reports, per request: the server's time (headers in to response end),
 * the body size and its common prefix with the previous body. Bodies older than the previous one
 * are then forgotten, so the recorder's memory and its cache estimate (which compares a body with
 * up to 20 earlier ones) stay bounded.
 */
async function serveInWorker(turns) {
    const testing = require(path.join(lib, 'testing'));
    const server = await testing.startScriptedModelServer(scenario(turns, testing));
    const kept = new Map();
    let previous;
    server.server.prependListener('request', (req, res) => {
        if (req.url?.split('?')[0] !== '/v1/messages') {
            return;
        }
        const start = performance.now();
        res.on('finish', () => {
            const requests = server.messageRequests;
            const raw = requests[requests.length - 1].rawBody;
            const prefixShare = previous === undefined ? undefined : commonPrefix(previous, raw) / raw.length;
            previous = raw;
            if (requests.length === WINDOW || requests.length === turns) {
                kept.set(requests.length, raw);
            }
            const old = requests[requests.length - 2];
            if (old) {
                old.rawBody = '';
                old.body = undefined;
            }
            parentPort.postMessage({ type: 'request', serverMs: performance.now() - start, bytes: Buffer.byteLength(raw), prefixShare });
        });
    });
    parentPort.on('message', async m => {
        if (m === 'bodies') {
            parentPort.postMessage({ type: 'bodies', bodies: Object.fromEntries(kept) });
        } else if (m === 'close') {
            await server.close();
            parentPort.close();
        }
    });
    parentPort.postMessage({ type: 'url', url: server.url });
}

function commonPrefix(a, b) {
    const n = Math.min(a.length, b.length);
    let i = 0;
    while (i < n && a[i] === b[i]) {
        i++;
    }
    return i;
}

// ---- the runtime side (main thread) --------------------------------------------------------

async function startServerWorker(turns) {
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { turns } });
    const seen = [];
    let bodies;
    const { url } = await new Promise((resolve, reject) => {
        worker.on('error', reject);
        worker.on('message', m => {
            if (m.type === 'url') {
                resolve(m);
            } else if (m.type === 'request') {
                seen.push(m);
            } else if (m.type === 'bodies') {
                bodies(m.bodies);
            }
        });
    });
    return {
        url, seen,
        /** The raw request bodies of turn WINDOW and of the last turn. */
        bodies() {
            return new Promise(resolve => {
                bodies = resolve;
                worker.postMessage('bodies');
            });
        },
        async close(expected) {
            // The last report may still be on its way when the task ends.
            for (let i = 0; i < 200 && seen.length < expected; i++) {
                await new Promise(r => setTimeout(r, 10));
            }
            worker.postMessage('close');
            await new Promise(r => worker.once('exit', r));
        }
    };
}

async function runTask(turns, work, dataDir) {
    const server = await startServerWorker(turns);
    // Settings come from the environment as in production: set before the runtime is loaded.
    Object.assign(process.env, { ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: 'sk-ant-bench-key', COWORK_DATA_DIR: dataDir });
    delete process.env.COWORK_MODEL;
    const { CoworkRuntime } = require(path.join(lib, 'runtime/cowork-runtime'));
    const { defaultExtensions } = require(path.join(lib, 'runtime/default-extensions'));
    const { loadSettings } = require(path.join(lib, 'settings'));
    // A window large enough that compaction never starts: this measures the loop itself as the
    // history grows (compaction would shrink the body and hide any growth of the loop's own cost).
    const settings = { ...loadSettings(process.env), contextWindow: 100_000_000 };
    const runtime = new CoworkRuntime({ dataDir, settings, extensions: defaultExtensions() });
    const turnStarts = [];
    let peakHeap = 0;
    // Heap still in use after a full GC, at two turns outside the timed windows (needs --expose-gc).
    const retained = {};
    const retainedAt = [WINDOW + 1, turns - WINDOW];
    let toolErrors = 0;
    const handle = runtime.startTask({
        prompt: 'Work through the steps one tool call at a time.',
        grants: [{ path: work, mode: 'rw' }],
        asker: async () => ({ allowed: false, by: 'no-tty' }),
        // Cache reads count against the token budget; a long uncompacted task would use it up.
        budget: { maxTurns: turns + 10, maxTokens: Number.MAX_SAFE_INTEGER }
    });
    handle.onEvent(e => {
        if (e.type === 'turn.started') {
            peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
            if (globalThis.gc && retainedAt.includes(e.turn)) {
                globalThis.gc();
                retained[e.turn] = process.memoryUsage().heapUsed;
            }
            turnStarts.push(performance.now());
        } else if (e.type === 'tool.finished' && e.isError) {
            toolErrors++;
        }
    });
    const outcome = await handle.done;
    const end = performance.now();
    const bodies = await server.bodies();
    const encodeMs = bodies[WINDOW] && bodies[turns] ? [encodeCostMs(bodies[WINDOW]), encodeCostMs(bodies[turns])] : undefined;
    await server.close(turns);
    if (outcome.status !== 'completed' || turnStarts.length !== turns || toolErrors > 0 || server.seen.length !== turns) {
        throw new Error(`the ${turns}-turn task did not run as scripted: ${outcome.status} (${outcome.reason}), ` +
            `${turnStarts.length} turns, ${server.seen.length} requests, ${toolErrors} tool errors`);
    }
    const wall = turnStarts.map((t, i) => (turnStarts[i + 1] ?? end) - t);
    return {
        wall,
        serverMs: server.seen.map(s => s.serverMs),
        bytes: server.seen.map(s => s.bytes),
        prefixShares: server.seen.slice(1).map(s => s.prefixShare),
        encodeMs,
        retained,
        peakHeap
    };
}

/** What encoding one request body costs (JSON text, then UTF-8 bytes), as the SDK does each turn. */
function encodeCostMs(raw) {
    const value = JSON.parse(raw);
    const times = [];
    for (let i = 0; i < 11; i++) {
        const start = performance.now();
        new TextEncoder().encode(JSON.stringify(value));
        times.push(performance.now() - start);
    }
    return median(times);
}

const median = values => {
    const s = [...values].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const mean = values => values.reduce((a, b) => a + b, 0) / values.length;
const fmt = (v, digits = 3) => Number(v.toPrecision(digits));
function line(name, value, unit, baseName, baseValue) {
    console.log(`${name}: ${fmt(value)} ${unit} (baseline: ${baseName} ${fmt(baseValue)} ${unit}, ratio ${fmt(value / baseValue)} x)`);
}

const WINDOW = 10;

async function main() {
    const TURNS = Number(process.argv[2] ?? 1000);
    const PREFIX_TURNS = 50;
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cowork-bench-loop-'));
    const work = path.join(root, 'work');
    fs.mkdirSync(work);
    for (let i = 0; i < 20; i++) {
        fs.writeFileSync(path.join(work, `note-${i}.txt`), `note ${i}\n`);
    }
    try {
        // The short task first: it also warms the runtime up, so turns 1-10 of the long one are not JIT warm-up.
        const short = await runTask(PREFIX_TURNS, work, path.join(root, 'data'));
        const heapBefore = process.memoryUsage().heapUsed;
        const long = await runTask(TURNS, work, path.join(root, 'data'));
        const own = long.wall.map((w, i) => w - long.serverMs[i]);
        const first = own.slice(0, WINDOW);
        const last = own.slice(-WINDOW);
        const range = `turns ${TURNS - WINDOW + 1}-${TURNS}`;
        line(`loop time per turn without the server's, ${range} (median)`, median(last), 'ms', `turns 1-${WINDOW}`, median(first));
        // Other load on the machine only ever adds time: the fastest turn of each window is the least noisy figure.
        line(`loop time per turn without the server's, ${range} (fastest of ${WINDOW})`, Math.min(...last), 'ms', `turns 1-${WINDOW}`, Math.min(...first));
        line(`wall time per turn, ${range} (median)`, median(long.wall.slice(-WINDOW)), 'ms', `turns 1-${WINDOW}`, median(long.wall.slice(0, WINDOW)));
        line(`server time per turn, ${range} (median)`, median(long.serverMs.slice(-WINDOW)), 'ms', `turns 1-${WINDOW}`, median(long.serverMs.slice(0, WINDOW)));
        line(`JSON encoding of the request body alone, turn ${TURNS}`, long.encodeMs[1], 'ms', `turn ${WINDOW}`, long.encodeMs[0]);
        line(`request body at turn ${TURNS}`, long.bytes[TURNS - 1] / 1024, 'KiB', `turn ${WINDOW}`, long.bytes[WINDOW - 1] / 1024);
        const total = long.wall.reduce((a, b) => a + b, 0);
        const totalServer = long.serverMs.reduce((a, b) => a + b, 0);
        line(`whole ${TURNS}-turn task, loop time without the server's`, (total - totalServer) / 1000, 's', 'server time', totalServer / 1000);
        if (long.retained[TURNS - WINDOW] && long.retained[WINDOW + 1]) {
            line(`JS heap of the runtime still in use after GC, turn ${TURNS - WINDOW}`, long.retained[TURNS - WINDOW] / 2 ** 20, 'MiB',
                `turn ${WINDOW + 1}`, long.retained[WINDOW + 1] / 2 ** 20);
        }
        line(`peak JS heap of the runtime (main thread) over ${TURNS} turns`, long.peakHeap / 2 ** 20, 'MiB', 'heap before the task', heapBefore / 2 ** 20);
        line('peak RSS of the process (runtime + server thread)', process.resourceUsage().maxRSS / 1024, 'MiB', 'peak heap of the runtime', long.peakHeap / 2 ** 20);
        line(`prefix stability over ${PREFIX_TURNS} turns (mean share of each request equal to the previous one)`, mean(short.prefixShares), 'share', 'target', 0.95);
        line(`prefix stability over ${PREFIX_TURNS} turns (worst request)`, Math.min(...short.prefixShares), 'share', 'target', 0.95);
        line(`prefix stability over ${TURNS} turns (mean)`, mean(long.prefixShares), 'share', 'target', 0.95);
    } finally {
        fs.rmSync(root, { recursive: true, force: true });
    }
}

if (isMainThread) {
    await main();
} else {
    await serveInWorker(workerData.turns);
}
