import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { injectable } from '@theia/core/shared/inversify';
import { checkOfficeFiles } from '@cowork/office/lib/src/office-check';
import { dataDir } from '@cowork/agent/lib/src/settings';
import type { OfficePreviewResult } from '../common/cowork-protocol';

const OFFICE = /\.(docx|xlsx|xlsm|pptx)$/i;
/** Pages pictured; a longer file says how many more there are and offers the PDF. */
const MAX_PAGES = 20;
const DPI = 80;

/**
 * Office files as rendered pages: LibreOffice (the office package's Check renderer) turns the file
 * into a PDF and PNG pictures of its pages. Renders are cached by path, size and modification time.
 */
@injectable()
export class OfficePreview {
    async render(file: string): Promise<OfficePreviewResult> {
        if (!OFFICE.test(file)) {
            throw new Error(`${path.basename(file)} is not a .docx, .xlsx or .pptx file`);
        }
        let stat: fs.Stats;
        try {
            stat = fs.statSync(file);
        } catch {
            throw new Error(`${file} does not exist`);
        }
        const key = crypto.createHash('sha256').update(`${file}\0${stat.size}\0${stat.mtimeMs}`).digest('hex').slice(0, 24);
        const outDir = path.join(dataDir(), 'previews', key);
        const index = path.join(outDir, 'preview.json');
        let rendered: { pdf: string; pageCount: number; pngs: string[] };
        if (fs.existsSync(index)) {
            rendered = JSON.parse(fs.readFileSync(index, 'utf8'));
        } else {
            const [report] = await checkOfficeFiles([file], { outDir, render: true, pngPages: MAX_PAGES, dpi: DPI, validate: false });
            const r = report?.render;
            if (!r || !fs.existsSync(r.pdf)) {
                throw new Error(`LibreOffice could not render ${path.basename(file)}: ${report?.problems.join('; ') || 'no pages came out'}`);
            }
            rendered = { pdf: r.pdf, pageCount: r.pages, pngs: r.pngs };
            fs.writeFileSync(index, JSON.stringify(rendered));
        }
        return {
            file, pdf: rendered.pdf, pageCount: rendered.pageCount,
            pages: rendered.pngs.map(p => `data:image/png;base64,${fs.readFileSync(p).toString('base64')}`)
        };
    }
}
