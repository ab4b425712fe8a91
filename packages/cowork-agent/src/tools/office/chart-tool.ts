import type { ChartSpec } from '@cowork/office';
import { officeLib } from './office-lib';
import * as path from 'path';
import type { Tool } from '../../tool';
import { writeUserFile } from '../write-user-file';
import { chartSchema } from './chart-schema';
import { officeResult, requireExtension } from './office-files';

interface ChartInput extends ChartSpec {
    file_path: string;
}

export const chartTool: Tool<ChartInput> = {
    name: 'Chart',
    description: 'Draws a chart from data as a picture file: .png (for people, documents and decks) or .svg (scalable). Give "type" (bar, line, '
        + 'area, pie, scatter), "data" rows, the "x" and "y" field names, and optionally "series" to colour groups, a title and axis titles; or a full '
        + 'Vega-Lite spec in "vegaLite". Rendered offline. The picture is returned to you so you can check it reads well. To put a chart in a Word '
        + 'document use a chart block of Document (or embed this file); decks have native charts (Deck, layout "chart").',
    inputSchema: {
        ...chartSchema,
        properties: { file_path: { type: 'string', description: 'Absolute path of the .png or .svg to write' }, ...chartSchema.properties },
        required: ['file_path']
    },
    run: (input, ctx) => officeResult(async () => {
        const file = requireExtension(input.file_path, ['.png', '.svg'], 'A chart');
        const { file_path: _ignored, ...spec } = input;
        if (path.extname(file).toLowerCase() === '.svg') {
            const svg = await officeLib().renderChartSvg(spec);
            const written = await writeUserFile(ctx, 'Chart', file, svg);
            return { content: `${written.change === 'created' ? 'Created' : 'Replaced'} ${written.path} (SVG, ${Buffer.byteLength(svg)} bytes)` };
        }
        const { png, width, height } = await officeLib().renderChartPng(spec);
        const written = await writeUserFile(ctx, 'Chart', file, png);
        return {
            content: [
                { type: 'text', text: `${written.change === 'created' ? 'Created' : 'Replaced'} ${written.path} (PNG, ${width}x${height} px). This is how it looks:` },
                { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png.toString('base64') } }
            ]
        };
    })
};
