import * as ExcelJS from 'exceljs';
import { OfficeError, messageOf } from './office-error';

/** OLE2 compound file: an encrypted OOXML package or a legacy binary (.xls/.doc/.ppt) file. */
const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP = Buffer.from([0x50, 0x4b]);

/**
 * Says why bytes that should be an OOXML package are not one, or undefined when they look fine.
 * Password-protected Office files are OLE2 containers holding an "EncryptedPackage" stream.
 */
export function ooxmlProblem(bytes: Buffer, what: string): string | undefined {
    if (bytes.length === 0) {
        return `${what} is empty (0 bytes)`;
    }
    if (bytes.subarray(0, 8).equals(OLE2)) {
        const encrypted = bytes.includes(Buffer.from('EncryptedPackage', 'utf16le'));
        return encrypted
            ? `${what} is password-protected (encrypted); it cannot be opened without the password. Ask the user for an unprotected copy`
            : `${what} is a legacy binary Office file (.xls/.doc/.ppt), not OOXML; convert it first (e.g. with LibreOffice) or ask for the modern format`;
    }
    if (!bytes.subarray(0, 2).equals(ZIP)) {
        return `${what} is not an Office Open XML file (it does not start like a zip package); it may be corrupt or another format`;
    }
    return undefined;
}

/** Loads an xlsx, turning every failure into a message that names the file and the cause. */
export async function loadWorkbook(bytes: Buffer, what: string): Promise<ExcelJS.Workbook> {
    const problem = ooxmlProblem(bytes, what);
    if (problem) {
        throw new OfficeError(problem);
    }
    const wb = new ExcelJS.Workbook();
    try {
        await wb.xlsx.load(bytes as any);
    } catch (e) {
        throw new OfficeError(`${what} could not be read as a workbook; it looks corrupt (${messageOf(e)})`);
    }
    return wb;
}
