import * as mammoth from 'mammoth';
import * as path from 'path';
import { OfficeError, messageOf } from '../office-error';
import { ooxmlProblem } from '../xlsx-load';
import type { DocumentText } from './document-text';

/** A Word document as Markdown (headings, lists, tables, pictures named) with mammoth. */
export async function readDocx(file: string, bytes: Buffer): Promise<DocumentText> {
    const problem = ooxmlProblem(bytes, path.basename(file));
    if (problem) {
        throw new OfficeError(problem);
    }
    let result: { value: string; messages: { type: string; message: string }[] };
    let images = 0;
    try {
        result = await mammoth.convertToHtml({ buffer: bytes }, {
            // Pictures become a named placeholder: their bytes are no use as text.
            convertImage: mammoth.images.imgElement(async () => { images++; return { src: `picture-${images}` }; })
        });
    } catch (e) {
        throw new OfficeError(`${path.basename(file)} could not be read as a Word document; it looks corrupt (${messageOf(e)})`);
    }
    const text = htmlToMarkdown(result.value);
    const warnings = result.messages.filter(m => m.type === 'error').map(m => m.message);
    return {
        kind: 'docx', text,
        facts: { headings: (text.match(/^#+ /gm) ?? []).length, tables: (result.value.match(/<table/g) ?? []).length, pictures: images },
        notes: warnings.length ? [`some content could not be converted: ${warnings.slice(0, 3).join('; ')}`] : []
    };
}

/** mammoth's HTML is small and regular (h1–h6, p, lists, tables, a, img): Markdown from it. */
export function htmlToMarkdown(html: string): string {
    const out: string[] = [];
    const lists: ('ul' | 'ol')[] = [];
    const counters: number[] = [];
    let line = '';
    let row: string[] | undefined;
    let cell: string | undefined;
    let tableRows = 0;
    const flush = () => {
        if (line.trim()) {
            out.push(line.replace(/[ \t]+$/, ''));
        }
        line = '';
    };
    const emit = (s: string) => {
        if (cell !== undefined) {
            cell += s;
        } else {
            line += s;
        }
    };
    for (const m of html.matchAll(/<(\/?)([a-z0-9]+)([^>]*)>|([^<]+)/g)) {
        const [, close, tag, attrs, text] = m;
        if (text !== undefined) {
            emit(decode(text));
            continue;
        }
        if (!close) {
            switch (tag) {
                case 'h1': case 'h2': case 'h3': case 'h4': case 'h5': case 'h6':
                    flush(); out.push(''); line = '#'.repeat(+tag[1]) + ' '; break;
                case 'p': if (cell === undefined) { flush(); if (!lists.length) { out.push(''); } } break;
                case 'ul': case 'ol': flush(); lists.push(tag); counters.push(0); break;
                case 'li': {
                    flush();
                    counters[counters.length - 1]++;
                    const depth = lists.length - 1;
                    line = '  '.repeat(Math.max(0, depth)) + (lists[depth] === 'ol' ? `${counters[depth]}. ` : '- ');
                    break;
                }
                case 'table': flush(); out.push(''); tableRows = 0; break;
                case 'tr': row = []; break;
                case 'td': case 'th': cell = ''; break;
                case 'strong': emit('**'); break;
                case 'em': emit('*'); break;
                case 'br': emit(cell !== undefined ? ' ' : '\n'); break;
                case 'img': emit(`[picture${/alt="([^"]*)"/.exec(attrs)?.[1] ? `: ${decode(/alt="([^"]*)"/.exec(attrs)![1])}` : ''}]`); break;
            }
        } else {
            switch (tag) {
                case 'h1': case 'h2': case 'h3': case 'h4': case 'h5': case 'h6': case 'p': if (cell === undefined) { flush(); } break;
                case 'ul': case 'ol': flush(); lists.pop(); counters.pop(); if (!lists.length) { out.push(''); } break;
                case 'li': flush(); break;
                case 'td': case 'th': row?.push((cell ?? '').replace(/\|/g, '\\|').trim()); cell = undefined; break;
                case 'tr':
                    if (row) {
                        out.push(`| ${row.join(' | ')} |`);
                        if (tableRows++ === 0) {
                            out.push(`|${row.map(() => '---').join('|')}|`);
                        }
                    }
                    row = undefined;
                    break;
                case 'table': out.push(''); break;
                case 'strong': emit('**'); break;
                case 'em': emit('*'); break;
            }
        }
    }
    flush();
    return out.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

function decode(s: string): string {
    return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}
