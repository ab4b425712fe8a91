import type { HookCommand, HookEvent, HookGroup } from './hooks-config';
import { HookExecutor, HookExecResult, localHookExecutor } from './hook-exec';

export interface HookRunnerOptions {
    sessionId: string;
    /** The task's working folder (CLAUDE_PROJECT_DIR). */
    cwd: string;
    transcriptPath?: string;
    executor?: HookExecutor;
    /** PATH given to hooks; nothing else of our environment is passed on. */
    path?: string;
}

export interface PreToolUseResult {
    /** The call must not run; this reason is shown to the model as the tool's error. */
    block?: string;
    /** A hook asks for the user's confirmation, with this reason. */
    ask?: string;
    /** A hook replaced the tool input. */
    updatedInput?: unknown;
    additionalContext?: string;
    warnings: string[];
}

export interface PostToolUseResult {
    /** Feedback for the model about the call that just ran (decision "block" or exit 2). */
    feedback?: string;
    additionalContext?: string;
    /** `continue: false`: the task should stop, with this reason. */
    stopTask?: string;
    warnings: string[];
}

export interface PromptResult {
    /** The prompt is refused; this is shown to the user. */
    block?: string;
    additionalContext?: string;
    warnings: string[];
}

export interface StopResult {
    /** The model must not stop yet; this reason goes back to it as the next instruction. */
    block?: string;
    warnings: string[];
}

interface HookOutcome {
    hook: HookCommand;
    group: HookGroup;
    result: HookExecResult;
    json?: Record<string, unknown>;
}

const DEFAULT_TIMEOUT_S = 60;

/**
 * Runs plugin hooks the way Claude Code does: JSON on stdin, exit code 2 blocks with stderr as
 * the reason, or a JSON answer on stdout (`decision`, `hookSpecificOutput`, `continue`).
 */
export class HookRunner {
    private readonly exec: HookExecutor;

    constructor(private readonly groups: HookGroup[], private readonly opts: HookRunnerOptions) {
        this.exec = opts.executor ?? localHookExecutor;
    }

    get size(): number {
        return this.groups.length;
    }

    async preToolUse(name: string, input: unknown, toolUseId?: string): Promise<PreToolUseResult> {
        const outcomes = await this.run('PreToolUse', name, { tool_name: name, tool_input: input, tool_use_id: toolUseId }, input);
        const res: PreToolUseResult = { warnings: [] };
        const blocks: string[] = [];
        const asks: string[] = [];
        const context: string[] = [];
        for (const o of outcomes) {
            const label = hookLabel(o);
            if (o.result.exitCode === 2) {
                blocks.push(o.result.stderr.trim() || `blocked by ${label}`);
                continue;
            }
            if (!this.succeeded(o, res.warnings)) {
                continue;
            }
            const j = o.json;
            if (!j) {
                continue;
            }
            const hso = (j.hookSpecificOutput ?? {}) as Record<string, unknown>;
            const reason = str(hso.permissionDecisionReason) ?? str(j.reason) ?? str(j.stopReason);
            if (j.continue === false) {
                blocks.push(str(j.stopReason) ?? reason ?? `stopped by ${label}`);
            } else if (hso.permissionDecision === 'deny' || j.decision === 'block' || j.decision === 'deny') {
                blocks.push(reason ?? `blocked by ${label}`);
            } else if (hso.permissionDecision === 'ask') {
                asks.push(reason ?? `${label} asks for confirmation`);
            }
            if (hso.updatedInput !== undefined && typeof hso.updatedInput === 'object') {
                res.updatedInput = hso.updatedInput;
            }
            pushText(context, hso.additionalContext);
            pushText(res.warnings, j.systemMessage);
        }
        if (blocks.length > 0) {
            res.block = blocks.join('\n');
        } else if (asks.length > 0) {
            res.ask = asks.join('\n');
        }
        if (context.length > 0) {
            res.additionalContext = context.join('\n');
        }
        return res;
    }

    async postToolUse(name: string, input: unknown, response: unknown, toolUseId?: string): Promise<PostToolUseResult> {
        const outcomes = await this.run('PostToolUse', name, { tool_name: name, tool_input: input, tool_response: response, tool_use_id: toolUseId }, input);
        const res: PostToolUseResult = { warnings: [] };
        const feedback: string[] = [];
        const context: string[] = [];
        for (const o of outcomes) {
            if (o.result.exitCode === 2) {
                feedback.push(o.result.stderr.trim() || `${hookLabel(o)} reported a problem`);
                continue;
            }
            if (!this.succeeded(o, res.warnings) || !o.json) {
                continue;
            }
            const j = o.json;
            if (j.continue === false) {
                res.stopTask = str(j.stopReason) ?? `stopped by ${hookLabel(o)}`;
            }
            if (j.decision === 'block') {
                feedback.push(str(j.reason) ?? `${hookLabel(o)} reported a problem`);
            }
            pushText(context, (j.hookSpecificOutput as Record<string, unknown> | undefined)?.additionalContext);
            pushText(res.warnings, j.systemMessage);
        }
        if (feedback.length > 0) {
            res.feedback = feedback.join('\n');
        }
        if (context.length > 0) {
            res.additionalContext = context.join('\n');
        }
        return res;
    }

    async userPromptSubmit(prompt: string): Promise<PromptResult> {
        const outcomes = await this.run('UserPromptSubmit', undefined, { prompt });
        return this.contextOrBlock(outcomes);
    }

    async sessionStart(source: 'startup' | 'resume' | 'clear' | 'compact' = 'startup'): Promise<{ additionalContext?: string; warnings: string[] }> {
        const outcomes = await this.run('SessionStart', source, { source });
        const r = this.contextOrBlock(outcomes);
        return { additionalContext: r.additionalContext, warnings: r.warnings };
    }

    /** `stopHookActive`: the model is already continuing because of a Stop hook (avoid loops). */
    async stop(stopHookActive = false): Promise<StopResult> {
        const outcomes = await this.run('Stop', undefined, { stop_hook_active: stopHookActive });
        const res: StopResult = { warnings: [] };
        const reasons: string[] = [];
        for (const o of outcomes) {
            if (o.result.exitCode === 2) {
                reasons.push(o.result.stderr.trim() || `${hookLabel(o)} asks to continue`);
                continue;
            }
            if (!this.succeeded(o, res.warnings) || !o.json) {
                continue;
            }
            if (o.json.decision === 'block') {
                reasons.push(str(o.json.reason) ?? `${hookLabel(o)} asks to continue`);
            }
            pushText(res.warnings, o.json.systemMessage);
        }
        if (reasons.length > 0) {
            res.block = reasons.join('\n');
        }
        return res;
    }

    private contextOrBlock(outcomes: HookOutcome[]): PromptResult {
        const res: PromptResult = { warnings: [] };
        const blocks: string[] = [];
        const context: string[] = [];
        for (const o of outcomes) {
            if (o.result.exitCode === 2) {
                blocks.push(o.result.stderr.trim() || `blocked by ${hookLabel(o)}`);
                continue;
            }
            if (!this.succeeded(o, res.warnings)) {
                continue;
            }
            const j = o.json;
            if (!j) {
                // Plain stdout of a successful prompt or start hook is context for the model.
                pushText(context, o.result.stdout.trim());
                continue;
            }
            if (j.decision === 'block' || j.continue === false) {
                blocks.push(str(j.reason) ?? str(j.stopReason) ?? `blocked by ${hookLabel(o)}`);
            }
            pushText(context, (j.hookSpecificOutput as Record<string, unknown> | undefined)?.additionalContext);
            pushText(res.warnings, j.systemMessage);
        }
        if (blocks.length > 0) {
            res.block = blocks.join('\n');
        }
        if (context.length > 0) {
            res.additionalContext = context.join('\n');
        }
        return res;
    }

    /** False (with a warning) for a hook that failed, timed out or could not start. */
    private succeeded(o: HookOutcome, warnings: string[]): boolean {
        const r = o.result;
        if (r.warning && !warnings.includes(r.warning)) {
            warnings.push(r.warning);
        }
        if (r.timedOut) {
            warnings.push(`${hookLabel(o)} timed out after ${o.hook.timeout ?? DEFAULT_TIMEOUT_S}s and was stopped`);
            return false;
        }
        if (r.error || r.exitCode !== 0) {
            const why = r.error ?? `exit code ${r.exitCode}`;
            warnings.push(`${hookLabel(o)} failed (${why})${r.stderr.trim() ? `: ${r.stderr.trim().slice(0, 500)}` : ''}`);
            return false;
        }
        return true;
    }

    private async run(event: HookEvent, target: string | undefined, fields: Record<string, unknown>, toolInput?: unknown): Promise<HookOutcome[]> {
        const matching = this.groups.filter(g => g.event === event && matches(g.matcher, target));
        const jobs: Promise<HookOutcome>[] = [];
        for (const group of matching) {
            for (const hook of group.hooks) {
                if (hook.if && !ifMatches(hook.if, target, toolInput)) {
                    continue;
                }
                jobs.push(this.runOne(event, group, hook, fields));
            }
        }
        return Promise.all(jobs);
    }

    private async runOne(event: HookEvent, group: HookGroup, hook: HookCommand, fields: Record<string, unknown>): Promise<HookOutcome> {
        const stdin = JSON.stringify({
            session_id: this.opts.sessionId,
            transcript_path: this.opts.transcriptPath ?? '',
            cwd: this.opts.cwd,
            permission_mode: 'default',
            hook_event_name: event,
            ...fields
        });
        const env: Record<string, string> = {
            PATH: this.opts.path ?? '/usr/local/bin:/usr/bin:/bin',
            HOME: process.env.HOME ?? '/',
            LANG: process.env.LANG ?? 'C.UTF-8',
            CLAUDE_PLUGIN_ROOT: group.pluginRoot,
            CLAUDE_PROJECT_DIR: this.opts.cwd
        };
        const command = hook.command.replace(/\$\{CLAUDE_PLUGIN_ROOT\}/g, group.pluginRoot);
        const result = await this.exec({ command, stdin, env, cwd: this.opts.cwd, timeoutMs: (hook.timeout ?? DEFAULT_TIMEOUT_S) * 1000, pluginRoot: group.pluginRoot });
        let json: Record<string, unknown> | undefined;
        const out = result.stdout.trim();
        if (result.exitCode === 0 && out.startsWith('{')) {
            try {
                const parsed = JSON.parse(out);
                json = parsed && typeof parsed === 'object' ? parsed : undefined;
            } catch {
                json = undefined;
            }
        }
        return { hook, group, result, json };
    }
}

function matches(matcher: string | undefined, target: string | undefined): boolean {
    if (matcher === undefined || matcher === '' || matcher === '*') {
        return true;
    }
    if (target === undefined) {
        return true;
    }
    try {
        return new RegExp(`^(?:${matcher})$`).test(target);
    } catch {
        return matcher === target;
    }
}

/** `Bash(git *)`, `Write(*.md)`: the tool name, then a glob on its main argument. */
function ifMatches(rule: string, tool: string | undefined, input: unknown): boolean {
    const m = /^\s*([^()\s]+)\s*(?:\((.*)\))?\s*$/s.exec(rule);
    if (!m || (tool !== undefined && !new RegExp(`^(?:${m[1].replace(/\*/g, '.*')})$`).test(tool))) {
        return false;
    }
    if (m[2] === undefined || m[2] === '*') {
        return true;
    }
    const i = (input ?? {}) as Record<string, unknown>;
    const subject = String(i.command ?? i.file_path ?? i.path ?? i.pattern ?? i.url ?? '');
    const pattern = m[2].replace(/:\*$/, '*');
    const re = new RegExp('^' + pattern.split('*').map(s => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$', 's');
    return re.test(subject);
}

function hookLabel(o: HookOutcome): string {
    return `${o.group.plugin} ${o.group.event} hook "${o.hook.command.slice(0, 80)}"`;
}

function str(v: unknown): string | undefined {
    return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

function pushText(list: string[], v: unknown): void {
    if (typeof v === 'string' && v.trim() !== '') {
        list.push(v.trim());
    }
}
