import * as readline from 'readline';
import { formatSize } from '../tools/file-kind';
import type { PermissionAnswer, PermissionAsker, PermissionRequest } from '../permissions/permission-gate';
import { describeAction } from './human-display';

export interface AskerFlags {
    allowDelete?: boolean;
    allowOverwrite?: boolean;
    allowConnectors?: boolean;
}

/** Which flag would allow an action when nobody can be asked. */
export function flagFor(action: string): keyof AskerFlags | undefined {
    if (action === 'delete' || action === 'shell-delete') {
        return 'allowDelete';
    }
    if (action === 'overwrite' || action === 'move-over' || action === 'shell-overwrite') {
        return 'allowOverwrite';
    }
    if (action === 'connector') {
        return 'allowConnectors';
    }
    return undefined;
}

const FLAG_NAMES: Record<keyof AskerFlags, string> = {
    allowDelete: '--allow-delete', allowOverwrite: '--allow-overwrite', allowConnectors: '--allow-connectors'
};

/**
 * Answers permission questions in a terminal. On a TTY it asks; lines typed while no question is
 * open are steering messages. With no TTY it denies unless an explicit flag allows the action,
 * and says so.
 */
export class TerminalAsker {
    private rl: readline.Interface | undefined;
    private waiting: ((line: string) => void) | undefined;
    private onSteer: ((text: string) => void) | undefined;

    constructor(private readonly flags: AskerFlags, private readonly interactive: boolean, private readonly err: NodeJS.WritableStream = process.stderr) { }

    /** Starts reading the terminal: answers to questions, otherwise steering. */
    listen(onSteer: (text: string) => void): void {
        this.onSteer = onSteer;
        if (!this.interactive || this.rl) {
            return;
        }
        this.rl = readline.createInterface({ input: process.stdin, terminal: false });
        this.rl.on('line', line => {
            if (this.waiting) {
                const w = this.waiting;
                this.waiting = undefined;
                w(line);
            } else if (line.trim()) {
                this.onSteer?.(line.trim());
            }
        });
    }

    close(): void {
        this.rl?.close();
        this.rl = undefined;
    }

    readonly ask: PermissionAsker = async (req, signal) => {
        const flag = flagFor(req.action);
        if (flag && this.flags[flag]) {
            return { allowed: true, by: 'flag' };
        }
        if (!this.interactive) {
            const hint = flag ? `; pass ${FLAG_NAMES[flag]} to allow it` : '';
            this.err.write(`cowork: denied "${describeAction(req.action)}" of ${req.paths.length} item(s): no terminal to ask${hint}\n`);
            return { allowed: false, by: 'no-tty' };
        }
        this.err.write(describeRequest(req));
        this.err.write('Allow? [y]es / [N]o / [a]lways for this task: ');
        const line = await new Promise<string>((resolve, reject) => {
            this.waiting = resolve;
            if (!this.rl) {
                this.listen(() => undefined);
            }
            signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true });
        });
        const a = line.trim().toLowerCase();
        const answer: PermissionAnswer = { allowed: a === 'y' || a === 'yes' || a === 'a' || a === 'always', remember: a === 'a' || a === 'always', by: 'user' };
        return answer;
    };
}

function describeRequest(req: PermissionRequest & { requestId: string }): string {
    const who = req.agentId ? `sub-agent ${req.agentId}` : 'the task';
    const lines = [`\n${who} (${req.tool}) wants to ${describeAction(req.action)} ${req.paths.length} item(s):`];
    req.paths.slice(0, 20).forEach((p, i) => lines.push(`  ${p}${req.sizes?.[i] !== undefined ? ` (${formatSize(req.sizes[i])})` : ''}`));
    if (req.paths.length > 20) {
        lines.push(`  … and ${req.paths.length - 20} more`);
    }
    if (req.reason) {
        lines.push(`  ${req.reason}`);
    }
    return lines.join('\n') + '\n';
}
