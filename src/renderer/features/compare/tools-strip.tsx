/**
 * "What the tools resolve": below the variables, the settings go, git, npm and pip
 * themselves resolve in each context (the snapshot's `contexts[id].tools`), in the same
 * columns as the grid, each value with where the tool took it from. Rows whose value or
 * origin differs across contexts are marked, and shown alone by default, as in the grid;
 * when nothing differs the strip starts folded to one line.
 */
import { useId, useMemo, useState } from 'react';
import { describeOrigin, diffToolSettings, type ToolColumn } from '../../../core/tool-diff';
import { visibleText } from '../../../core/visible-text';
import { TOOL_IDS, type ToolSetting, type ToolView } from '../../../shared/model';

/** One grid column with its tools, in the grid's order. */
export interface ToolsStripColumn extends ToolColumn {
  key: string;
}

export interface ToolsStripProps {
  columns: ToolsStripColumn[];
}

interface Row {
  id: string;
  tool: string;
  setting?: string;
  differs: boolean;
  cells: (ToolSetting | null | Pick<ToolView, 'status' | 'reason'> | undefined)[];
}

/** The rows: per tool, its status where it did not run somewhere, then its settings. */
function toolRows(columns: ToolsStripColumn[]): Row[] {
  const diffs = diffToolSettings(columns);
  const differing = new Set(diffs.map((d) => (d.kind === 'setting' ? `${d.tool}\0${d.setting}` : d.tool)));
  const rows: Row[] = [];
  for (const tool of TOOL_IDS) {
    const views = columns.map((c) => c.tools?.[tool]);
    if (views.every((v) => !v)) continue;
    if (views.some((v) => v && v.status !== 'ok')) {
      rows.push({ id: tool, tool, differs: differing.has(tool), cells: views.map((v) => (v ? { status: v.status, ...(v.reason ? { reason: v.reason } : {}) } : undefined)) });
    }
    const names = [...new Set(views.flatMap((v) => (v?.status === 'ok' ? Object.keys(v.settings ?? {}) : [])))].sort();
    for (const name of names) {
      rows.push({
        id: `${tool}.${name}`,
        tool,
        setting: name,
        differs: differing.has(`${tool}\0${name}`),
        cells: views.map((v) => (v?.status === 'ok' ? (v.settings?.[name] ?? null) : undefined)),
      });
    }
  }
  return rows;
}

/** The strip; renders nothing when no column has tool views (captured with --no-tools). */
export function ToolsStrip({ columns }: ToolsStripProps) {
  const rows = useMemo(() => toolRows(columns), [columns]);
  const differing = rows.filter((r) => r.differs).length;
  // Open when something differs; one line otherwise, so it never crowds the grid for nothing.
  const [open, setOpen] = useState(differing > 0);
  const [onlyDiff, setOnlyDiff] = useState(differing > 0);
  const bodyId = useId();
  if (!rows.length) return null;
  const shown = onlyDiff ? rows.filter((r) => r.differs) : rows;
  return (
    <section className="tools-strip" aria-label="What the tools resolve" data-testid="tools-strip">
      <div className="tools-strip-head">
        <button type="button" className="tools-strip-toggle" aria-expanded={open} aria-controls={bodyId} onClick={() => setOpen(!open)} data-testid="tools-strip-toggle">
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> What the tools resolve
        </button>
        <span className="tools-strip-count">
          {differing ? `${differing} ${differing === 1 ? 'setting differs' : 'settings differ'}` : 'the same in every context'} · go, git, npm and pip, run with each context's environment
        </span>
        {open && (
          <label className="tools-strip-only">
            <input type="checkbox" checked={onlyDiff} onChange={(e) => setOnlyDiff(e.target.checked)} data-testid="tools-only-diff" /> only differences
          </label>
        )}
      </div>
      {open && (
        <div className="tools-strip-body" id={bodyId} tabIndex={0}>
          <table className="tools-table" data-testid="tools-table">
            <thead>
              <tr>
                <th scope="col">setting</th>
                {columns.map((c) => (
                  <th key={c.key} scope="col">
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shown.map((row) => (
                <tr key={row.id} className={row.differs ? 'tools-row-differs' : undefined} data-testid={`tool-row-${row.id}`}>
                  <th scope="row">
                    {row.differs && <span className="kind-marker kind-different" aria-label="differs" />}
                    <span className="tools-tool">{row.tool}</span> {row.setting ?? ''}
                  </th>
                  {row.cells.map((cell, i) => (
                    <td key={columns[i]!.key} data-testid={`tool-cell-${row.id}-${columns[i]!.key}`}>
                      <Cell cell={cell} setting={row.setting} home={columns[i]!.home} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Cell({ cell, setting, home }: { cell: Row['cells'][number]; setting: string | undefined; home: string | undefined }) {
  if (cell === undefined) return <span className="tools-none">—</span>;
  if (cell === null) return <span className="tools-none">not set</span>;
  if ('status' in cell) {
    return (
      <span className={cell.status === 'ok' ? 'tools-ok' : 'tools-status'} title={cell.reason}>
        {cell.status === 'ok' ? 'runs' : cell.status}
      </span>
    );
  }
  return (
    <>
      <span className="tools-value">{cell.value === '' ? '(empty)' : visibleText(cell.value)}</span>
      <span className="tools-origin">{describeOrigin(cell, setting ?? '', home)}</span>
    </>
  );
}
