// The HTML report's stylesheet, inlined into the page (no remote fonts or styles: it must work offline).

import { html, type Html } from './html-escape.ts';
import { COLORS } from './html-charts.ts';

export const REPORT_CSS: Html = html`
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #212121; }
body { margin: 0; background: #fafafa; }
main { max-width: 1000px; margin: 0 auto; padding: 0 16px 48px; }
.mono, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
pre { background: #f1f1f1; padding: 8px 10px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; font-size: 12px; border-radius: 4px; }
.banner { color: #fff; padding: 18px 24px; }
.banner.pass { background: ${COLORS.ok}; } .banner.fail { background: ${COLORS.fail}; } .banner.unknown { background: ${COLORS.indeterminate}; }
.banner p { margin: 4px 0; } .banner .verdict { font-size: 32px; font-weight: 700; letter-spacing: 1px; }
.banner .meta { opacity: .85; font-size: 13px; } .banner .partial { font-weight: 600; }
.banner .reasons { margin: 8px 0 0; padding-left: 20px; }
section { background: #fff; margin: 16px 0; padding: 8px 20px 16px; border-radius: 6px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
h2 { font-size: 20px; } h3 { font-size: 15px; margin: 18px 0 6px; color: #424242; }
table { border-collapse: collapse; width: 100%; margin: 10px 0; font-size: 13px; }
th { white-space: nowrap; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e0e0e0; vertical-align: top; overflow-wrap: anywhere; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.tiles { display: flex; flex-wrap: wrap; gap: 10px; margin: 10px 0; }
.tile { background: #f5f5f5; border-radius: 6px; padding: 8px 12px; min-width: 120px; }
.tile .label, p.label { display: block; font-size: 11px; text-transform: uppercase; color: #757575; margin-bottom: 2px; }
.tile .value { font-size: 18px; font-weight: 600; }
.badge { white-space: nowrap; display: inline-block; padding: 1px 6px; border-radius: 3px; color: #fff; font-size: 11px; font-weight: 700; }
.badge.pass { background: ${COLORS.ok}; } .badge.fail { background: ${COLORS.fail}; } .badge.unknown { background: ${COLORS.indeterminate}; } .badge.warn { background: #f9a825; }
.chart { width: 100%; height: auto; display: block; }
.chart .grid { stroke: #eee; } .chart .axis { stroke: #9e9e9e; } .chart .tick { font-size: 11px; fill: #616161; }
.chart .reference { stroke: #424242; stroke-dasharray: 4 3; }
.legend { font-size: 12px; color: #616161; } .sw { display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 10px; border-radius: 2px; }
.sw.ok { background: ${COLORS.ok}; } .sw.fail { background: ${COLORS.fail}; } .sw.indeterminate { background: ${COLORS.indeterminate}; }
.sw.sent, .sw.p50 { background: ${COLORS.sent}; } .sw.p99 { background: ${COLORS.p99}; } .sw.lag { background: ${COLORS.lag}; }
.empty { color: #757575; font-style: italic; }
.check { border-left: 4px solid #bdbdbd; padding: 2px 12px; margin: 12px 0; }
.check.fail { border-color: ${COLORS.fail}; } .check.unknown { border-color: ${COLORS.indeterminate}; } .check.warn { border-color: #f9a825; }
.check p { margin: 4px 0; } .level { font-size: 11px; color: #616161; } .ref { color: #757575; font-size: 12px; }
details { margin: 8px 0; } summary { cursor: pointer; font-weight: 600; }
.example p { margin: 8px 0 2px; }
`;
