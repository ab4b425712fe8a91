import type { ChartSpec } from './chart-renderer';

export type BulletInput = string | { text: string; level?: number };

/** A native (editable) chart: categories and one or more series of numbers. */
export interface NativeChartSpec {
    type: 'bar' | 'column' | 'line' | 'pie' | 'doughnut' | 'area' | 'scatter';
    categories?: string[];
    series?: { name: string; values: number[] }[];
    /** Alternatively, rows and field names as for a chart picture. */
    data?: ChartSpec['data'];
    x?: string;
    y?: string;
    seriesField?: string;
    title?: string;
    showValues?: boolean;
}

export type SlideSpec =
    | { layout: 'title'; title: string; subtitle?: string; notes?: string }
    | { layout: 'section'; title: string; subtitle?: string; notes?: string }
    | { layout: 'content'; title: string; bullets: BulletInput[]; notes?: string }
    | { layout: 'twoColumn'; title: string; left: BulletInput[]; right: BulletInput[]; leftTitle?: string; rightTitle?: string; notes?: string }
    | { layout: 'table'; title: string; header?: string[]; rows: (string | number | null)[][]; notes?: string }
    | { layout: 'chart'; title: string; chart: NativeChartSpec; notes?: string }
    | { layout: 'image'; title: string; image: string; caption?: string; notes?: string };

export interface DeckSpec {
    title?: string;
    /** "16x9" (default, 10 × 5.625 in) or "4x3" (10 × 7.5 in). */
    aspect?: '16x9' | '4x3';
    /** Accent colour "#RRGGBB" for titles and section slides. */
    accent?: string;
    font?: string;
    slides: SlideSpec[];
}

export interface DeckSummary {
    slides: number;
    /** What the fitting did: shrunk fonts, slides split to avoid overflow. */
    adjustments: string[];
}
