import { Command, CommanderError, Option } from 'commander';
import type { AgentEvent, TaskStatus } from '../events';
import { GrantSet } from '../grants';
import { CoworkRuntime, RuntimeExtension } from '../runtime/cowork-runtime';
import type { TaskHandle } from '../runtime/task-handle';
import { HumanDisplay } from './human-display';
import { TerminalAsker } from './terminal-asker';

export const EXIT: Record<TaskStatus | 'usage', number> = {
    completed: 0, failed: 1, usage: 2, budget_exceeded: 3, refused: 4, interrupted: 5, cancelled: 130
};

interface RunFlags {
    folder: string[];
    json?: boolean;
    allowDelete?: boolean;
    allowOverwrite?: boolean;
    allowConnectors?: boolean;
    maxTurns?: string;
}

/** The `cowork` command line. Returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
    let code = 0;
    const program = new Command('cowork')
        .description('Cowork: an agent that does multi-step knowledge work on your folders')
        .exitOverride()
        .configureOutput({ writeErr: s => process.stderr.write(s) });

    const addTaskFlags = (c: Command) => c
        .option('--json', 'print one JSON event per line instead of the human display')
        .option('--allow-delete', 'with no terminal to ask: allow deletions (they stay undoable)')
        .option('--allow-overwrite', 'with no terminal to ask: allow overwriting existing files (undoable)')
        .option('--allow-connectors', 'with no terminal to ask: allow connector (MCP) tools')
        .addOption(new Option('--max-turns <n>', 'stop after this many model turns'));

    addTaskFlags(program.command('run')
        .description('start a task on the granted folders')
        .argument('<prompt...>', 'what you want done')
        .option('-f, --folder <dir[:ro]>', 'grant a folder (repeatable; add :ro for read-only)', collect, []))
        .action(async (prompt: string[], flags: RunFlags) => {
            if (flags.folder.length === 0) {
                throw new UsageError('grant at least one folder with --folder DIR');
            }
            const runtime = new CoworkRuntime({ extensions: taskExtensions() });
            const asker = makeAsker(flags);
            const handle = runtime.startTask({
                prompt: prompt.join(' '), grants: flags.folder.map(GrantSet.parseSpec), asker: asker.ask, budget: budgetOf(flags)
            });
            code = await follow(handle, flags, asker);
        });

    addTaskFlags(program.command('resume')
        .description('continue a finished or interrupted task with a new message')
        .argument('<session>', 'session id (or a unique prefix)')
        .argument('<message...>', 'what to do next'))
        .action(async (id: string, message: string[], flags: RunFlags) => {
            const runtime = new CoworkRuntime({ extensions: taskExtensions() });
            const asker = makeAsker(flags);
            const handle = runtime.resumeTask(id, message.join(' '), asker.ask, { budget: budgetOf(flags) });
            code = await follow(handle, flags, asker);
        });

    program.command('sessions')
        .description('list past and running tasks')
        .option('--json', 'as JSON')
        .action((flags: { json?: boolean }) => {
            const list = new CoworkRuntime().listSessions();
            if (flags.json) {
                process.stdout.write(JSON.stringify(list, null, 2) + '\n');
                return;
            }
            if (list.length === 0) {
                process.stdout.write('No sessions yet.\n');
            }
            for (const s of list) {
                process.stdout.write(`${s.id}  ${s.status.padEnd(15)} ${s.createdAt.slice(0, 16).replace('T', ' ')}  ${oneLine(s.prompt, 70)}\n`);
            }
        });

    program.command('show')
        .description('replay a task\'s log as it was shown')
        .argument('<session>')
        .option('--json', 'print the raw events')
        .action((id: string, flags: { json?: boolean }) => {
            const events = new CoworkRuntime().readEvents(id);
            const display = new HumanDisplay();
            for (const e of events) {
                if (flags.json) {
                    process.stdout.write(JSON.stringify(e) + '\n');
                } else {
                    display.show(e);
                }
            }
        });

    program.command('steer')
        .description('send a message to a running task (delivered at its next turn)')
        .argument('<session>')
        .argument('<message...>')
        .option('--agent <id>', 'steer only this sub-agent')
        .action((id: string, message: string[], flags: { agent?: string }) => {
            new CoworkRuntime().steer(id, message.join(' '), flags.agent);
            process.stdout.write('Sent; it reaches the task at its next turn.\n');
        });

    program.command('stop')
        .description('stop a running task')
        .argument('<session>')
        .option('--agent <id>', 'stop only this sub-agent')
        .action((id: string, flags: { agent?: string }) => {
            new CoworkRuntime().cancel(id, flags.agent);
            process.stdout.write('Stop requested.\n');
        });

    program.command('undo')
        .description('undo the changes a task made (all, or one step)')
        .argument('<session>')
        .option('--step <n>', 'undo only this step (see `cowork show`)')
        .action(async (id: string, flags: { step?: string }) => {
            const step = flags.step === undefined ? undefined : Number(flags.step);
            if (step !== undefined && !Number.isInteger(step)) {
                throw new UsageError(`--step wants a number, got "${flags.step}"`);
            }
            const report = await new CoworkRuntime().undo(id, step);
            for (const p of report.restored) {
                process.stdout.write(`restored ${p}\n`);
            }
            for (const c of report.conflicts) {
                process.stdout.write(`conflict ${c.path}: ${c.reason}\n`);
            }
            if (report.restored.length === 0 && report.conflicts.length === 0) {
                process.stdout.write('Nothing to undo.\n');
            }
            code = report.conflicts.length > 0 ? 1 : 0;
        });

    program.command('export')
        .description('write a task (log, journal, metadata) as a portable .tar.gz bundle')
        .argument('<session>')
        .option('-o, --output <file>', 'where to write the bundle')
        .action(async (id: string, flags: { output?: string }) => {
            const file = await new CoworkRuntime().exportSession(id, flags.output);
            process.stdout.write(`${file}\n`);
        });

    registerExtraCommands(program);

    try {
        await program.parseAsync(argv, { from: 'user' });
    } catch (e) {
        if (e instanceof CommanderError) {
            return e.exitCode === 0 ? 0 : EXIT.usage;
        }
        if (e instanceof UsageError) {
            process.stderr.write(`cowork: ${e.message}\n`);
            return EXIT.usage;
        }
        process.stderr.write(`cowork: ${e instanceof Error ? e.message : String(e)}\n`);
        return 1;
    }
    return code;
}

/** Subcommands contributed by other parts (plugins). Loaded lazily so a broken part cannot break `cowork run`. */
function registerExtraCommands(program: Command): void {
    try {
        const mod = require('./plugins-command') as { registerPluginsCommand?: (p: Command) => void };
        mod.registerPluginsCommand?.(program);
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') {
            process.stderr.write(`cowork: the plugins command could not load: ${(e as Error).message}\n`);
        }
    }
}

class UsageError extends Error { }

/** Sandbox, office and plugins load only for commands that run a task: `cowork sessions` stays instant. */
function taskExtensions(): RuntimeExtension[] {
    const { defaultExtensions } = require('../runtime/default-extensions') as typeof import('../runtime/default-extensions');
    return defaultExtensions();
}

function collect(value: string, previous: string[]): string[] {
    return [...previous, value];
}

function budgetOf(flags: RunFlags): { maxTurns?: number } | undefined {
    if (flags.maxTurns === undefined) {
        return undefined;
    }
    const n = Number(flags.maxTurns);
    if (!Number.isInteger(n) || n < 1) {
        throw new UsageError(`--max-turns wants a positive number, got "${flags.maxTurns}"`);
    }
    return { maxTurns: n };
}

function makeAsker(flags: RunFlags): TerminalAsker {
    const interactive = process.stdin.isTTY === true && !flags.json;
    return new TerminalAsker({ allowDelete: flags.allowDelete, allowOverwrite: flags.allowOverwrite, allowConnectors: flags.allowConnectors }, interactive);
}

/** Shows a task until it ends; Ctrl-C stops it (twice: leave at once). Returns the exit code. */
async function follow(handle: TaskHandle, flags: RunFlags, asker: TerminalAsker): Promise<number> {
    const display = new HumanDisplay();
    handle.onEvent((e: AgentEvent) => {
        if (flags.json) {
            process.stdout.write(JSON.stringify(e) + '\n');
        } else {
            display.show(e);
        }
    });
    // Typing while the task runs steers it; "stop" stops it.
    asker.listen(text => (text.toLowerCase() === 'stop' ? handle.cancel() : handle.steer(text)));
    let interrupts = 0;
    const onSigint = () => {
        interrupts++;
        if (interrupts === 1) {
            process.stderr.write('\ncowork: stopping (Ctrl-C again to quit at once)\n');
            handle.cancel();
        } else {
            process.exit(EXIT.cancelled);
        }
    };
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigint);
    try {
        const outcome = await handle.done;
        return EXIT[outcome.status] ?? 1;
    } finally {
        process.off('SIGINT', onSigint);
        process.off('SIGTERM', onSigint);
        asker.close();
    }
}

function oneLine(s: string, max: number): string {
    const flat = s.replace(/\s+/g, ' ').trim();
    return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}
