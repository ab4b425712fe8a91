import type Anthropic from '@anthropic-ai/sdk';
import type { HistoryCompactor } from '../agent-loop';
import type { AgentEventBody } from '../events';
import type { ModelClient } from '../model/model-client';
import { shortenForModel } from '../util/shorten';

export interface CompactorOptions {
    model: ModelClient;
    modelName?: string;
    contextWindow: number;
    /** Compact once a request's input reaches this share of the window. */
    compactAt: number;
    /** The task's system prompt and tools: the summary request reuses them (cache hit, and tool_use blocks need them). */
    system: Anthropic.TextBlockParam[];
    tools(): Anthropic.Tool[];
    emit(event: AgentEventBody): void;
    /** How many recent messages stay verbatim after the summary (at least). */
    keepRecent?: number;
}

const SUMMARY_REQUEST = 'Context is running out, so this conversation is about to be replaced by your summary of it. ' +
    'Write that summary now, for yourself, to continue the task without the history. Keep: the user\'s request and every ' +
    'constraint in their words; the current plan with each item\'s status; decisions made and why; every file path read, ' +
    'created, changed, moved or deleted, with what it holds; key facts and figures found; open questions; exactly what you ' +
    'were doing and what comes next. Be complete and concrete; no preamble.';

const TOOL_RESULT_LIMIT_FOR_SUMMARY = 4_000;

/**
 * Client-side compaction, so any Anthropic-compatible endpoint works: when the input nears the
 * window, the model summarises the older turns and the task goes on from the summary plus the
 * most recent turns.
 */
export class ModelCompactor implements HistoryCompactor {
    constructor(private readonly o: CompactorOptions) { }

    async maybeCompact(messages: Anthropic.MessageParam[], lastInputTokens: number, signal: AbortSignal, force = false): Promise<Anthropic.MessageParam[] | undefined> {
        if (!force && lastInputTokens < this.o.contextWindow * this.o.compactAt) {
            return undefined;
        }
        const cut = tailStart(messages, this.o.keepRecent ?? 4);
        if (cut < 2) {
            return undefined;
        }
        const head = messages.slice(0, cut).map(shortenToolResults);
        const summary = await this.summarize(head, signal);
        const text = `This task's earlier conversation was compacted to stay within the context window. Your summary of it:\n\n<summary>\n${summary}\n</summary>\n\nContinue the task from here.`;
        const tail = messages.slice(cut);
        const next: Anthropic.MessageParam[] = [{ role: 'user', content: [{ type: 'text', text }] }, ...tail];
        this.o.emit({
            type: 'compaction',
            summarizedTurns: head.filter(m => m.role === 'assistant').length,
            beforeTokens: lastInputTokens,
            afterTokens: Math.round(JSON.stringify(next).length / 4),
            summary: text,
            keptMessages: tail.length
        });
        return next;
    }

    private async summarize(head: Anthropic.MessageParam[], signal: AbortSignal): Promise<string> {
        const last = head[head.length - 1];
        const asking: Anthropic.MessageParam = {
            role: 'user',
            content: [...asBlocks(last.content), { type: 'text', text: SUMMARY_REQUEST }]
        };
        const response = await this.o.model.createMessage({
            model: this.o.modelName ?? this.o.model.model,
            maxTokens: 8_000,
            system: this.o.system,
            tools: this.o.tools(),
            messages: [...head.slice(0, -1), asking]
        }, {}, signal);
        const summary = response.content.filter((b): b is Anthropic.TextBlock => b.type === 'text').map(b => b.text).join('\n').trim();
        if (!summary) {
            throw new Error('compaction failed: the model returned an empty summary');
        }
        return summary;
    }
}

/**
 * Where the verbatim tail begins: an assistant message at least `keep` from the end, so the tail
 * holds whole tool_use/tool_result pairs and follows the summary (a user message) properly.
 */
export function tailStart(messages: Anthropic.MessageParam[], keep: number): number {
    let cut = Math.max(0, messages.length - keep);
    while (cut > 0 && messages[cut].role !== 'assistant') {
        cut--;
    }
    // A head ending in a user message is required (the summary request is appended to it).
    return messages[cut]?.role === 'assistant' ? cut : 0;
}

function asBlocks(content: Anthropic.MessageParam['content']): Anthropic.ContentBlockParam[] {
    return typeof content === 'string' ? [{ type: 'text', text: content }] : content;
}

function shortenToolResults(m: Anthropic.MessageParam): Anthropic.MessageParam {
    if (m.role !== 'user' || typeof m.content === 'string') {
        return m;
    }
    return {
        role: 'user',
        content: m.content.map(b => {
            if (b.type !== 'tool_result') {
                return b;
            }
            if (typeof b.content === 'string') {
                return { ...b, content: shortenForModel(b.content, TOOL_RESULT_LIMIT_FOR_SUMMARY) };
            }
            const texts = (b.content ?? []).map(c => (c.type === 'text' ? c.text : `[${c.type}]`)).join('\n');
            return { ...b, content: shortenForModel(texts, TOOL_RESULT_LIMIT_FOR_SUMMARY) };
        })
    };
}
