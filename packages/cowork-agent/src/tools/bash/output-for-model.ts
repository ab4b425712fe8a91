/**
 * Shortens long command output for the model: the head and the tail, with a note saying how
 * much was left out. The full text stays in the session log (ToolResult.fullText).
 */
export function shortenForModel(text: string, maxChars: number): { text: string; shortened: boolean } {
    if (text.length <= maxChars) {
        return { text, shortened: false };
    }
    const head = Math.floor(maxChars * 0.4);
    const tail = maxChars - head;
    const omitted = text.length - head - tail;
    const lines = text.slice(head, text.length - tail).split('\n').length - 1;
    return {
        text: `${text.slice(0, head)}\n\n[… ${omitted} characters (${lines} lines) of output omitted here; the full output is kept in the session log …]\n\n${text.slice(text.length - tail)}`,
        shortened: true
    };
}
