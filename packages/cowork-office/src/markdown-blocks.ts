import { lexer, Token, Tokens } from 'marked';
import type { BlockSpec, ListItemSpec, RunSpec } from './document-spec';

/** Markdown (as models naturally write it) → document blocks, through marked's lexer. */
export function markdownToBlocks(markdown: string): BlockSpec[] {
    return lexer(markdown).flatMap(blockOf);
}

function blockOf(t: Token): BlockSpec[] {
    switch (t.type) {
        case 'heading': {
            const h = t as Tokens.Heading;
            return [{ type: 'heading', level: h.depth, text: plain(h.tokens) }];
        }
        case 'paragraph': {
            const p = t as Tokens.Paragraph;
            // A paragraph that is only a picture becomes an image block.
            const images = p.tokens.filter(x => x.type === 'image') as Tokens.Image[];
            if (images.length === 1 && p.tokens.every(x => x.type === 'image' || (x.type === 'text' && !x.raw.trim()))) {
                return [{ type: 'image', path: images[0].href, caption: images[0].text || undefined }];
            }
            return [{ type: 'paragraph', runs: runsOf(p.tokens) }];
        }
        case 'list':
            return [listOf(t as Tokens.List)];
        case 'table': {
            const tb = t as Tokens.Table;
            return [{ type: 'table', header: tb.header.map(c => plain(c.tokens)), rows: tb.rows.map(r => r.map(c => plain(c.tokens))) }];
        }
        case 'code':
            return [{ type: 'code', text: (t as Tokens.Code).text }];
        case 'blockquote': {
            const q = t as Tokens.Blockquote;
            return [{ type: 'quote', runs: q.tokens.flatMap(x => 'tokens' in x && x.tokens ? runsOf(x.tokens) : [{ text: x.raw }]) }];
        }
        case 'hr':
            return [];
        case 'html':
        case 'text': {
            const text = (t as Tokens.Text).text?.trim();
            return text ? [{ type: 'paragraph', text }] : [];
        }
        default:
            return [];
    }
}

function listOf(l: Tokens.List): BlockSpec {
    return { type: 'list', ordered: l.ordered, items: l.items.map(itemOf) };
}

function itemOf(item: Tokens.ListItem): ListItemSpec {
    const runs: RunSpec[] = [];
    let nested: ListItemSpec[] | undefined;
    let nestedOrdered: boolean | undefined;
    for (const t of item.tokens) {
        if (t.type === 'list') {
            nested = (t as Tokens.List).items.map(itemOf);
            nestedOrdered = (t as Tokens.List).ordered;
        } else if ('tokens' in t && t.tokens) {
            runs.push(...runsOf(t.tokens));
        } else if (t.type !== 'space') {
            runs.push({ text: t.raw });
        }
    }
    if (item.task) {
        runs.unshift({ text: item.checked ? '☑ ' : '☐ ' });
    }
    return { runs, items: nested, itemsOrdered: nestedOrdered };
}

/** Inline tokens → styled runs; nesting (bold inside a link) carries the outer style down. */
export function runsOf(tokens: Token[], style: Omit<RunSpec, 'text'> = {}): RunSpec[] {
    const out: RunSpec[] = [];
    for (const t of tokens) {
        switch (t.type) {
            case 'strong':
                out.push(...runsOf((t as Tokens.Strong).tokens, { ...style, bold: true }));
                break;
            case 'em':
                out.push(...runsOf((t as Tokens.Em).tokens, { ...style, italic: true }));
                break;
            case 'codespan':
                out.push({ ...style, code: true, text: unescape((t as Tokens.Codespan).text) });
                break;
            case 'link': {
                const l = t as Tokens.Link;
                out.push(...runsOf(l.tokens, { ...style, link: l.href }));
                break;
            }
            case 'br':
                out.push({ ...style, text: '\n' });
                break;
            case 'del':
                out.push(...runsOf((t as Tokens.Del).tokens, style));
                break;
            case 'image':
                out.push({ ...style, text: `[${(t as Tokens.Image).text}]` });
                break;
            case 'text': {
                const tx = t as Tokens.Text;
                if (tx.tokens?.length) {
                    out.push(...runsOf(tx.tokens, style));
                } else {
                    out.push({ ...style, text: unescape(tx.text) });
                }
                break;
            }
            case 'escape':
                out.push({ ...style, text: (t as Tokens.Escape).text });
                break;
            default:
                out.push({ ...style, text: unescape(t.raw) });
        }
    }
    return out;
}

function plain(tokens: Token[]): string {
    return runsOf(tokens).map(r => r.text).join('');
}

/** marked leaves HTML entities in text tokens. */
function unescape(s: string): string {
    return s.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
}
