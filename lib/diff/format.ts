import { DiffReport, FieldChange, FolderDiff, formatDiffPath, formatValue, objectTitle, ObjectChange, RISK_LABELS, RiskKind } from './model';

export type OutputFormat = 'text' | 'markdown' | 'json';

/** Field lines shown per object, and changed lines per multi-line value, before "... and N more". */
const MAX_FIELDS = 40;
const MAX_LINES = 20;
/** Longest value shown on a field line. */
const MAX_VALUE = 120;

const SIGN: Readonly<Record<ObjectChange['change'], string>> = { added: '+', removed: '-', changed: '~' };

/** A field change (path, old, new) made to at least this many objects of a folder is shown once for all of them. */
const SHARED_MIN_OBJECTS = 3;

/** What the text and markdown show of a folder: shared changes once, then each object with its own fields. */
interface FolderView {
  readonly shared: { readonly field: FieldChange; readonly count: number }[];
  readonly objects: { readonly object: ObjectChange; readonly fields: readonly FieldChange[] }[];
  /** Changed objects with nothing to show beyond the shared changes. */
  readonly onlyShared: ObjectChange[];
}

function folderView(folder: FolderDiff): FolderView {
  const key = (f: FieldChange) => JSON.stringify([formatDiffPath(f.path), f.before, f.after]);
  const counts = new Map<string, { field: FieldChange; count: number }>();
  for (const o of folder.objects) {
    for (const f of o.fields) {
      const entry = counts.get(key(f)) ?? { field: f, count: 0 };
      entry.count += 1;
      counts.set(key(f), entry);
    }
  }
  const shared = [...counts.values()].filter((e) => e.count >= SHARED_MIN_OBJECTS);
  const isShared = (f: FieldChange) => (counts.get(key(f))?.count ?? 0) >= SHARED_MIN_OBJECTS;
  const objects: FolderView['objects'] = [];
  const onlyShared: ObjectChange[] = [];
  for (const o of folder.objects) {
    const fields = o.fields.filter((f) => !isShared(f));
    if (o.change === 'changed' && fields.length === 0 && o.risks.length === 0 && o.notes.length === 0) onlyShared.push(o);
    else objects.push({ object: o, fields });
  }
  return { shared, objects, onlyShared };
}

export function formatReport(report: DiffReport, format: OutputFormat): string {
  if (format === 'json') return `${JSON.stringify(toJson(report), null, 2)}\n`;
  return format === 'markdown' ? markdown(report) : text(report);
}

/** `staging: 2 changed, 1 removed; rolls the pods, data at risk`. */
function summaryLine(folder: FolderDiff): string {
  const count = (change: ObjectChange['change']) => folder.objects.filter((o) => o.change === change).length;
  const parts = (['changed', 'added', 'removed'] as const).filter((c) => count(c) > 0).map((c) => `${count(c)} ${c}`);
  const risks = riskKinds(folder);
  const status = folder.status === 'changed' ? '' : ` (folder ${folder.status})`;
  return `${folder.folder}${status}: ${parts.join(', ')}${risks.length > 0 ? `; ${risks.map((k) => RISK_LABELS[k]).join(', ')}` : ''}`;
}

function riskKinds(folder: FolderDiff): RiskKind[] {
  const kinds = new Set(folder.objects.flatMap((o) => o.risks.map((r) => r.kind)));
  return (Object.keys(RISK_LABELS) as RiskKind[]).filter((k) => kinds.has(k));
}

function heading(report: DiffReport): string {
  return `${report.head}, against ${report.base}`;
}

function text(report: DiffReport): string {
  if (report.folders.length === 0) return `${heading(report)}: no change.\n`;
  const lines = [`${heading(report)}:`, ''];
  for (const folder of report.folders) {
    const view = folderView(folder);
    lines.push(summaryLine(folder));
    for (const note of folder.notes) lines.push(`  ! ${note}`);
    for (const { field, count } of view.shared) lines.push(`  on ${count} objects: ${fieldLines([field]).join(' ')}`);
    for (const { object: o, fields } of view.objects) {
      lines.push(`  ${SIGN[o.change]} ${objectTitle(o)}  (${o.file})`);
      for (const r of o.risks) lines.push(`      ! ${RISK_LABELS[r.kind]}: ${r.message}`);
      for (const n of o.notes) lines.push(`      note: ${n}`);
      if (o.prune) lines.push(`      Argo CD: ${o.prune}`);
      for (const f of fieldLines(fields)) lines.push(`      ${f}`);
    }
    if (view.onlyShared.length > 0) lines.push(`  ~ changed only as above: ${view.onlyShared.map(objectTitle).join(', ')}`);
    lines.push('');
  }
  if (report.unchanged.length > 0) lines.push(`unchanged: ${report.unchanged.join(', ')}`);
  return `${lines.join('\n').trimEnd()}\n`;
}

/** `path: old → new`, and the changed lines of multi-line values. */
function fieldLines(fields: readonly FieldChange[]): string[] {
  const lines: string[] = [];
  for (const f of fields.slice(0, MAX_FIELDS)) {
    const path = formatDiffPath(f.path) || '(object)';
    if (f.lines) {
      lines.push(`${path}: ${f.lines.removed.length} line(s) removed, ${f.lines.added.length} added`);
      const changed = [...f.lines.removed.map((l) => `  - ${l}`), ...f.lines.added.map((l) => `  + ${l}`)];
      lines.push(...changed.slice(0, MAX_LINES), ...(changed.length > MAX_LINES ? [`  ... and ${changed.length - MAX_LINES} more line(s)`] : []));
    } else if (f.before === undefined) {
      lines.push(`${path}: added ${formatValue(f.after, MAX_VALUE)}`);
    } else if (f.after === undefined) {
      lines.push(`${path}: removed (was ${formatValue(f.before, MAX_VALUE)})`);
    } else {
      lines.push(`${path}: ${formatValue(f.before, MAX_VALUE)} → ${formatValue(f.after, MAX_VALUE)}`);
    }
  }
  if (fields.length > MAX_FIELDS) lines.push(`... and ${fields.length - MAX_FIELDS} more field(s)`);
  return lines;
}

/** Markdown for a pull-request comment: a table of folders, then one collapsible section per folder. */
function markdown(report: DiffReport): string {
  const lines = ['### `npm run diff`', '', `${heading(report)}.`, ''];
  if (report.folders.length === 0) return `${[...lines, 'No change in dist/.'].join('\n')}\n`;
  lines.push('| folder | changed | added | removed | risks |', '| --- | ---: | ---: | ---: | --- |');
  for (const folder of report.folders) {
    const count = (change: ObjectChange['change']) => folder.objects.filter((o) => o.change === change).length;
    const risks = riskKinds(folder).map((k) => RISK_LABELS[k]).join(', ');
    lines.push(`| ${folder.folder}${folder.status === 'changed' ? '' : ` (${folder.status})`} | ${count('changed')} | ${count('added')} | ${count('removed')} | ${risks ? `⚠️ ${risks}` : ''} |`);
  }
  if (report.unchanged.length > 0) lines.push('', `Unchanged: ${report.unchanged.join(', ')}.`);
  for (const folder of report.folders) {
    lines.push('', `<details${riskKinds(folder).length > 0 ? ' open' : ''}><summary><b>${escapeHtml(summaryLine(folder))}</b></summary>`, '');
    const view = folderView(folder);
    for (const note of folder.notes) lines.push(`> ⚠️ ${note}`, '');
    if (view.shared.length > 0) {
      lines.push('Changed on several objects:', '');
      for (const { field, count } of view.shared) lines.push(...markdownField(field).map((l, i) => (i === 0 ? `${l} (${count} objects)` : l)));
      lines.push('');
    }
    for (const { object: o, fields } of view.objects) {
      lines.push(`**${o.change}: ${o.kind} ${code(`${o.namespace ? `${o.namespace}/` : ''}${o.name}`)}** (${code(o.file)})`, '');
      for (const r of o.risks) lines.push(`- ⚠️ **${RISK_LABELS[r.kind]}**: ${r.message}`);
      for (const n of o.notes) lines.push(`- ${n}`);
      if (o.prune) lines.push(`- Argo CD: ${o.prune}`);
      for (const f of fields.slice(0, MAX_FIELDS)) lines.push(...markdownField(f));
      if (fields.length > MAX_FIELDS) lines.push(`- ... and ${fields.length - MAX_FIELDS} more field(s)`);
      lines.push('');
    }
    if (view.onlyShared.length > 0) lines.push(`Changed only as above: ${view.onlyShared.map((o) => `${o.kind} ${code(o.name)}`).join(', ')}.`, '');
    lines.push('</details>');
  }
  return `${lines.join('\n')}\n`;
}

function markdownField(f: FieldChange): string[] {
  const path = code(formatDiffPath(f.path) || '(object)');
  if (f.lines) {
    const changed = [...f.lines.removed.map((l) => `- ${l}`), ...f.lines.added.map((l) => `+ ${l}`)];
    const shown = changed.slice(0, MAX_LINES).concat(changed.length > MAX_LINES ? [`  ... and ${changed.length - MAX_LINES} more line(s)`] : []);
    return [`- ${path}:`, '  ```diff', ...shown.map((l) => `  ${l.replace(/```/g, '`\u200b``')}`), '  ```'];
  }
  if (f.before === undefined) return [`- ${path}: added ${code(formatValue(f.after, MAX_VALUE))}`];
  if (f.after === undefined) return [`- ${path}: removed (was ${code(formatValue(f.before, MAX_VALUE))})`];
  return [`- ${path}: ${code(formatValue(f.before, MAX_VALUE))} → ${code(formatValue(f.after, MAX_VALUE))}`];
}

/** Inline code that survives backticks in the value. */
function code(value: string): string {
  return value.includes('`') ? `\`\` ${value} \`\`` : `\`${value}\``;
}

function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function toJson(report: DiffReport): unknown {
  return {
    base: report.base,
    head: report.head,
    folders: report.folders.map((folder) => ({
      folder: folder.folder,
      status: folder.status,
      summary: summaryLine(folder),
      notes: folder.notes,
      objects: folder.objects.map((o) => ({ ...o, fields: o.fields.map((f) => ({ ...f, path: formatDiffPath(f.path) })) })),
    })),
    unchanged: report.unchanged,
  };
}
