import JSZip from 'jszip';
import * as path from 'path';
import { OfficeError, messageOf } from '../office-error';
import { ooxmlProblem } from '../xlsx-load';
import type { DocumentText } from './document-text';

/** Slides' text in order, paragraph by paragraph, with each slide's speaker notes. */
export async function readPptx(file: string, bytes: Buffer): Promise<DocumentText> {
    const problem = ooxmlProblem(bytes, path.basename(file));
    if (problem) {
        throw new OfficeError(problem);
    }
    let zip: JSZip;
    try {
        zip = await JSZip.loadAsync(bytes);
    } catch (e) {
        throw new OfficeError(`${path.basename(file)} could not be opened as a presentation; it looks corrupt (${messageOf(e)})`);
    }
    const slides = Object.keys(zip.files)
        .map(n => /^ppt\/slides\/slide(\d+)\.xml$/.exec(n))
        .filter((m): m is RegExpExecArray => !!m)
        .sort((a, b) => +a[1] - +b[1]);
    if (slides.length === 0) {
        throw new OfficeError(`${path.basename(file)} has no slides (is it a presentation?)`);
    }
    const order = await slideOrder(zip);
    const ordered = order.length === slides.length ? order : slides.map(m => m[0]);
    const parts: string[] = [];
    for (const [i, name] of ordered.entries()) {
        const xml = await zip.file(name)?.async('string') ?? '';
        const paras = paragraphs(xml);
        parts.push(`## Slide ${i + 1}${paras[0] ? `: ${paras[0]}` : ''}\n${paras.slice(1).map(p => `- ${p}`).join('\n')}`);
        const notes = await notesOf(zip, name);
        if (notes) {
            parts.push(`Notes: ${notes}`);
        }
    }
    return { kind: 'pptx', text: parts.join('\n\n'), facts: { slides: ordered.length }, notes: [] };
}

/** Slide parts in presentation order (presentation.xml's sldIdLst through its relationships). */
async function slideOrder(zip: JSZip): Promise<string[]> {
    const pres = await zip.file('ppt/presentation.xml')?.async('string');
    const rels = await zip.file('ppt/_rels/presentation.xml.rels')?.async('string');
    if (!pres || !rels) {
        return [];
    }
    const targets = new Map([...rels.matchAll(/<Relationship [^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"/g)].map(m => [m[1], m[2]]));
    for (const m of rels.matchAll(/<Relationship [^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"/g)) {
        targets.set(m[2], m[1]);
    }
    return [...pres.matchAll(/<p:sldId [^>]*?r:id="([^"]+)"/g)]
        .map(m => targets.get(m[1]))
        .filter((t): t is string => !!t)
        .map(t => path.posix.normalize(path.posix.join('ppt', t.replace(/^\/ppt\//, ''))));
}

function paragraphs(xml: string): string[] {
    return [...xml.matchAll(/<a:p>([\s\S]*?)<\/a:p>|<a:p [^>]*>([\s\S]*?)<\/a:p>/g)]
        .map(m => [...(m[1] ?? m[2]).matchAll(/<a:t>([^<]*)<\/a:t>/g)].map(t => decode(t[1])).join(''))
        .map(t => t.trim())
        .filter(Boolean);
}

async function notesOf(zip: JSZip, slide: string): Promise<string> {
    const rels = await zip.file(slide.replace(/slides\/(slide\d+\.xml)$/, 'slides/_rels/$1.rels'))?.async('string');
    const target = rels && /Target="([^"]*notesSlide\d+\.xml)"/.exec(rels)?.[1];
    if (!target) {
        return '';
    }
    const xml = await zip.file(path.posix.normalize(path.posix.join(path.posix.dirname(slide), target)))?.async('string');
    // The notes page also holds the slide image and number placeholders; keep the body text only.
    return xml ? paragraphs(xml).filter(p => !/^\d+$/.test(p)).join(' ') : '';
}

function decode(s: string): string {
    return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}
