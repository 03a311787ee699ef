/**
 * The report's stylesheet, inlined into the page (the CSP allows inline styles only).
 *
 * Light and dark follow `prefers-color-scheme`; `@media print` drops colours that waste
 * ink, expands collapsed sections (Chromium's `::details-content`) and keeps findings
 * on one page where possible; below 720 px wide the layout becomes one column and wide
 * tables scroll sideways with the variable names kept in view.
 */
export const REPORT_CSS = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --border: #d1d9e0; --panel: #f6f8fa; --panel-2: #eef1f4;
  --accent: #0969da; --high: #cf222e; --high-bg: #ffebe9; --medium: #9a6700; --medium-bg: #fff8c5;
  --low: #0969da; --low-bg: #ddf4ff; --ok: #1a7f37; --ok-bg: #dafbe1; --warn-bg: #fff8c5;
  --mask-fg: #6e4b00; --mask-bg: #fff1c2; --mark: #8250df; --diff-bg: #fff8e6; --partial: #fff1c2;
  --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
  --sans: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --border: #3d444d; --panel: #151b23; --panel-2: #1c232c;
    --accent: #4493f8; --high: #f85149; --high-bg: #3c1618; --medium: #d29922; --medium-bg: #3a2d0a;
    --low: #4493f8; --low-bg: #0d2a4d; --ok: #3fb950; --ok-bg: #0f2e19; --warn-bg: #3a2d0a;
    --mask-fg: #f2cc60; --mask-bg: #3a2d0a; --mark: #c297ff; --diff-bg: #2a2412; --partial: #3a2d0a;
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.5 var(--sans); }
.page { max-width: 1200px; margin: 0 auto; padding: 24px 32px 48px; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
h1 { font-size: 24px; line-height: 1.25; margin: 4px 0 6px; overflow-wrap: anywhere; }
h2 { font-size: 19px; margin: 40px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--border); }
h2 .target { color: var(--muted); font-weight: 400; }
h3 { font-size: 15px; margin: 0; }
p { margin: 6px 0; }
code, pre, .mono { font-family: var(--mono); font-size: 12.5px; }
pre { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
.small { font-size: 12px; }

/* header */
.top { border-bottom: 1px solid var(--border); padding-bottom: 16px; }
.brand { font: 600 12px/1 var(--sans); letter-spacing: .08em; text-transform: uppercase; color: var(--muted); display: flex; align-items: center; gap: 8px; }
.brand .logo { display: inline-block; width: 18px; height: 18px; border-radius: 5px; background: linear-gradient(135deg, var(--accent), var(--ok)); }
.generated { color: var(--muted); margin: 0; }
.banner { margin: 14px 0 0; padding: 10px 14px; border-radius: 6px; border: 1px solid var(--border); }
.banner.redacted { background: var(--ok-bg); border-color: color-mix(in srgb, var(--ok) 40%, transparent); }
.banner.unredacted { background: var(--high-bg); border-color: var(--high); color: var(--fg); font-weight: 600; }
.toc { display: flex; flex-wrap: wrap; gap: 4px 16px; margin-top: 14px; font-size: 13px; }

/* summary */
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 16px; }
.card { border: 1px solid var(--border); border-radius: 8px; padding: 14px 16px; background: var(--bg); }
.card h3 { font-size: 16px; margin-bottom: 8px; overflow-wrap: anywhere; }
.cards.single .card-body { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.3fr); gap: 4px 28px; }
.cards.single .chips { margin-top: 0; }
.nowrap { white-space: nowrap; }
.kv { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0; }
.kv dt { color: var(--muted); }
.kv dd { margin: 0; overflow-wrap: anywhere; }
.chips { display: flex; flex-wrap: wrap; gap: 6px; margin: 10px 0 4px; padding: 0; list-style: none; }
.chip { display: inline-flex; align-items: baseline; gap: 6px; border: 1px solid var(--border); border-radius: 999px; padding: 1px 10px; font-size: 12px; background: var(--panel); }
.chip .dot { width: 8px; height: 8px; border-radius: 50%; display: inline-block; align-self: center; background: var(--muted); }
.chip.ok .dot { background: var(--ok); }
.chip.timeout .dot, .chip.error .dot { background: var(--high); }
.chip.unavailable { color: var(--muted); }
.tally { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-top: 10px; }
.headline { margin-top: 10px; padding: 10px 12px; border-radius: 6px; background: var(--panel); border-left: 4px solid var(--muted); }
.headline.sev-high { border-left-color: var(--high); }
.headline.sev-medium { border-left-color: var(--medium); }
.headline.sev-low { border-left-color: var(--low); }
.headline .label { font-size: 11px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); display: block; }
.all-good { color: var(--ok); font-weight: 600; }

/* badges */
.sev { display: inline-block; font: 600 11px/18px var(--sans); text-transform: uppercase; letter-spacing: .04em; padding: 0 8px; border-radius: 999px; white-space: nowrap; }
.sev.high { color: var(--high); background: var(--high-bg); }
.sev.medium { color: var(--medium); background: var(--medium-bg); }
.sev.low { color: var(--low); background: var(--low-bg); }
.tag { display: inline-block; font-size: 11px; line-height: 16px; padding: 0 6px; border-radius: 4px; border: 1px solid var(--border); color: var(--muted); margin-left: 6px; vertical-align: 1px; white-space: nowrap; }
.kind-missing { color: var(--high); border-color: color-mix(in srgb, var(--high) 40%, transparent); }
.kind-different { color: var(--medium); border-color: color-mix(in srgb, var(--medium) 40%, transparent); }

/* findings */
.finding { border: 1px solid var(--border); border-left: 4px solid var(--muted); border-radius: 8px; padding: 12px 16px; margin: 12px 0; break-inside: avoid; }
.finding.sev-high { border-left-color: var(--high); }
.finding.sev-medium { border-left-color: var(--medium); }
.finding.sev-low { border-left-color: var(--low); }
.finding > header { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin-bottom: 6px; }
.finding > header h3 { flex: 1 1 300px; overflow-wrap: anywhere; }
.fid { color: var(--muted); font-size: 11.5px; }
.cause { background: var(--panel); border-radius: 6px; padding: 6px 10px; }
.fix { margin-top: 10px; padding: 8px 12px; border-radius: 6px; background: var(--ok-bg); }
.fix pre { margin-top: 6px; padding: 6px 10px; border-radius: 6px; background: var(--bg); border: 1px solid var(--border); }
.fix code, .finding p code { white-space: nowrap; }
.more > summary { cursor: pointer; color: var(--accent); margin: 8px 0; }

/* tables */
.scroll { overflow-x: auto; border: 1px solid var(--border); border-radius: 8px; margin: 8px 0; }
table { border-collapse: separate; border-spacing: 0; width: 100%; font-size: 13px; }
th, td { text-align: left; vertical-align: top; padding: 6px 10px; border-bottom: 1px solid var(--border); }
tr:last-child > th, tr:last-child > td { border-bottom: 0; }
thead th { background: var(--panel); font-weight: 600; white-space: nowrap; }
thead th .sub { display: block; font-weight: 400; font-size: 11px; color: var(--muted); }
td.val, .val { font-family: var(--mono); font-size: 12.5px; overflow-wrap: break-word; word-break: normal; }
.matrix td { min-width: 170px; max-width: 340px; }
thead th .col-label { display: block; font-family: var(--mono); font-size: 12.5px; }
.evidence th .mono { white-space: nowrap; }
.note { display: block; margin-top: 2px; font-size: 11.5px; font-weight: 400; color: var(--muted); }
.matrix th[scope="row"] { position: sticky; left: 0; background: var(--bg); z-index: 1; min-width: 170px; max-width: 260px; overflow-wrap: anywhere; border-right: 1px solid var(--border); }
.matrix thead th:first-child { left: 0; z-index: 2; }
.matrix tr.important th[scope="row"] code { font-weight: 700; }
.evidence { margin-top: 8px; }
.evidence th { width: 30%; min-width: 140px; font-weight: 500; }
.src { display: block; margin-top: 2px; font: 11.5px/1.4 var(--mono); color: var(--muted); overflow-wrap: anywhere; }
.unset { color: var(--muted); font-style: italic; font-family: var(--sans); }
.na { color: var(--muted); font-style: italic; }
tr.differs > th[scope="row"] { box-shadow: inset 3px 0 0 var(--medium); }
tr.differs > td { background: var(--diff-bg); }
.entries { margin: 0; padding: 0 0 0 2.6em; }
.entries li { padding: 0 4px; border-radius: 3px; }
.entries li.partial { background: var(--partial); }
.entries li::marker { color: var(--muted); font-size: 11px; }
.counts { color: var(--muted); margin: 4px 0 8px; }
.dec-proxy { font-family: var(--mono); font-size: 12.5px; overflow-wrap: anywhere; }
.dec-direct { font-weight: 600; }
.legend { font-size: 12px; color: var(--muted); }
.legend .sw { display: inline-block; width: 10px; height: 10px; border-radius: 2px; vertical-align: -1px; margin-right: 4px; background: var(--partial); border: 1px solid var(--border); }

/* values */
.mask { color: var(--mask-fg); background: var(--mask-bg); border-radius: 3px; padding: 0 3px; white-space: nowrap; font-family: var(--mono); }
.mark { color: var(--mark); font-weight: 700; }

/* details */
details.env { border: 1px solid var(--border); border-radius: 8px; margin: 8px 0; }
details.env > summary { cursor: pointer; padding: 8px 12px; background: var(--panel); border-radius: 8px; font-weight: 600; }
details.env[open] > summary { border-bottom: 1px solid var(--border); border-radius: 8px 8px 0 0; }
details.env > summary .muted { font-weight: 400; }
details.env table { border: 0; }
details.env .stderr { padding: 10px 12px; background: var(--panel-2); }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }

footer { margin-top: 48px; padding-top: 12px; border-top: 1px solid var(--border); color: var(--muted); font-size: 12px; }

@media (max-width: 720px) {
  body { font-size: 15px; }
  .page { padding: 16px 14px 32px; }
  h1 { font-size: 20px; }
  h2 { font-size: 17px; margin-top: 32px; }
  .cards { grid-template-columns: 1fr; }
  .cards.single .card-body { grid-template-columns: 1fr; }
  .matrix th[scope="row"] { min-width: 120px; max-width: 160px; }
  th, td { padding: 6px 8px; }
  .kv, dl.meta { grid-template-columns: 1fr; }
  .kv dt, dl.meta dt { margin-top: 4px; }
}

@media print {
  :root { --bg: #fff; --fg: #000; --muted: #444; --border: #bbb; --panel: #f3f3f3; --panel-2: #f7f7f7; --diff-bg: #fff6dc; }
  body { font-size: 11px; }
  code, pre, .mono, td.val, .val, .dec-proxy, thead th .col-label { font-size: 9.5px; }
  .src { font-size: 9px; }
  .page { max-width: none; padding: 0; }
  .matrix td { min-width: 0; }
  .toc { display: none; }
  h2 { break-after: avoid; margin-top: 24px; }
  .scroll { overflow: visible; border: 0; }
  thead th { position: static; }
  .matrix th[scope="row"] { position: static; }
  details > summary { list-style: none; }
  details::details-content { content-visibility: visible; display: contents; }
  tr, .finding, .card { break-inside: avoid; }
  a { color: inherit; }
}
`;
