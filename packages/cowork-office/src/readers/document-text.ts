/** What a reader found in a file: its text (Markdown-like where there is structure) and facts about it. */
export interface DocumentText {
    kind: string;
    text: string;
    /** Pages, slides, sheets, rows... whatever the format counts. */
    facts: Record<string, number | string>;
    /** Things the reader had to do or could not do (OCR used, text truncated...). */
    notes: string[];
}
