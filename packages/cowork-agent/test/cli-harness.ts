import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { AgentEvent } from '../src/events';

export const COWORK_BIN = path.resolve(__dirname, '../../bin/cowork.js');

export interface CliRun {
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
    events: AgentEvent[];
}

/** A temporary data dir + folder for one test, removed by cleanup(). */
export function tempPlace(prefix = 'cowork-test-'): { root: string; data: string; folder: string; cleanup(): void } {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    const data = path.join(root, 'data');
    const folder = path.join(root, 'work');
    fs.mkdirSync(folder);
    return { root, data, folder, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/** Environment for the CLI: the scripted server, a private data dir, nothing inherited that matters. */
export function cliEnv(baseUrl: string, dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ANTHROPIC_API_KEY: 'sk-ant-test-key', ANTHROPIC_BASE_URL: baseUrl, COWORK_DATA_DIR: dataDir, ...extra };
    return env;
}

/** Starts the real `cowork` CLI with no TTY. */
export function startCli(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; result: Promise<CliRun>; onEvent(cb: (e: AgentEvent) => void): void } {
    const child = spawn(process.execPath, [COWORK_BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let pending = '';
    const listeners: ((e: AgentEvent) => void)[] = [];
    child.stdout!.on('data', (d: Buffer) => {
        stdout += d.toString();
        pending += d.toString();
        const lines = pending.split('\n');
        pending = lines.pop()!;
        for (const line of lines) {
            if (line.startsWith('{')) {
                try {
                    const e = JSON.parse(line) as AgentEvent;
                    listeners.forEach(l => l(e));
                } catch {
                    // not an event line
                }
            }
        }
    });
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    const result = new Promise<CliRun>(resolve => {
        child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, events: parseEvents(stdout) }));
    });
    return { child, result, onEvent: cb => listeners.push(cb) };
}

export async function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
    return startCli(args, env).result;
}

export function parseEvents(stdout: string): AgentEvent[] {
    return stdout.split('\n').filter(l => l.startsWith('{')).map(l => JSON.parse(l) as AgentEvent);
}

export function eventsOf<T extends AgentEvent['type']>(events: AgentEvent[], type: T): Extract<AgentEvent, { type: T }>[] {
    return events.filter(e => e.type === type) as Extract<AgentEvent, { type: T }>[];
}
