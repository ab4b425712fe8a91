import type { ChartSpec } from './chart-renderer';

/** A run of text with its own style inside a paragraph. */
export interface RunSpec {
    text: string;
    bold?: boolean;
    italic?: boolean;
    underline?: boolean;
    code?: boolean;
    /** "#RRGGBB". */
    color?: string;
    /** Points. */
    size?: number;
    link?: string;
}

export interface ListItemSpec {
    text?: string;
    runs?: RunSpec[];
    /** A nested list under this item. */
    items?: (string | ListItemSpec)[];
    /** Whether the nested list is numbered (default: like its parent). */
    itemsOrdered?: boolean;
}

export type BlockSpec =
    | { type: 'heading'; level?: number; text: string }
    | { type: 'paragraph'; text?: string; runs?: RunSpec[]; align?: 'left' | 'center' | 'right' | 'justify' }
    | { type: 'list'; ordered?: boolean; items: (string | ListItemSpec)[] }
    | { type: 'table'; header?: string[]; rows: (string | number | null)[][]; widths?: number[]; caption?: string }
    | { type: 'image'; path: string; width?: number; caption?: string }
    | { type: 'chart'; chart: ChartSpec; width?: number; caption?: string }
    | { type: 'code'; text: string }
    | { type: 'quote'; text?: string; runs?: RunSpec[] }
    | { type: 'pageBreak' }
    | { type: 'toc'; title?: string };

export interface DocumentSpec {
    title?: string;
    /** The content as Markdown (headings, lists, tables, images, emphasis, links); or use `blocks`. */
    markdown?: string;
    blocks?: BlockSpec[];
    /** A table of contents after the title. */
    toc?: boolean;
    page?: { size?: 'A4' | 'Letter'; orientation?: 'portrait' | 'landscape'; marginsCm?: number };
    /** Text at the top of each page. */
    header?: string;
    /** Text at the bottom of each page; "{page}" and "{pages}" become page numbers. */
    footer?: string;
    /** Body font (default Calibri) and size in points (default 11). */
    font?: string;
    fontSize?: number;
}
