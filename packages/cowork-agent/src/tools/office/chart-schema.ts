/** The chart fields the Chart tool and chart blocks share. */
export const chartSchema = {
    type: 'object',
    description: 'A chart from data: type, data rows, x and y field names, optional series field; or a full Vega-Lite spec in "vegaLite"',
    properties: {
        type: { enum: ['bar', 'line', 'area', 'pie', 'scatter'] },
        title: { type: 'string' },
        data: { type: 'array', items: { type: 'object' }, description: 'Rows, e.g. [{"month":"2024-01","sales":120,"region":"North"}]' },
        x: { type: 'string', description: 'Field on the x axis (categories; dates as YYYY-MM or YYYY-MM-DD become a time axis; the slice label for pie)' },
        y: { type: 'string', description: 'Numeric field on the y axis (the slice size for pie)' },
        series: { type: 'string', description: 'Field splitting the data into coloured series' },
        xTitle: { type: 'string' },
        yTitle: { type: 'string' },
        width: { type: 'number', description: 'Plot width in pixels (default 560)' },
        height: { type: 'number', description: 'Plot height in pixels (default 320)' },
        vegaLite: { type: 'object', description: 'A complete Vega-Lite v5 spec used instead of the fields above' }
    },
    additionalProperties: false
} as const;
