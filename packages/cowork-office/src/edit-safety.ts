import JSZip from 'jszip';
import { OfficeError, messageOf } from './office-error';

/**
 * Parts of an xlsx that exceljs does not read back, so a load-edit-save through it would drop
 * them. Editing such a workbook is refused rather than silently losing the user's content.
 */
const DROPPED_BY_EXCELJS: [RegExp, string][] = [
    [/^xl\/comments\d*\.xml$/, 'cell comments'],
    [/^xl\/threadedComments\//, 'threaded comments'],
    [/^xl\/charts\//, 'charts'],
    [/^xl\/pivotTables\//, 'pivot tables'],
    [/^xl\/vbaProject\.bin$/, 'macros'],
    [/^xl\/externalLinks\//, 'links to other workbooks'],
    [/^xl\/slicers\//, 'slicers'],
    [/^xl\/ctrlProps\//, 'form controls']
];

/** What an edit through exceljs would lose, by name; empty when an edit is safe. */
export async function contentLostByEdit(bytes: Buffer): Promise<string[]> {
    let zip: JSZip;
    try {
        zip = await JSZip.loadAsync(bytes);
    } catch (e) {
        throw new OfficeError(`the existing workbook could not be opened; it looks corrupt (${messageOf(e)})`);
    }
    const found = new Set<string>();
    for (const name of Object.keys(zip.files)) {
        for (const [re, what] of DROPPED_BY_EXCELJS) {
            if (re.test(name)) {
                found.add(what);
            }
        }
    }
    return [...found];
}
