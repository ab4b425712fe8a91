import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LibreOffice, sharedLibreOffice } from './libre-office';
import { OfficeError } from './office-error';
import { validateOoxml, OoxmlValidation } from './ooxml-validator';
import { linesOffPage, overlappingText, pdfInfo, pdfLayout, TextLine } from './pdf-layout';
import { runCommand } from './run-command';
import { errorCellsOf, ErrorCell, formulasOf, valueAt } from './workbook-inspect';
import { loadWorkbook, ooxmlProblem } from './xlsx-load';

export type OfficeKind = 'xlsx' | 'docx' | 'pptx';

export interface CheckOptions {
    /** Folder for the rendered PDF and PNG pages (a temporary folder by default). */
    outDir?: string;
    /** Render to PDF/PNG (default true). */
    render?: boolean;
    /** How many pages become PNG pictures (default 3; 0 for none). */
    pngPages?: number;
    /** PNG resolution in dots per inch (default 60). */
    dpi?: number;
    /** Run the OOXML schema validator (default true). */
    validate?: boolean;
    /** Workbook cells whose recalculated values to report, e.g. "Summary!B9". */
    values?: string[];
    libreOffice?: LibreOffice;
    signal?: AbortSignal;
}

export interface CheckReport {
    file: string;
    kind: OfficeKind;
    /** True when nothing below is a problem. */
    ok: boolean;
    problems: string[];
    workbook?: { sheets: string[]; formulas: number; errorCells: ErrorCell[]; values: Record<string, unknown> };
    render?: {
        pdf: string;
        pages: number;
        pageWidth: number;
        pageHeight: number;
        pngs: string[];
        offPage: TextLine[];
        overlaps: { page: number; a: string; b: string }[];
        text: string;
    };
    validation?: OoxmlValidation;
}

export function kindOf(file: string): OfficeKind {
    const ext = path.extname(file).toLowerCase().slice(1);
    if (ext === 'xlsx' || ext === 'xlsm' || ext === 'docx' || ext === 'pptx') {
        return (ext === 'xlsm' ? 'xlsx' : ext) as OfficeKind;
    }
    throw new OfficeError(`${path.basename(file)}: Check handles .xlsx, .docx and .pptx files, not "${ext || 'no extension'}"`);
}

/**
 * Checks office files with an engine other than the one that wrote them: LibreOffice
 * recalculates every formula and renders every page; poppler measures where the text landed;
 * the Open XML SDK validates the package. All files share one LibreOffice launch per step.
 */
export async function checkOfficeFiles(files: string[], options: CheckOptions = {}): Promise<CheckReport[]> {
    const lo = options.libreOffice ?? sharedLibreOffice();
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cowork-check-'));
    const outDir = options.outDir ?? path.join(work, 'out');
    fs.mkdirSync(outDir, { recursive: true });
    try {
        const reports: CheckReport[] = [];
        const staged: { report: CheckReport; copy: string }[] = [];
        for (const [i, file] of files.entries()) {
            const report: CheckReport = { file, kind: kindOf(file), ok: true, problems: [] };
            reports.push(report);
            let bytes: Buffer;
            try {
                bytes = fs.readFileSync(file);
            } catch (e) {
                report.problems.push(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
                continue;
            }
            const problem = ooxmlProblem(bytes, path.basename(file));
            if (problem) {
                report.problems.push(problem);
                continue;
            }
            // Unique names: one LibreOffice call converts all, and a.docx and a.pptx must not collide.
            const copy = path.join(work, `${i + 1}-${path.basename(file)}`);
            fs.writeFileSync(copy, bytes);
            staged.push({ report, copy });
        }
        // The schema validator is its own process: it runs while LibreOffice works.
        const validations = options.validate !== false ? staged.map(s => validateOoxml(s.copy)) : [];
        validations.forEach(v => v.catch(() => undefined));
        const books = staged.filter(s => s.report.kind === 'xlsx');
        if (books.length > 0) {
            await recalculate(lo, books, path.join(work, 'recalc'), options);
        }
        if (options.render !== false && staged.length > 0) {
            await render(lo, staged, outDir, options);
        }
        if (options.validate !== false) {
            for (const [i, s] of staged.entries()) {
                s.report.validation = await validations[i];
                for (const e of s.report.validation.errors.slice(0, 10)) {
                    s.report.problems.push(`schema: ${e.part}: ${e.description}`);
                }
                if (s.report.validation.errors.length > 10) {
                    s.report.problems.push(`schema: ${s.report.validation.errors.length - 10} more schema errors`);
                }
            }
        }
        for (const r of reports) {
            r.ok = r.problems.length === 0;
        }
        return reports;
    } finally {
        fs.rmSync(path.join(work, 'recalc'), { recursive: true, force: true });
        for (const f of fs.readdirSync(work)) {
            if (f !== 'out') {
                fs.rmSync(path.join(work, f), { recursive: true, force: true });
            }
        }
        if (options.outDir) {
            fs.rmSync(work, { recursive: true, force: true });
        }
    }
}

async function recalculate(lo: LibreOffice, books: { report: CheckReport; copy: string }[], dir: string, options: CheckOptions): Promise<void> {
    const outputs = await lo.convert(books.map(b => b.copy), 'xlsx', dir, options.signal);
    for (const [i, b] of books.entries()) {
        const original = await loadWorkbook(fs.readFileSync(b.copy), path.basename(b.report.file));
        const formulas = formulasOf(original);
        const recalculated = await loadWorkbook(fs.readFileSync(outputs[i]), `${path.basename(b.report.file)} as recalculated by LibreOffice`);
        const errorCells = errorCellsOf(recalculated).map(e => ({ ...e, formula: formulas.get(e.ref) }));
        const values: Record<string, unknown> = {};
        for (const ref of options.values ?? []) {
            values[ref] = valueAt(recalculated, ref);
        }
        const sheets: string[] = [];
        original.eachSheet(ws => sheets.push(ws.name));
        b.report.workbook = { sheets, formulas: formulas.size, errorCells, values };
        for (const e of errorCells.slice(0, 50)) {
            b.report.problems.push(`${e.ref} ${e.error}${e.formula ? ` (formula =${e.formula})` : ''}`);
        }
        if (errorCells.length > 50) {
            b.report.problems.push(`${errorCells.length - 50} more error cells`);
        }
    }
}

async function render(lo: LibreOffice, staged: { report: CheckReport; copy: string }[], outDir: string, options: CheckOptions): Promise<void> {
    const pdfs = await lo.convert(staged.map(s => s.copy), 'pdf', outDir, options.signal);
    for (const [i, s] of staged.entries()) {
        const pdf = pdfs[i];
        const info = await pdfInfo(pdf);
        const layout = await pdfLayout(pdf);
        const offPage = linesOffPage(layout);
        const overlaps = overlappingText(layout);
        const pngs = await rasterize(pdf, Math.min(options.pngPages ?? 3, info.pages), options.dpi ?? 60);
        const text = layout.map(p => p.lines.map(l => l.text).join('\n')).join('\n\f\n');
        s.report.render = { pdf, pages: info.pages, pageWidth: info.width, pageHeight: info.height, pngs, offPage, overlaps, text };
        for (const l of offPage.slice(0, 10)) {
            s.report.problems.push(`${pageWord(s.report.kind)} ${l.page}: text off the page: "${clip(l.text)}"`);
        }
        for (const o of overlaps.slice(0, 10)) {
            s.report.problems.push(`${pageWord(s.report.kind)} ${o.page}: text drawn over other text: "${clip(o.a)}"${o.a !== o.b ? ` and "${clip(o.b)}"` : ''}`);
        }
    }
}

function pageWord(kind: OfficeKind): string {
    return kind === 'pptx' ? 'slide' : 'page';
}

function clip(s: string): string {
    return s.length > 60 ? s.slice(0, 57) + '...' : s;
}

async function rasterize(pdf: string, pages: number, dpi: number): Promise<string[]> {
    if (pages <= 0) {
        return [];
    }
    const prefix = pdf.replace(/\.pdf$/, '');
    const res = await runCommand('pdftoppm', ['-r', String(dpi), '-png', '-f', '1', '-l', String(pages), pdf, prefix], { timeoutMs: 120_000 });
    if (res.code !== 0) {
        throw new OfficeError(`pdftoppm could not render ${path.basename(pdf)}: ${res.stderr.trim()}`);
    }
    const dir = path.dirname(pdf);
    const base = path.basename(prefix);
    return fs.readdirSync(dir)
        .filter(f => f.startsWith(base + '-') && f.endsWith('.png') && /^\d+$/.test(f.slice(base.length + 1, -4)))
        .sort((a, b) => +a.slice(base.length + 1, -4) - +b.slice(base.length + 1, -4))
        .map(f => path.join(dir, f));
}

/** The report as the text the model reads. */
export function formatCheckReport(r: CheckReport): string {
    const lines: string[] = [`${path.basename(r.file)}: ${r.ok ? 'OK' : `${r.problems.length} problem(s)`}`];
    if (r.workbook) {
        lines.push(`  sheets: ${r.workbook.sheets.join(', ')}; formulas: ${r.workbook.formulas}; error cells after LibreOffice recalculation: ${r.workbook.errorCells.length}`);
        for (const [ref, v] of Object.entries(r.workbook.values)) {
            lines.push(`  ${ref} = ${JSON.stringify(v)}`);
        }
    }
    if (r.render) {
        lines.push(`  rendered: ${r.render.pages} ${pageWord(r.kind)}(s), ${Math.round(r.render.pageWidth)}x${Math.round(r.render.pageHeight)} pt; text off the page: ${r.render.offPage.length}; overlapping text: ${r.render.overlaps.length}`);
        if (r.render.pngs.length) {
            lines.push(`  pictures: ${r.render.pngs.join(', ')}`);
        }
    }
    if (r.validation) {
        lines.push(r.validation.ran
            ? `  OOXML schema: ${r.validation.errors.length} error(s)${r.validation.allowed ? ` (+${r.validation.allowed} known library quirks ignored)` : ''}`
            : `  OOXML schema: not validated (${r.validation.note})`);
    }
    for (const p of r.problems) {
        lines.push(`  - ${p}`);
    }
    return lines.join('\n');
}
