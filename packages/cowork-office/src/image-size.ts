import { OfficeError } from './office-error';

export type ImageType = 'png' | 'jpg' | 'gif';

/** Pixel size and type of a PNG, JPEG or GIF, read from its header. */
export function imageInfo(bytes: Buffer, what: string): { type: ImageType; width: number; height: number } {
    if (bytes.length > 24 && bytes.readUInt32BE(0) === 0x89504e47) {
        return { type: 'png', width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
    }
    if (bytes.length > 10 && bytes.toString('ascii', 0, 3) === 'GIF') {
        return { type: 'gif', width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
    }
    if (bytes.length > 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
        let i = 2;
        while (i + 9 < bytes.length) {
            if (bytes[i] !== 0xff) {
                i++;
                continue;
            }
            const marker = bytes[i + 1];
            const len = bytes.readUInt16BE(i + 2);
            // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
            if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
                return { type: 'jpg', height: bytes.readUInt16BE(i + 5), width: bytes.readUInt16BE(i + 7) };
            }
            i += 2 + len;
        }
    }
    throw new OfficeError(`${what} is not a PNG, JPEG or GIF picture`);
}

/** Fits a picture into a box keeping its proportions; never enlarges past `maxWidth`. */
export function fitInto(width: number, height: number, maxWidth: number, maxHeight = Infinity): { width: number; height: number } {
    const scale = Math.min(1, maxWidth / width, maxHeight / height);
    return { width: Math.round(width * scale), height: Math.round(height * scale) };
}
