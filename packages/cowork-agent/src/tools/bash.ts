import { createSandbox, NetworkPolicy, RunResult, SandboxBackend, SandboxLimits, SandboxRequestError, SandboxUnavailableError } from '@cowork/vm';
import { Tool, ToolError, ToolResult } from '../tool';
import { applyShellChanges, ShellChangesReport } from './bash/apply-shell-changes';
import { shortenForModel } from '../util/shorten';

interface BashInput {
    command: string;
    /** Milliseconds, at most 600000. */
    timeout?: number;
    description?: string;
}

export interface BashToolOptions {
    /** The sandbox to run in; by default the platform's, created (and checked) on first use. */
    sandbox?: SandboxBackend;
    /** Run without isolation where none is available. Only an explicit user setting may turn this on. */
    allowUnsandboxed?: boolean;
    /** Network for commands; none by default. */
    network?: NetworkPolicy;
    /** Limits other than wall time (which comes from the call's timeout). */
    limits?: Omit<SandboxLimits, 'wallTimeMs'>;
    /** Extra environment for commands (nothing is inherited from the host process). */
    env?: Record<string, string>;
    /** A host folder kept between commands as the sandbox's $HOME; a fresh one per command otherwise. */
    homeDir?: string;
    /** Paths the command must not see even inside a grant (the app's data folder, ~/.ssh …). */
    hiddenPaths?: string[];
    /** Folders mounted read-only besides the task's grants (plugin folders, so bundled scripts run). */
    readOnlyPaths?: () => string[];
    /** Characters of output the model sees before it is shortened. */
    maxOutputChars?: number;
}

export const DEFAULT_TIMEOUT_MS = 120_000;
export const MAX_TIMEOUT_MS = 600_000;

/**
 * The Bash tool: runs a shell command in the sandbox with the task's grants. What the command
 * wrote comes back as a change set and goes into the user's folders through the change journal;
 * overwrites and deletions ask first.
 */
export function createBashTool(options: BashToolOptions = {}): Tool<BashInput> {
    let sandbox: Promise<SandboxBackend> | undefined = options.sandbox ? Promise.resolve(options.sandbox) : undefined;
    const getSandbox = () => {
        sandbox ??= createSandbox({ allowUnsandboxed: options.allowUnsandboxed });
        // A failed check is retried on the next call (the user may have fixed the machine).
        sandbox.catch(() => { sandbox = undefined; });
        return sandbox;
    };
    const maxChars = options.maxOutputChars ?? 30_000;

    return {
        name: 'Bash',
        description: 'Runs a shell command (/bin/sh -c) in an isolated sandbox. Only the granted folders are visible, at their real paths; '
            + 'read-only grants cannot be written. There is no network unless the user allowed some domains (then HTTP(S) goes through a proxy). '
            + 'python3 (pandas, openpyxl, python-docx, xlsxwriter, pypdf), LibreOffice (soffice --headless) and poppler (pdftotext, pdftoppm) are available. '
            + 'New files appear in the folders when the command ends; overwriting or deleting existing files asks the user first, and a denied change is not applied. '
            + `Every change can be undone. Default timeout ${DEFAULT_TIMEOUT_MS / 1000} s, at most ${MAX_TIMEOUT_MS / 1000} s. HOME and /tmp are scratch space.`,
        inputSchema: {
            type: 'object',
            properties: {
                command: { type: 'string', minLength: 1, description: 'The command to run' },
                timeout: { type: 'number', minimum: 1, maximum: MAX_TIMEOUT_MS, description: `Timeout in milliseconds (default ${DEFAULT_TIMEOUT_MS}, max ${MAX_TIMEOUT_MS})` },
                description: { type: 'string', description: 'What the command does, in 5-10 words' }
            },
            required: ['command'],
            additionalProperties: false
        },
        async run(input, ctx) {
            if (typeof input.command !== 'string' || input.command.trim() === '') {
                throw new ToolError('command: a non-empty string is required');
            }
            const timeout = Math.min(Math.max(1, Math.floor(input.timeout ?? DEFAULT_TIMEOUT_MS)), MAX_TIMEOUT_MS);
            let backend: SandboxBackend;
            try {
                backend = await getSandbox();
            } catch (e) {
                throw new ToolError(e instanceof SandboxUnavailableError ? e.message : `The sandbox could not start: ${(e as Error).message}`);
            }
            let result: RunResult;
            try {
                result = await backend.run({
                    command: input.command,
                    // Outside every grant (a task without folders) the command starts in the sandbox home.
                    cwd: ctx.grants.grantOf(ctx.cwd) ? ctx.cwd : '',
                    grants: [
                        ...ctx.grants.grants.map(g => ({ path: g.path, mode: g.mode })),
                        ...(options.readOnlyPaths?.() ?? []).filter(p => !ctx.grants.grantOf(p)).map(p => ({ path: p, mode: 'ro' as const }))
                    ],
                    network: options.network,
                    limits: { ...options.limits, wallTimeMs: timeout },
                    env: options.env,
                    homeDir: options.homeDir,
                    hiddenPaths: options.hiddenPaths
                }, {
                    signal: ctx.signal,
                    onOutput: (stream, text) => ctx.emit({ type: 'tool.output', toolUseId: ctx.toolUseId, stream, text }),
                    onNetworkRefused: r => ctx.emit({ type: 'warning', message: `The sandbox refused a network connection to ${r.host}:${r.port}: ${r.reason}` })
                });
            } catch (e) {
                if (e instanceof SandboxRequestError || e instanceof SandboxUnavailableError) {
                    throw new ToolError(e.message);
                }
                throw new ToolError(`The command could not be run: ${(e as Error).message}`);
            }
            let changes: ShellChangesReport | undefined;
            if (result.cancelled) {
                result.changes.discard();
            } else {
                changes = await applyShellChanges(result.changes, ctx);
            }
            return toolResult(result, changes, maxChars);
        }
    };
}

function toolResult(r: RunResult, changes: ShellChangesReport | undefined, maxChars: number): ToolResult {
    const parts: string[] = [];
    if (r.stdout) {
        parts.push(r.stdout.replace(/\n$/, ''));
    }
    if (r.stderr) {
        parts.push(`[stderr]\n${r.stderr.replace(/\n$/, '')}`);
    }
    const output = parts.join('\n') || '(no output)';
    const notes: string[] = [];
    if (r.timedOut) {
        notes.push(r.warnings.find(w => w.includes('killed')) ?? 'The command timed out and was killed.');
    } else if (r.cancelled) {
        notes.push('The command was cancelled and killed; nothing it wrote was applied.');
    } else if (r.exitCode !== 0) {
        notes.push(r.exitCode === null ? `The command was killed by ${r.signal}.` : `Exit code ${r.exitCode}`);
    }
    notes.push(...r.warnings.filter(w => !w.includes('was killed with all its processes')));
    for (const refused of r.refusedConnections) {
        notes.push(`Network connection to ${refused.host}:${refused.port} refused: ${refused.reason}`);
    }
    if (changes) {
        notes.push(...describeChanges(changes));
    }
    const footer = notes.length > 0 ? `\n\n${notes.join('\n')}` : '';
    const full = output + footer;
    const short = shortenForModel(output, maxChars);
    return {
        content: short + footer,
        isError: r.timedOut || r.cancelled || r.exitCode !== 0,
        fullText: short !== output ? full : undefined
    };
}

function describeChanges(c: ShellChangesReport): string[] {
    const out: string[] = [];
    const list = (paths: string[]) => paths.length <= 10 ? paths.join(', ') : `${paths.slice(0, 10).join(', ')} and ${paths.length - 10} more`;
    if (c.created.length) {
        out.push(`Created: ${list(c.created)}`);
    }
    if (c.modified.length) {
        out.push(`Overwritten: ${list(c.modified)}`);
    }
    if (c.deleted.length) {
        out.push(`Deleted (kept in the journal): ${list(c.deleted)}`);
    }
    if (c.notApplied.length) {
        out.push('NOT applied (the files are as they were before the command):');
        for (const n of c.notApplied) {
            out.push(`- ${n.what} ${n.path}: ${n.reason}`);
        }
    }
    return out;
}
