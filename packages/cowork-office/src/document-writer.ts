import {
    AlignmentType, Document, ExternalHyperlink, Footer, Header, HeadingLevel, ImageRun, LevelFormat, Packer, PageNumber,
    PageOrientation, Paragraph, ParagraphChild, ShadingType, Table, TableCell, TableOfContents, TableRow, TextRun, WidthType
} from 'docx';
import { renderChartPng } from './chart-renderer';
import type { BlockSpec, DocumentSpec, ListItemSpec, RunSpec } from './document-spec';
import { fitInto, imageInfo } from './image-size';
import { markdownToBlocks } from './markdown-blocks';
import { OfficeError, messageOf } from './office-error';

export interface DocumentBuildOptions {
    /** Reads a picture the document names (the caller checks where it may read from). */
    loadImage?: (path: string) => Promise<Buffer>;
}

const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4, HeadingLevel.HEADING_5, HeadingLevel.HEADING_6];
const CM = 567;
/** Text width of the page in pixels (96 per inch), for sizing pictures. */
function textWidthPx(spec: DocumentSpec): number {
    const size = spec.page?.size === 'Letter' ? { w: 21.59, h: 27.94 } : { w: 21.0, h: 29.7 };
    const width = spec.page?.orientation === 'landscape' ? size.h : size.w;
    return Math.floor(((width - 2 * (spec.page?.marginsCm ?? 2.5)) / 2.54) * 96);
}

/** Builds a .docx from blocks or Markdown; returns its bytes and what it holds. */
export async function buildDocument(spec: DocumentSpec, options: DocumentBuildOptions = {}): Promise<{ bytes: Buffer; summary: { headings: number; tables: number; images: number; paragraphs: number } }> {
    if (!spec || (spec.markdown === undefined && !Array.isArray(spec.blocks))) {
        throw new OfficeError('A document needs "markdown" (text) or "blocks" (a list)');
    }
    const blocks = [...(spec.markdown !== undefined ? markdownToBlocks(String(spec.markdown)) : []), ...(spec.blocks ?? [])];
    const ctx = new BuildContext(spec, options);
    const children: (Paragraph | Table | TableOfContents)[] = [];
    if (spec.title) {
        children.push(new Paragraph({ text: spec.title, heading: HeadingLevel.TITLE }));
    }
    if (spec.toc) {
        children.push(...tocOf('Contents'));
    }
    for (const [i, b] of blocks.entries()) {
        children.push(...await ctx.block(b, `blocks[${i}]`));
    }
    const size = spec.page?.size === 'Letter' ? { width: 12240, height: 15840 } : { width: 11906, height: 16838 };
    const margin = Math.round((spec.page?.marginsCm ?? 2.5) * CM);
    const doc = new Document({
        creator: 'Cowork',
        title: spec.title,
        features: spec.toc || blocks.some(b => b.type === 'toc') ? { updateFields: true } : undefined,
        styles: { default: { document: { run: { font: spec.font ?? 'Calibri', size: Math.round((spec.fontSize ?? 11) * 2) }, paragraph: { spacing: { after: 120 } } } } },
        numbering: { config: [{ reference: 'ordered', levels: [0, 1, 2, 3].map(level => ({
            level, format: LevelFormat.DECIMAL, text: `%${level + 1}.`, alignment: AlignmentType.START,
            style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } }
        })) }] },
        sections: [{
            properties: { page: {
                size: { ...size, orientation: spec.page?.orientation === 'landscape' ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT },
                margin: { top: margin, bottom: margin, left: margin, right: margin }
            } },
            headers: spec.header ? { default: new Header({ children: [new Paragraph({ children: [new TextRun({ text: spec.header, color: '666666', size: 18 })], alignment: AlignmentType.RIGHT })] }) } : undefined,
            footers: spec.footer ? { default: new Footer({ children: [new Paragraph({ children: footerRuns(spec.footer), alignment: AlignmentType.CENTER })] }) } : undefined,
            children
        }]
    });
    try {
        const bytes = await Packer.toBuffer(doc);
        return { bytes: Buffer.from(bytes), summary: ctx.summary(blocks) };
    } catch (e) {
        throw new OfficeError(`Could not write the document: ${messageOf(e)}`);
    }
}

function tocOf(title: string): (Paragraph | TableOfContents)[] {
    return [
        // Not a heading style: the contents must not list themselves.
        new Paragraph({ children: [new TextRun({ text: title, bold: true, size: 32, color: '2F5496' })], spacing: { after: 200 } }),
        new TableOfContents(title, { hyperlink: true, headingStyleRange: '1-3' }),
        new Paragraph({ text: '', pageBreakBefore: true })
    ];
}

function footerRuns(text: string): TextRun[] {
    const parts = text.split(/(\{page\}|\{pages\})/);
    return [new TextRun({
        size: 18, color: '666666',
        children: parts.filter(Boolean).map(p => p === '{page}' ? PageNumber.CURRENT : p === '{pages}' ? PageNumber.TOTAL_PAGES : p)
    })];
}

class BuildContext {
    private listInstance = 0;
    private images = 0;

    constructor(private readonly spec: DocumentSpec, private readonly options: DocumentBuildOptions) { }

    summary(blocks: BlockSpec[]): { headings: number; tables: number; images: number; paragraphs: number } {
        return {
            headings: blocks.filter(b => b.type === 'heading').length,
            tables: blocks.filter(b => b.type === 'table').length,
            images: this.images,
            paragraphs: blocks.filter(b => b.type === 'paragraph').length
        };
    }

    async block(b: BlockSpec, where: string): Promise<(Paragraph | Table | TableOfContents)[]> {
        if (!b || typeof b !== 'object') {
            throw new OfficeError(`${where}: a block is an object with a "type"`);
        }
        switch (b.type) {
            case 'heading': {
                const level = Math.min(6, Math.max(1, Math.round(b.level ?? 1)));
                return [new Paragraph({ text: requireText(b.text, where), heading: HEADINGS[level - 1] })];
            }
            case 'paragraph':
                return [new Paragraph({ children: runs(b.runs ?? [{ text: requireText(b.text, where) }]), alignment: align(b.align) })];
            case 'quote':
                return [new Paragraph({ children: runs((b.runs ?? [{ text: b.text ?? '' }]).map(r => ({ ...r, italic: true }))), indent: { left: 720 } })];
            case 'code':
                return String(b.text ?? '').split('\n').map(line => new Paragraph({
                    children: [new TextRun({ text: line || ' ', font: 'Liberation Mono', size: 18 })],
                    shading: { type: ShadingType.CLEAR, fill: 'F2F2F2', color: 'auto' }, spacing: { after: 0 }
                }));
            case 'list':
                if (!Array.isArray(b.items)) {
                    throw new OfficeError(`${where}: a list needs "items"`);
                }
                return this.list(b.items, !!b.ordered, 0, b.ordered ? ++this.listInstance : 0);
            case 'table':
                return [table(b, where)];
            case 'image':
                return this.image(b.path, b.width, b.caption, where);
            case 'chart': {
                const { png } = await renderChartPng(b.chart ?? {}).catch(e => { throw new OfficeError(`${where}: ${messageOf(e)}`); });
                return this.picture(png, b.width, b.caption, where);
            }
            case 'pageBreak':
                return [new Paragraph({ text: '', pageBreakBefore: true })];
            case 'toc':
                return tocOf(b.title ?? 'Contents');
            default:
                throw new OfficeError(`${where}: unknown block type "${(b as { type?: string }).type}" (heading, paragraph, list, table, image, chart, code, quote, pageBreak, toc)`);
        }
    }

    private list(items: (string | ListItemSpec)[], ordered: boolean, level: number, instance: number): Paragraph[] {
        const out: Paragraph[] = [];
        for (const item of items) {
            const it: ListItemSpec = typeof item === 'string' ? { text: item } : item;
            out.push(new Paragraph({
                children: runs(it.runs ?? [{ text: it.text ?? '' }]),
                ...(ordered ? { numbering: { reference: 'ordered', level, instance } } : { bullet: { level } })
            }));
            if (it.items?.length) {
                const nestedOrdered = it.itemsOrdered ?? ordered;
                const nestedInstance = nestedOrdered === ordered ? instance : nestedOrdered ? ++this.listInstance : 0;
                out.push(...this.list(it.items, nestedOrdered, Math.min(level + 1, 3), nestedInstance));
            }
        }
        return out;
    }

    private async image(p: string, width: number | undefined, caption: string | undefined, where: string): Promise<Paragraph[]> {
        if (!this.options.loadImage) {
            throw new OfficeError(`${where}: pictures cannot be loaded here`);
        }
        let bytes: Buffer;
        try {
            bytes = await this.options.loadImage(p);
        } catch (e) {
            throw new OfficeError(`${where}: cannot read the picture ${p}: ${messageOf(e)}`);
        }
        return this.picture(bytes, width, caption, `${where} (${p})`);
    }

    private picture(bytes: Buffer, width: number | undefined, caption: string | undefined, where: string): Paragraph[] {
        const info = imageInfo(bytes, where);
        const size = fitInto(info.width, info.height, Math.min(width ?? Infinity, textWidthPx(this.spec)), 800);
        this.images++;
        const out = [new Paragraph({
            alignment: AlignmentType.CENTER,
            children: [new ImageRun({ type: info.type, data: bytes, transformation: size, altText: caption ? { name: caption, description: caption, title: caption } : undefined })]
        })];
        if (caption) {
            out.push(new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: caption, italics: true, size: 18 })] }));
        }
        return out;
    }
}

function requireText(text: unknown, where: string): string {
    if (typeof text !== 'string') {
        throw new OfficeError(`${where}: "text" is required`);
    }
    return text;
}

function align(a: string | undefined): (typeof AlignmentType)[keyof typeof AlignmentType] | undefined {
    return a === 'center' ? AlignmentType.CENTER : a === 'right' ? AlignmentType.RIGHT : a === 'justify' ? AlignmentType.JUSTIFIED : undefined;
}

function runs(specs: RunSpec[]): ParagraphChild[] {
    return specs.flatMap((r): ParagraphChild[] => {
        const parts = String(r.text ?? '').split('\n');
        const textRuns = parts.map((t, i) => new TextRun({
            text: t, break: i > 0 ? 1 : undefined, bold: r.bold, italics: r.italic, underline: r.underline || r.link ? {} : undefined,
            color: r.color?.replace('#', '') ?? (r.link ? '0563C1' : undefined), size: r.size ? Math.round(r.size * 2) : undefined,
            font: r.code ? 'Liberation Mono' : undefined
        }));
        return r.link ? [new ExternalHyperlink({ link: r.link, children: textRuns })] : textRuns;
    });
}

function table(b: Extract<BlockSpec, { type: 'table' }>, where: string): Table {
    if (!Array.isArray(b.rows)) {
        throw new OfficeError(`${where}: a table needs "rows"`);
    }
    const width = Math.max(b.header?.length ?? 0, ...b.rows.map(r => Array.isArray(r) ? r.length : 0));
    if (width === 0) {
        throw new OfficeError(`${where}: the table is empty`);
    }
    const cell = (v: unknown, header: boolean) => new TableCell({
        children: [new Paragraph({ children: [new TextRun({ text: v === null || v === undefined ? '' : String(v), bold: header })] })],
        shading: header ? { type: ShadingType.CLEAR, fill: 'D9E2F3', color: 'auto' } : undefined
    });
    const pad = (r: unknown[]) => [...r, ...Array(width - r.length).fill('')];
    const rows = [
        ...(b.header ? [new TableRow({ tableHeader: true, children: pad(b.header).map(v => cell(v, true)) })] : []),
        ...b.rows.map((r, i) => {
            if (!Array.isArray(r)) {
                throw new OfficeError(`${where}.rows[${i}] must be a list of cells`);
            }
            return new TableRow({ children: pad(r).map(v => cell(v, false)) });
        })
    ];
    const widths = b.widths?.length === width ? b.widths : undefined;
    return new Table({
        rows,
        width: { size: 100, type: WidthType.PERCENTAGE },
        ...(widths ? { columnWidths: widths.map(w => Math.round(w * CM)) } : {})
    });
}
