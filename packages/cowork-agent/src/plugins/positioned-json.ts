import { LineCounter, parseDocument, isMap, isSeq, Node } from 'yaml';

/** A parsed JSON file that can still say on which line a value sits (for error messages). */
export interface PositionedJson {
    value: unknown;
    /** 1-based line of the value at `path` (keys and indexes), or of its nearest parent. */
    lineOf(path: (string | number)[]): number;
}

export class JsonSyntaxError extends Error {
    constructor(message: string, readonly line: number) {
        super(message);
    }
}

/**
 * Strict JSON.parse decides validity (a YAML parser would accept too much); the YAML parser,
 * which reads JSON as a subset, supplies the positions of values.
 */
export function parsePositionedJson(text: string): PositionedJson {
    const clean = text.replace(/^\uFEFF/, '');
    let value: unknown;
    try {
        value = JSON.parse(clean);
    } catch (e) {
        throw new JsonSyntaxError(`invalid JSON: ${jsonMessage(e)}`, jsonErrorLine(clean, e));
    }
    const counter = new LineCounter();
    let doc: ReturnType<typeof parseDocument> | undefined;
    try {
        doc = parseDocument(clean, { lineCounter: counter, uniqueKeys: false });
    } catch {
        doc = undefined;
    }
    return {
        value,
        lineOf(path) {
            let node: unknown = doc?.contents;
            let line = 1;
            const at = (n: unknown) => {
                const range = (n as Node | undefined)?.range;
                if (range) {
                    line = counter.linePos(range[0]).line;
                }
            };
            at(node);
            for (const key of path) {
                if (isMap(node)) {
                    const pair = node.items.find(p => String((p.key as { value?: unknown })?.value) === String(key));
                    if (!pair) {
                        break;
                    }
                    at(pair.key);
                    node = pair.value;
                } else if (isSeq(node) && typeof key === 'number') {
                    node = node.items[key];
                    at(node);
                } else {
                    break;
                }
            }
            return line;
        }
    };
}

function jsonMessage(e: unknown): string {
    return String((e as Error).message ?? e).replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+/, '');
}

function jsonErrorLine(text: string, e: unknown): number {
    const msg = String((e as Error).message ?? '');
    const lc = /line (\d+) column/.exec(msg);
    if (lc) {
        return Number(lc[1]);
    }
    const pos = /position (\d+)/.exec(msg);
    if (pos) {
        return text.slice(0, Number(pos[1])).split('\n').length;
    }
    // "Unexpected end of JSON input": the problem is at the end.
    return text.split('\n').length;
}
