/** Tool output longer than this reaches the model shortened; the full text stays in the session log. */
export const MODEL_TEXT_LIMIT = 30_000;

/** Keeps the head and the tail (where errors usually are) and says how much was left out. */
export function shortenForModel(text: string, limit = MODEL_TEXT_LIMIT): string {
    if (text.length <= limit) {
        return text;
    }
    const head = Math.floor(limit * 0.6);
    const tail = limit - head;
    const cut = text.length - head - tail;
    return `${text.slice(0, head)}\n\n[... ${cut} characters left out here; the full output is kept in the session log ...]\n\n${text.slice(text.length - tail)}`;
}
