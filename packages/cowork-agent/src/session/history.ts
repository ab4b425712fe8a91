import type Anthropic from '@anthropic-ai/sdk';
import type { AgentEvent } from '../events';

export const INTERRUPTED_RESULT = 'Interrupted: this tool call started but the task stopped before it finished. It was not re-run. ' +
    'Any file changes it made are in the journal; check the current state before doing it again.';

/**
 * Rebuilds the conversation from a session log, so a task can be resumed after a crash. Events
 * of sub-agents are skipped (they have their own conversations). A compaction replaces
 * everything before it with its summary, as it did in the live task.
 */
export function historyFromEvents(events: AgentEvent[]): Anthropic.MessageParam[] {
    const messages: Anthropic.MessageParam[] = [];
    const pending = new Map<string, string>();
    const addUser = (blocks: Anthropic.ContentBlockParam[]) => {
        const last = messages[messages.length - 1];
        if (last && last.role === 'user') {
            last.content = [...(last.content as Anthropic.ContentBlockParam[]), ...blocks];
        } else {
            messages.push({ role: 'user', content: blocks });
        }
    };
    const closePending = () => {
        if (pending.size > 0) {
            addUser([...pending.keys()].map(id => ({ type: 'tool_result' as const, tool_use_id: id, content: INTERRUPTED_RESULT, is_error: true })));
            pending.clear();
        }
    };
    for (const e of events) {
        if (e.agentId) {
            continue;
        }
        switch (e.type) {
            case 'user.message':
                closePending();
                addUser([{ type: 'text', text: e.text }]);
                break;
            case 'assistant.message': {
                closePending();
                const content = e.content as Anthropic.ContentBlockParam[];
                messages.push({ role: 'assistant', content });
                for (const b of content) {
                    if (b.type === 'tool_use') {
                        pending.set(b.id, b.name);
                    }
                }
                break;
            }
            case 'tool.finished':
                if (pending.delete(e.toolUseId)) {
                    addUser([{ type: 'tool_result', tool_use_id: e.toolUseId, content: e.result, is_error: e.isError || undefined }]);
                }
                break;
            case 'compaction':
                if (e.summary) {
                    // The live task kept the last `keptMessages` (starting at an assistant turn) after the summary.
                    const tail = e.keptMessages ? messages.slice(-e.keptMessages) : [];
                    messages.splice(0, messages.length, { role: 'user', content: [{ type: 'text', text: e.summary }] }, ...tail);
                }
                break;
        }
    }
    closePending();
    // A trailing assistant turn that asked for nothing is complete; one cut mid-stream never reached the log.
    return messages;
}
