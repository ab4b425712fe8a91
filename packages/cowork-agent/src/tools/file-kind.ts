/** Recognises common binary formats by their first bytes, so Read can say what a file is instead of printing garbage. */
const MAGIC: { kind: string; bytes: number[]; offset?: number; hint?: string }[] = [
    { kind: 'PDF document', bytes: [0x25, 0x50, 0x44, 0x46], hint: 'use ReadDocument to get its text' },
    { kind: 'PNG image', bytes: [0x89, 0x50, 0x4e, 0x47] },
    { kind: 'JPEG image', bytes: [0xff, 0xd8, 0xff] },
    { kind: 'GIF image', bytes: [0x47, 0x49, 0x46, 0x38] },
    { kind: 'WebP image', bytes: [0x57, 0x45, 0x42, 0x50], offset: 8 },
    { kind: 'ZIP archive (or an Office file: docx/xlsx/pptx)', bytes: [0x50, 0x4b, 0x03, 0x04], hint: 'for Office files use ReadDocument' },
    { kind: 'legacy Office document (doc/xls/ppt) or encrypted Office file', bytes: [0xd0, 0xcf, 0x11, 0xe0] },
    { kind: 'gzip archive', bytes: [0x1f, 0x8b] },
    { kind: 'ELF executable', bytes: [0x7f, 0x45, 0x4c, 0x46] },
    { kind: 'SQLite database', bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65] }
];

export interface FileKind {
    binary: boolean;
    kind: string;
    hint?: string;
    imageMediaType?: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';
}

export function detectFileKind(head: Buffer): FileKind {
    for (const m of MAGIC) {
        const off = m.offset ?? 0;
        if (head.length >= off + m.bytes.length && m.bytes.every((b, i) => head[off + i] === b)) {
            return { binary: true, kind: m.kind, hint: m.hint, imageMediaType: imageType(m.kind) };
        }
    }
    // Text has no NUL bytes and few control characters.
    let controls = 0;
    for (const b of head) {
        if (b === 0) {
            return { binary: true, kind: 'binary data' };
        }
        if (b < 9 || (b > 13 && b < 32)) {
            controls++;
        }
    }
    if (head.length > 0 && controls / head.length > 0.1) {
        return { binary: true, kind: 'binary data' };
    }
    return { binary: false, kind: 'text' };
}

function imageType(kind: string): FileKind['imageMediaType'] {
    switch (kind) {
        case 'PNG image': return 'image/png';
        case 'JPEG image': return 'image/jpeg';
        case 'GIF image': return 'image/gif';
        case 'WebP image': return 'image/webp';
        default: return undefined;
    }
}

export function formatSize(bytes: number): string {
    if (bytes < 1024) {
        return `${bytes} B`;
    }
    const units = ['KiB', 'MiB', 'GiB', 'TiB'];
    let v = bytes / 1024;
    let i = 0;
    while (v >= 1024 && i < units.length - 1) {
        v /= 1024;
        i++;
    }
    return `${v.toFixed(1)} ${units[i]}`;
}
