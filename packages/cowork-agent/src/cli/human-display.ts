import * as path from 'path';
import type { AgentEvent, PlanItem } from '../events';

/** Writes events for a person: streaming text, the plan, tool calls, file changes, the outcome. */
export class HumanDisplay {
    private atLineStart = true;
    private readonly tools = new Map<string, string>();

    constructor(private readonly out: NodeJS.WritableStream = process.stdout, private readonly color = (process.stdout as { isTTY?: boolean }).isTTY === true) { }

    show(e: AgentEvent): void {
        const who = e.agentId ? this.dim(`[${e.agentId}] `) : '';
        switch (e.type) {
            case 'task.started':
                this.line(`${this.bold(e.resumed ? '▶ Resuming task' : '▶ Task')} ${e.sessionId} ${this.dim(`· ${e.model}`)}`);
                for (const g of e.grants) {
                    this.line(this.dim(`  folder ${g.path}${g.mode === 'ro' ? ' (read-only)' : ''}`));
                }
                break;
            case 'user.message':
                if (e.steering) {
                    this.line(`${who}${this.bold('» you:')} ${e.text}`);
                }
                break;
            case 'text.delta':
                if (!e.agentId) {
                    this.write(e.text);
                }
                break;
            case 'plan.updated':
                this.line(`${who}${this.bold('Plan')}`);
                for (const item of e.todos) {
                    this.line(`  ${planMark(item)} ${item.status === 'in_progress' ? this.bold(item.activeForm) : item.content}`);
                }
                break;
            case 'tool.started':
                this.tools.set(e.toolUseId, e.name);
                if (e.name !== 'TodoWrite') {
                    this.line(`${who}${this.dim('→')} ${e.name} ${this.dim(summarizeInput(e.input))}`);
                }
                break;
            case 'tool.output':
                break;
            case 'tool.finished':
                if (e.isError) {
                    this.line(`${who}  ${this.red('✗')} ${e.name}: ${firstLines(e.result, 3)}`);
                }
                break;
            case 'file.changed':
                this.line(`${who}  ${this.green('✎')} ${e.change} ${e.from ? `${e.from} → ` : ''}${e.path}`);
                break;
            case 'permission.resolved':
                this.line(`${who}  ${e.allowed ? this.green('allowed') : this.red('denied')} ${this.dim(`(${e.by})`)}`);
                break;
            case 'permission.requested':
                this.line(`${who}${this.bold('?')} ${e.tool} wants to ${describeAction(e.action)}: ${e.paths.map(p => path.basename(p)).join(', ')}`);
                break;
            case 'model.retry':
                this.line(this.dim(`  model busy (${e.status ?? 'network'}); retry ${e.attempt} in ${Math.round(e.delayMs / 100) / 10} s`));
                break;
            case 'subagent.started':
                this.line(`${this.bold('⇉ sub-agent')} ${e.subagentId} (${e.subagentType}): ${e.description}`);
                break;
            case 'subagent.finished':
                this.line(`${this.bold('⇇ sub-agent')} ${e.subagentId} ${e.status}`);
                break;
            case 'compaction':
                this.line(this.dim(`  (conversation compacted: ${e.summarizedTurns} turns summarised, ${e.beforeTokens} → ${e.afterTokens} tokens)`));
                break;
            case 'warning':
                this.line(`${who}${this.yellow('warning:')} ${e.message}`);
                break;
            case 'error':
                this.line(`${who}${this.red('error:')} ${e.message}`);
                break;
            case 'task.finished': {
                const ok = e.status === 'completed';
                const usage = e.usage ? this.dim(` · ${e.usage.inputTokens + e.usage.cacheReadTokens + e.usage.cacheWriteTokens} in / ${e.usage.outputTokens} out tokens`) : '';
                this.line(`${ok ? this.green('✔') : this.red('✖')} ${e.status}${ok ? '' : `: ${e.reason}`}${usage}`);
                break;
            }
            default:
                break;
        }
    }

    private write(text: string): void {
        this.out.write(text);
        if (text.length > 0) {
            this.atLineStart = text.endsWith('\n');
        }
    }

    private line(text: string): void {
        if (!this.atLineStart) {
            this.out.write('\n');
        }
        this.out.write(text + '\n');
        this.atLineStart = true;
    }

    private paint(code: string, s: string): string {
        return this.color ? `\x1b[${code}m${s}\x1b[0m` : s;
    }
    private bold(s: string): string { return this.paint('1', s); }
    private dim(s: string): string { return this.paint('2', s); }
    private red(s: string): string { return this.paint('31', s); }
    private green(s: string): string { return this.paint('32', s); }
    private yellow(s: string): string { return this.paint('33', s); }
}

function planMark(item: PlanItem): string {
    return item.status === 'completed' ? '[x]' : item.status === 'in_progress' ? '[~]' : '[ ]';
}

export function describeAction(action: string): string {
    switch (action) {
        case 'delete': return 'delete';
        case 'overwrite': return 'overwrite';
        case 'move-over': return 'move over (replace)';
        case 'shell-delete': return 'delete (by a shell command)';
        case 'shell-overwrite': return 'overwrite (by a shell command)';
        case 'connector': return 'use a connector';
        default: return action;
    }
}

function summarizeInput(input: unknown): string {
    if (!input || typeof input !== 'object') {
        return '';
    }
    const o = input as Record<string, unknown>;
    for (const key of ['file_path', 'command', 'pattern', 'path', 'description', 'prompt']) {
        if (typeof o[key] === 'string') {
            return oneLine(o[key] as string, 100);
        }
    }
    if (Array.isArray(o.paths)) {
        return oneLine((o.paths as string[]).join(', '), 100);
    }
    if (Array.isArray(o.moves)) {
        return `${(o.moves as unknown[]).length} move(s)`;
    }
    return oneLine(JSON.stringify(input), 100);
}

function oneLine(s: string, max: number): string {
    const flat = s.replace(/\s+/g, ' ').trim();
    return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}

function firstLines(s: string, n: number): string {
    const lines = s.split('\n');
    return lines.slice(0, n).join('\n    ') + (lines.length > n ? ' …' : '');
}
