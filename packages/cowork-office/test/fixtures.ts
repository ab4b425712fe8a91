import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { svgToPng } from '../src/chart-renderer';
import { OfficeError } from '../src/office-error';

/** A temporary folder removed by cleanup(). */
export function tempDir(prefix = 'cowork-office-test-'): { dir: string; at(name: string): string; cleanup(): void } {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
    return { dir, at: name => path.join(dir, name), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function escapeXml(s: string): string {
    return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A receipt as a picture: black text in a real font (Liberation Mono) on white, rendered by
 * resvg, the way a scanned till receipt looks to OCR.
 */
export function receiptPng(lines: string[]): Buffer {
    const height = 60 + lines.length * 44;
    const text = lines.map((l, i) => `<text x="30" y="${60 + i * 44}" font-family="Liberation Mono" font-size="30" fill="#111">${escapeXml(l)}</text>`).join('');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="720" height="${height}"><rect width="100%" height="100%" fill="#fff"/>${text}</svg>`;
    return svgToPng(svg, 1).png;
}

/** Awaits a promise that must fail with an OfficeError whose message matches. */
export async function expectOfficeError(p: Promise<unknown>, pattern: RegExp): Promise<void> {
    try {
        await p;
    } catch (e) {
        expect(e).to.be.instanceOf(OfficeError);
        expect((e as Error).message).to.match(pattern);
        return;
    }
    expect.fail(`expected an OfficeError matching ${pattern}`);
}
