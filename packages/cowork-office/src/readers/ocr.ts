import { OfficeError } from '../office-error';
import { runCommand } from '../run-command';

/**
 * Text from a picture with Tesseract (Debian's tesseract-ocr, offline). Page segmentation mode 4
 * (a single column of text of variable sizes) reads receipts and forms better than the default.
 */
export async function ocrImage(file: string, signal?: AbortSignal): Promise<string> {
    const res = await runCommand('tesseract', [file, '-', '-l', 'eng', '--psm', '4'], { timeoutMs: 120_000, signal, env: { ...process.env, OMP_THREAD_LIMIT: '1' } });
    if (res.code !== 0) {
        const why = res.stderr.split('\n').find(l => /error|cannot|unable/i.test(l)) ?? res.stderr.trim().split('\n').pop() ?? `exit code ${res.code}`;
        throw new OfficeError(`OCR could not read ${file}: ${why}`);
    }
    return res.stdout.toString('utf8').replace(/\f/g, '').replace(/\n{3,}/g, '\n\n').trim();
}
