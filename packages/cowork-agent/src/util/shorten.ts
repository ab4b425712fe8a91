/** Tool output longer than this reaches the model shortened; the full text stays in the session log. */
export const MODEL_TEXT_LIMIT = 30_000;

/**
 * Keeps the head and the (larger) tail, where errors and results usually are, and says how much
 * was left out and that the whole is kept in the session log.
 */
export function shortenForModel(text: string, limit = MODEL_TEXT_LIMIT): string {
    if (text.length <= limit) {
        return text;
    }
    const head = Math.floor(limit * 0.4);
    const tail = limit - head;
    const omitted = text.length - head - tail;
    const lines = text.slice(head, text.length - tail).split('\n').length - 1;
    return `${text.slice(0, head)}\n\n[… ${omitted} characters (${lines} lines) left out here; the full text is kept in the session log …]\n\n${text.slice(text.length - tail)}`;
}
