import type { DeckSpec } from '@cowork/office';
import { officeLib } from './office-lib';
import type { Tool } from '../../tool';
import { writeUserFile } from '../write-user-file';
import { imageLoader } from './document-tool';
import { officeResult, requireExtension } from './office-files';

interface DeckInput extends DeckSpec {
    file_path: string;
}

const bullets = {
    type: 'array',
    items: { anyOf: [{ type: 'string' }, { type: 'object', properties: { text: { type: 'string' }, level: { type: 'integer', minimum: 0, maximum: 4 } }, required: ['text'], additionalProperties: false }] },
    description: 'Bullet points: strings, or {"text", "level"} for sub-points'
};

export const deckTool: Tool<DeckInput> = {
    name: 'Deck',
    description: 'Creates a PowerPoint deck (.pptx). Each slide has a "layout": "title" (title + subtitle), "section" (a divider), "content" '
        + '(title + bullets), "twoColumn" (left/right bullets with optional column titles), "table" (header + rows), "chart" (a native, editable '
        + 'chart: type bar/column/line/pie/doughnut/area/scatter with "categories" and "series" [{name, values}], or "data" rows with "x"/"y"), '
        + '"image" (a picture file, e.g. one made with Chart). Every slide takes speaker "notes". Text is measured with the real font and shrunk to '
        + 'fit its box; a content slide with too much text, or a table with too many rows, continues on extra slides titled "(cont.)" — the result '
        + 'says so, so keep slides short when the slide count matters. Titles are written exactly as given. After writing, call CheckOffice on '
        + 'the file to see the rendered slides. Replacing a file the task did not create asks the user.',
    inputSchema: {
        type: 'object',
        properties: {
            file_path: { type: 'string', description: 'Absolute path of the .pptx to write' },
            title: { type: 'string', description: 'Presentation title (file properties)' },
            aspect: { enum: ['16x9', '4x3'] },
            accent: { type: 'string', pattern: '^#?[0-9a-fA-F]{6}$', description: 'Accent colour for titles, section slides and charts' },
            font: { type: 'string', description: 'Font family (default Calibri)' },
            slides: {
                type: 'array', minItems: 1,
                items: {
                    type: 'object',
                    properties: {
                        layout: { enum: ['title', 'section', 'content', 'twoColumn', 'table', 'chart', 'image'] },
                        title: { type: 'string' },
                        subtitle: { type: 'string' },
                        bullets,
                        left: bullets,
                        right: bullets,
                        leftTitle: { type: 'string' },
                        rightTitle: { type: 'string' },
                        header: { type: 'array', items: { type: 'string' } },
                        rows: { type: 'array', items: { type: 'array', items: { type: ['string', 'number', 'null'] } } },
                        chart: {
                            type: 'object',
                            properties: {
                                type: { enum: ['bar', 'column', 'line', 'pie', 'doughnut', 'area', 'scatter'] },
                                categories: { type: 'array', items: { type: 'string' } },
                                series: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, values: { type: 'array', items: { type: 'number' } } }, required: ['name', 'values'], additionalProperties: false } },
                                data: { type: 'array', items: { type: 'object' } },
                                x: { type: 'string' }, y: { type: 'string' }, seriesField: { type: 'string' },
                                title: { type: 'string' }, showValues: { type: 'boolean' }
                            },
                            required: ['type'],
                            additionalProperties: false
                        },
                        image: { type: 'string', description: 'Picture file for an image slide' },
                        caption: { type: 'string' },
                        notes: { type: 'string', description: 'Speaker notes' }
                    },
                    required: ['layout', 'title'],
                    additionalProperties: false
                }
            }
        },
        required: ['file_path', 'slides'],
        additionalProperties: false
    },
    run: (input, ctx) => officeResult(async () => {
        const file = requireExtension(input.file_path, ['.pptx'], 'A deck');
        const { file_path: _ignored, ...spec } = input;
        const { bytes, summary } = await officeLib().buildDeck(spec, { loadImage: imageLoader(ctx, file) });
        const written = await writeUserFile(ctx, 'Deck', file, bytes);
        const adjusted = summary.adjustments.length ? `\nFitting: ${summary.adjustments.join('; ')}` : '';
        return { content: `${written.change === 'created' ? 'Created' : 'Replaced'} ${written.path}: ${summary.slides} slides (from ${spec.slides.length} in the spec).${adjusted}\nRun CheckOffice on it to see the rendered slides.` };
    })
};
