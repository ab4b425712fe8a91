import PptxGenJS from 'pptxgenjs';
import type { BulletInput, DeckSpec, DeckSummary, NativeChartSpec, SlideSpec } from './deck-spec';
import { imageInfo } from './image-size';
import { OfficeError, messageOf } from './office-error';
import { fitParagraphs, LEVEL_INDENT, Paragraph, PARA_SPACE, splitParagraphs, wrapText, LINE_HEIGHT } from './text-fit';

export interface DeckBuildOptions {
    loadImage?: (path: string) => Promise<Buffer>;
}

/** Text box insets PowerPoint and LibreOffice apply by default: 0.1 in left/right, 0.05 in top/bottom. */
const INSET_X = 7.2;
const INSET_Y = 3.6;
const BODY = { max: 24, min: 14 };
const TITLE = { max: 32, min: 20 };

interface Geometry { w: number; h: number }

/**
 * Builds a .pptx where text fits its box: bullet text is measured with the real font and shrunk
 * (down to 14 pt), and what still does not fit continues on a following slide.
 */
export async function buildDeck(spec: DeckSpec, options: DeckBuildOptions = {}): Promise<{ bytes: Buffer; summary: DeckSummary }> {
    if (!spec || !Array.isArray(spec.slides) || spec.slides.length === 0) {
        throw new OfficeError('A deck needs "slides": a list with at least one slide');
    }
    const pptx = new PptxGenJS();
    pptx.layout = spec.aspect === '4x3' ? 'LAYOUT_4x3' : 'LAYOUT_16x9';
    const geo: Geometry = { w: 10, h: spec.aspect === '4x3' ? 7.5 : 5.625 };
    pptx.author = 'Cowork';
    if (spec.title) {
        pptx.title = spec.title;
    }
    const font = spec.font ?? 'Calibri';
    const accent = (spec.accent ?? '#1F4E79').replace('#', '');
    if (!/^[0-9a-fA-F]{6}$/.test(accent)) {
        throw new OfficeError(`accent "${spec.accent}" is not #RRGGBB`);
    }
    const b = new SlideBuilder(pptx, geo, font, accent, options);
    for (const [i, s] of spec.slides.entries()) {
        await b.add(s, `slides[${i}]`);
    }
    try {
        const bytes = await pptx.write({ outputType: 'nodebuffer' }) as Buffer;
        return { bytes: Buffer.from(bytes), summary: { slides: b.count, adjustments: b.adjustments } };
    } catch (e) {
        throw new OfficeError(`Could not write the deck: ${messageOf(e)}`);
    }
}

function paragraphsOf(items: BulletInput[], where: string): Paragraph[] {
    if (!Array.isArray(items)) {
        throw new OfficeError(`${where}: bullets must be a list`);
    }
    return items.map((it, i) => {
        if (typeof it === 'string') {
            return { text: it, level: 0 };
        }
        if (!it || typeof it.text !== 'string') {
            throw new OfficeError(`${where}[${i}]: a bullet is a string or {"text", "level"}`);
        }
        return { text: it.text, level: Math.min(4, Math.max(0, Math.round(it.level ?? 0))) };
    });
}

class SlideBuilder {
    count = 0;
    readonly adjustments: string[] = [];

    constructor(private readonly pptx: PptxGenJS, private readonly geo: Geometry, private readonly font: string,
        private readonly accent: string, private readonly options: DeckBuildOptions) { }

    async add(s: SlideSpec, where: string): Promise<void> {
        if (!s || typeof s !== 'object' || typeof (s as { title?: unknown }).title !== 'string') {
            throw new OfficeError(`${where}: a slide needs a "layout" and a "title"`);
        }
        switch (s.layout) {
            case 'title': return this.titleSlide(s.title, s.subtitle, s.notes, false, where);
            case 'section': return this.titleSlide(s.title, s.subtitle, s.notes, true, where);
            case 'content': return this.content(s.title, paragraphsOf(s.bullets, `${where}.bullets`), s.notes, where);
            case 'twoColumn': return this.twoColumn(s, where);
            case 'table': return this.table(s, where);
            case 'chart': return this.chart(s.title, s.chart, s.notes, where);
            case 'image': return this.image(s, where);
            default:
                throw new OfficeError(`${where}: unknown layout "${(s as { layout?: string }).layout}" (title, section, content, twoColumn, table, chart, image)`);
        }
    }

    private newSlide(notes: string | undefined): PptxGenJS.Slide {
        const slide = this.pptx.addSlide();
        this.count++;
        if (notes) {
            slide.addNotes(notes);
        }
        return slide;
    }

    /** Title box across the top; the title shrinks to fit two lines at most. */
    private addTitle(slide: PptxGenJS.Slide, title: string, where: string): void {
        const w = (this.geo.w - 1) * 72 - 2 * INSET_X;
        const h = 0.9 * 72 - 2 * INSET_Y;
        const fit = fitParagraphs([{ text: title, bold: true, level: -1 }], w + LEVEL_INDENT, h, TITLE.max, TITLE.min, this.font);
        if (fit.size < TITLE.max) {
            this.adjustments.push(`${where}: title shrunk to ${fit.size} pt`);
        }
        if (!fit.fits) {
            this.adjustments.push(`${where}: title is too long for two lines even at ${TITLE.min} pt; shorten it`);
        }
        slide.addText(title, { x: 0.5, y: 0.25, w: this.geo.w - 1, h: 0.9, fontFace: this.font, fontSize: fit.size, bold: true, color: this.accent, valign: 'middle', fit: 'shrink' });
    }

    private titleSlide(title: string, subtitle: string | undefined, notes: string | undefined, section: boolean, where: string): void {
        const slide = this.newSlide(notes);
        if (section) {
            slide.background = { color: this.accent };
        }
        const w = (this.geo.w - 1.5) * 72 - 2 * INSET_X;
        const fit = fitParagraphs([{ text: title, bold: true, level: -1 }], w + LEVEL_INDENT, 1.6 * 72 - 2 * INSET_Y, 40, 24, this.font);
        if (!fit.fits) {
            this.adjustments.push(`${where}: title is too long for the title slide even at 24 pt; shorten it`);
        }
        const mid = this.geo.h / 2;
        slide.addText(title, { x: 0.75, y: mid - 1.4, w: this.geo.w - 1.5, h: 1.6, fontFace: this.font, fontSize: fit.size, bold: true, align: 'center', valign: 'bottom', color: section ? 'FFFFFF' : this.accent });
        if (subtitle) {
            const sfit = fitParagraphs([{ text: subtitle, level: -1 }], w + LEVEL_INDENT, 1.0 * 72 - 2 * INSET_Y, 20, 12, this.font);
            slide.addText(subtitle, { x: 0.75, y: mid + 0.35, w: this.geo.w - 1.5, h: 1.0, fontFace: this.font, fontSize: sfit.size, align: 'center', valign: 'top', color: section ? 'E7E6E6' : '595959' });
        }
    }

    private bodyBox(): { x: number; y: number; w: number; h: number } {
        return { x: 0.5, y: 1.25, w: this.geo.w - 1, h: this.geo.h - 1.25 - 0.4 };
    }

    private content(title: string, paras: Paragraph[], notes: string | undefined, where: string): void {
        const box = this.bodyBox();
        const wPt = box.w * 72 - 2 * INSET_X;
        const hPt = box.h * 72 - 2 * INSET_Y;
        const fit = fitParagraphs(paras, wPt, hPt, BODY.max, BODY.min, this.font);
        const groups = fit.fits ? [paras] : splitParagraphs(paras, wPt, hPt, 18, this.font);
        const size = fit.fits ? fit.size : Math.min(18, ...groups.map(g => fitParagraphs(g, wPt, hPt, 18, BODY.min, this.font).size));
        if (!fit.fits) {
            this.adjustments.push(`${where}: too much text for one slide; continued over ${groups.length} slides at ${size} pt`);
        } else if (fit.size < BODY.max) {
            this.adjustments.push(`${where}: text shrunk to ${fit.size} pt to fit`);
        }
        groups.forEach((g, i) => {
            const slide = this.newSlide(i === 0 ? notes : undefined);
            this.addTitle(slide, i === 0 ? title : `${title} (cont.)`, where);
            slide.addText(this.bulletRuns(g, size), { ...box, fontFace: this.font, valign: 'top' });
        });
    }

    private bulletRuns(paras: Paragraph[], size: number): PptxGenJS.TextProps[] {
        return paras.map(p => ({
            text: p.text,
            options: { bullet: { indent: LEVEL_INDENT }, indentLevel: p.level ?? 0, fontSize: size, color: '262626', paraSpaceAfter: Math.round(size * PARA_SPACE), breakLine: true }
        }));
    }

    private twoColumn(s: Extract<SlideSpec, { layout: 'twoColumn' }>, where: string): void {
        const slide = this.newSlide(s.notes);
        this.addTitle(slide, s.title, where);
        const box = this.bodyBox();
        const colW = (box.w - 0.3) / 2;
        const sides: [string | undefined, BulletInput[], number][] = [[s.leftTitle, s.left, box.x], [s.rightTitle, s.right, box.x + colW + 0.3]];
        for (const [head, items, x] of sides) {
            let y = box.y;
            let h = box.h;
            if (head) {
                slide.addText(head, { x, y, w: colW, h: 0.45, fontFace: this.font, fontSize: 18, bold: true, color: this.accent });
                y += 0.5;
                h -= 0.5;
            }
            const paras = paragraphsOf(items, `${where}.${x === box.x ? 'left' : 'right'}`);
            const fit = fitParagraphs(paras, colW * 72 - 2 * INSET_X, h * 72 - 2 * INSET_Y, 20, 12, this.font);
            if (!fit.fits) {
                this.adjustments.push(`${where}: a column has more text than fits even at 12 pt; shorten it or use a content slide`);
            } else if (fit.size < 20) {
                this.adjustments.push(`${where}: column text shrunk to ${fit.size} pt`);
            }
            slide.addText(this.bulletRuns(paras, fit.size), { x, y, w: colW, h, fontFace: this.font, valign: 'top' });
        }
    }

    private table(s: Extract<SlideSpec, { layout: 'table' }>, where: string): void {
        if (!Array.isArray(s.rows)) {
            throw new OfficeError(`${where}: a table slide needs "rows"`);
        }
        const box = this.bodyBox();
        const cols = Math.max(s.header?.length ?? 0, ...s.rows.map(r => Array.isArray(r) ? r.length : 0));
        if (cols === 0) {
            throw new OfficeError(`${where}: the table is empty`);
        }
        const all = [...(s.header ? [s.header] : []), ...s.rows].map((r, i) => {
            if (!Array.isArray(r)) {
                throw new OfficeError(`${where}.rows[${i - (s.header ? 1 : 0)}] must be a list of cells`);
            }
            return [...r, ...Array(cols - r.length).fill('')].map(v => v === null || v === undefined ? '' : String(v));
        });
        const colWPt = (box.w * 72) / cols - 2 * INSET_X;
        const heightAt = (size: number, rows: string[][]) => rows.reduce((h, r) =>
            h + Math.max(...r.map(c => wrapText(c, colWPt, size, this.font).length)) * size * LINE_HEIGHT + 2 * INSET_Y + 2, 0);
        let size = 16;
        while (size > 10 && heightAt(size, all) > box.h * 72) {
            size--;
        }
        // Rows that do not fit even at 10 pt go on continuation slides, the header repeated.
        const header = s.header ? all.slice(0, 1) : [];
        const body = s.header ? all.slice(1) : all;
        const pages: string[][][] = [];
        let cur: string[][] = [];
        for (const r of body) {
            if (cur.length && heightAt(size, [...header, ...cur, r]) > box.h * 72) {
                pages.push(cur);
                cur = [];
            }
            cur.push(r);
        }
        pages.push(cur);
        if (pages.length > 1) {
            this.adjustments.push(`${where}: table continued over ${pages.length} slides`);
        } else if (size < 16) {
            this.adjustments.push(`${where}: table text at ${size} pt to fit`);
        }
        pages.forEach((rows, i) => {
            const slide = this.newSlide(i === 0 ? s.notes : undefined);
            this.addTitle(slide, i === 0 ? s.title : `${s.title} (cont.)`, where);
            const data: PptxGenJS.TableRow[] = [
                ...header.map(r => r.map(text => ({ text, options: { bold: true, color: 'FFFFFF', fill: { color: this.accent } } }))),
                ...rows.map(r => r.map(text => ({ text })))
            ];
            slide.addTable(data, { x: box.x, y: box.y, w: box.w, fontFace: this.font, fontSize: size, border: { type: 'solid', pt: 0.5, color: 'BFBFBF' }, valign: 'middle' });
        });
    }

    private chart(title: string, c: NativeChartSpec, notes: string | undefined, where: string): void {
        const data = chartData(c, where);
        const slide = this.newSlide(notes);
        this.addTitle(slide, title, where);
        const types: Record<string, PptxGenJS.CHART_NAME> = {
            bar: this.pptx.ChartType.bar, column: this.pptx.ChartType.bar, line: this.pptx.ChartType.line,
            pie: this.pptx.ChartType.pie, doughnut: this.pptx.ChartType.doughnut, area: this.pptx.ChartType.area, scatter: this.pptx.ChartType.scatter
        };
        const type = types[c.type];
        if (!type) {
            throw new OfficeError(`${where}.chart: type "${c.type}" is not one of ${Object.keys(types).join(', ')}`);
        }
        const box = this.bodyBox();
        slide.addChart(type, data, {
            ...box, barDir: c.type === 'bar' ? 'bar' : 'col', showLegend: data.length > 1 || c.type === 'pie' || c.type === 'doughnut', legendPos: 'b',
            chartColors: [this.accent, 'ED7D31', 'A5A5A5', 'FFC000', '5B9BD5', '70AD47'],
            showTitle: !!c.title, title: c.title, showValue: !!c.showValues, dataLabelFontSize: 11,
            catAxisLabelFontSize: 12, valAxisLabelFontSize: 12, legendFontSize: 12, titleFontSize: 16, catAxisLabelFontFace: this.font
        });
    }

    private async image(s: Extract<SlideSpec, { layout: 'image' }>, where: string): Promise<void> {
        if (!this.options.loadImage) {
            throw new OfficeError(`${where}: pictures cannot be loaded here`);
        }
        let bytes: Buffer;
        try {
            bytes = await this.options.loadImage(s.image);
        } catch (e) {
            throw new OfficeError(`${where}: cannot read the picture ${s.image}: ${messageOf(e)}`);
        }
        const info = imageInfo(bytes, `${where} (${s.image})`);
        const slide = this.newSlide(s.notes);
        this.addTitle(slide, s.title, where);
        const box = this.bodyBox();
        const capH = s.caption ? 0.4 : 0;
        const aspect = info.width / info.height;
        let w = box.w;
        let h = w / aspect;
        if (h > box.h - capH) {
            h = box.h - capH;
            w = h * aspect;
        }
        slide.addImage({ data: `image/${info.type === 'jpg' ? 'jpeg' : info.type};base64,${bytes.toString('base64')}`, x: box.x + (box.w - w) / 2, y: box.y, w, h });
        if (s.caption) {
            slide.addText(s.caption, { x: box.x, y: box.y + h + 0.05, w: box.w, h: 0.35, fontFace: this.font, fontSize: 12, italic: true, align: 'center', color: '595959' });
        }
    }
}

/** Categories and series for pptxgenjs, from either form of the chart spec. */
function chartData(c: NativeChartSpec, where: string): { name: string; labels: string[]; values: number[] }[] {
    if (!c || typeof c !== 'object') {
        throw new OfficeError(`${where}: "chart" is required`);
    }
    if (Array.isArray(c.series) && Array.isArray(c.categories)) {
        return c.series.map((s, i) => {
            if (!Array.isArray(s.values) || s.values.length !== c.categories!.length || s.values.some(v => typeof v !== 'number' || !Number.isFinite(v))) {
                throw new OfficeError(`${where}.chart.series[${i}]: "values" must be ${c.categories!.length} numbers, one per category`);
            }
            return { name: String(s.name ?? `Series ${i + 1}`), labels: c.categories!.map(String), values: s.values };
        });
    }
    if (Array.isArray(c.data) && c.x && c.y) {
        const labels = [...new Set(c.data.map(r => String(r[c.x!])))];
        const groups = c.seriesField ? [...new Set(c.data.map(r => String(r[c.seriesField!])))] : [c.y];
        return groups.map(g => ({
            name: g,
            labels,
            values: labels.map(l => c.data!.filter(r => String(r[c.x!]) === l && (!c.seriesField || String(r[c.seriesField]) === g))
                .reduce((sum, r) => sum + Number(r[c.y!] ?? 0), 0))
        }));
    }
    throw new OfficeError(`${where}.chart: give "categories" and "series", or "data" with "x" and "y"`);
}
