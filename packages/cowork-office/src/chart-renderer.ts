import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import { OfficeError, messageOf } from './office-error';

/** A chart as data: the simple form most charts need, or a full Vega-Lite spec. */
export interface ChartSpec {
    type?: 'bar' | 'line' | 'area' | 'pie' | 'scatter';
    title?: string;
    /** Rows of data, e.g. [{ "month": "Jan", "sales": 120, "region": "North" }]. */
    data?: Record<string, unknown>[];
    /** Field for the x axis (categories, or the slice label for a pie). */
    x?: string;
    /** Field for the y axis (the value, or the slice size for a pie). */
    y?: string;
    /** Optional field splitting the data into coloured series. */
    series?: string;
    xTitle?: string;
    yTitle?: string;
    width?: number;
    height?: number;
    /** A complete Vega-Lite spec, used as it is instead of the fields above. */
    vegaLite?: Record<string, unknown>;
}

const FONT = 'Liberation Sans';

/** Turns the simple form into Vega-Lite. */
export function toVegaLite(spec: ChartSpec): Record<string, unknown> {
    if (spec.vegaLite) {
        return { background: 'white', ...spec.vegaLite };
    }
    const type = spec.type ?? 'bar';
    if (!Array.isArray(spec.data) || spec.data.length === 0) {
        throw new OfficeError('A chart needs "data": a non-empty list of rows');
    }
    if (!spec.x || !spec.y) {
        throw new OfficeError('A chart needs "x" and "y": the field names to plot');
    }
    for (const f of [spec.x, spec.y, spec.series].filter(Boolean) as string[]) {
        if (!spec.data.some(r => r && typeof r === 'object' && f in r)) {
            throw new OfficeError(`The chart field "${f}" is in none of the data rows (fields: ${Object.keys(spec.data[0] ?? {}).join(', ')})`);
        }
    }
    const base: Record<string, unknown> = {
        $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
        background: 'white',
        width: spec.width ?? 560,
        height: spec.height ?? 320,
        padding: 12,
        title: spec.title ? { text: spec.title, fontSize: 16 } : undefined,
        data: { values: spec.data },
        config: { font: FONT, axis: { labelFontSize: 12, titleFontSize: 13 }, legend: { labelFontSize: 12 } }
    };
    if (type === 'pie') {
        return {
            ...base,
            mark: { type: 'arc', outerRadius: Math.min(spec.width ?? 560, spec.height ?? 320) / 2 - 10 },
            encoding: {
                theta: { field: spec.y, type: 'quantitative', stack: true },
                color: { field: spec.x, type: 'nominal', title: spec.xTitle ?? spec.x, sort: null }
            }
        };
    }
    const xType = type === 'scatter' ? 'quantitative' : isTemporal(spec.data, spec.x) ? 'temporal' : 'nominal';
    return {
        ...base,
        mark: { type: type === 'scatter' ? 'point' : type, ...(type === 'line' ? { point: true } : {}), tooltip: false },
        encoding: {
            x: { field: spec.x, type: xType, title: spec.xTitle ?? spec.x, ...(xType === 'nominal' ? { sort: null, axis: { labelAngle: -30 } } : {}) },
            y: { field: spec.y, type: 'quantitative', title: spec.yTitle ?? spec.y },
            ...(spec.series ? { color: { field: spec.series, type: 'nominal' } } : {}),
            ...(spec.series && type === 'bar' ? { xOffset: { field: spec.series } } : {})
        }
    };
}

function isTemporal(data: Record<string, unknown>[], field: string): boolean {
    return data.every(r => typeof r[field] === 'string' && /^\d{4}-\d{2}(-\d{2})?$/.test(r[field] as string));
}

/** Renders a chart to SVG offline (Vega's own SVG renderer, no browser). */
export async function renderChartSvg(spec: ChartSpec): Promise<string> {
    let compiled: vega.Spec;
    try {
        compiled = vegaLite.compile(toVegaLite(spec) as any).spec;
    } catch (e) {
        throw new OfficeError(`The chart spec is not valid Vega-Lite: ${messageOf(e)}`);
    }
    const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
    try {
        return await view.toSVG();
    } catch (e) {
        throw new OfficeError(`The chart could not be drawn: ${messageOf(e)}`);
    } finally {
        view.finalize();
    }
}

/** Renders a chart to PNG: Vega draws SVG, resvg rasterises it with the system fonts. */
export async function renderChartPng(spec: ChartSpec, scale = 2): Promise<{ png: Buffer; width: number; height: number }> {
    const svg = await renderChartSvg(spec);
    return svgToPng(svg, scale);
}

export function svgToPng(svg: string, scale = 2): { png: Buffer; width: number; height: number } {
    const resvg = new Resvg(svg, {
        fitTo: { mode: 'zoom', value: scale },
        background: 'white',
        font: { loadSystemFonts: true, defaultFontFamily: FONT, sansSerifFamily: FONT }
    });
    const img = resvg.render();
    return { png: Buffer.from(img.asPng()), width: img.width, height: img.height };
}
