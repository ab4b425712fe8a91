/** Quotes one word for /bin/sh: single quotes, with embedded single quotes closed and escaped. */
export function shq(word: string): string {
    return `'${word.replace(/'/g, `'\\''`)}'`;
}
