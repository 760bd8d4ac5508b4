// The activity page: cases per UTC day over the last 30 days stacked by action, and cases per
// moderator (the ten busiest, then "others") stacked the same way, drawn as inline SVG (no script:
// the CSP allows none) from charts.ts's geometry. Each chart is an image with a title naming its
// totals, every segment carries a <title> with its number, and the same numbers follow in a table
// for screen readers and for reading. Names and ids are untrusted text and go through the `html`
// template's escaping, in the SVG as everywhere. Pure rendering of plain data.
import { html } from 'hono/html';
import { type CaseAction, caseActions } from '../../../shared/actions.ts';
import type { DashboardGuild } from '../context.ts';
import type { Activity } from './activity-data.ts';
import { ACTIVITY_DAYS, OTHERS_KEY, type Stack } from './activity-series.ts';
import { actionColours, type ChartGeometry, stackedBars } from './charts.ts';
import { actionTitle } from './format.ts';
import { guildNav, type Html, type LayoutUser, layout } from './layout.ts';
import { displayName, memberHref, type UserNames } from './user-label.ts';

export interface ActivityPageData extends Activity {
  guild: Pick<DashboardGuild, 'id' | 'name' | 'permissions'>;
}

const MUTED = '#b5bac1';
const GRID = '#3f4147';
const WIDTH = 720;
/** Room for the value labels left of the day chart, and the day labels under it. */
const DAY_CHART = { left: 36, top: 8, plotWidth: WIDTH - 36 - 8, plotHeight: 200, bottom: 28 };
/** Room for the moderator labels, one row per moderator. */
const MOD_CHART = { left: 200, top: 8, plotWidth: WIDTH - 200 - 40, row: 26, bottom: 22 };
const LABEL_CHARS = 26;

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
const breakdown = (stack: Stack) =>
  stack.counts.length === 0
    ? 'none'
    : stack.counts.map((c) => `${actionTitle(c.action)} ${c.count}`).join(', ');

function shortLabel(text: string): string {
  const chars = Array.from(text);
  return chars.length > LABEL_CHARS ? `${chars.slice(0, LABEL_CHARS - 1).join('')}…` : text;
}

/** A moderator's label: the known name, or the id; "others" says how many it folds. */
function moderatorLabel(key: string, names: UserNames, othersCount: number): string {
  if (key === OTHERS_KEY) return `${plural(othersCount, 'other moderator')}`;
  return displayName(names.get(key)) ?? key;
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
const r2 = (n: number) => Math.round(n * 100) / 100;
const box = (b: Box) => html`x="${r2(b.x)}" y="${r2(b.y)}" width="${r2(b.width)}" height="${r2(b.height)}"`;

function segmentRects(
  geometry: ChartGeometry,
  place: (bar: number, start: number, length: number) => Box,
  label: (stack: number) => string,
): Html[] {
  return geometry.bars.map(
    (bar, i) =>
      html`<g class="bar" data-key="${bar.key}" data-total="${bar.total}">${bar.segments.map(
        (s) =>
          html`<rect class="seg" data-action="${s.action}" data-count="${s.count}" ${box(place(i, s.start, s.length))} fill="${actionColours[s.action]}"><title>${label(i)}: ${actionTitle(s.action)} ${s.count}</title></rect>`,
      )}</g>`,
  );
}

function dayChart(data: ActivityPageData): Html {
  const { left, top, plotWidth, plotHeight, bottom } = DAY_CHART;
  const geometry = stackedBars(data.days, plotWidth, plotHeight);
  const height = top + plotHeight + bottom;
  const total = data.days.reduce((sum, d) => sum + d.total, 0);
  const base = top + plotHeight;
  const grid = geometry.ticks.map(
    (t) =>
      html`<line x1="${left}" x2="${left + plotWidth}" y1="${base - t.at}" y2="${base - t.at}" stroke="${GRID}"/><text x="${left - 6}" y="${base - t.at + 4}" text-anchor="end" fill="${MUTED}" font-size="11">${t.value}</text>`,
  );
  // A label every fifth day and on the last (today), so thirty of them never overlap.
  const dayLabels = geometry.bars.map((bar, i) =>
    i % 5 === 0 || i === geometry.bars.length - 1
      ? html`<text class="day" x="${left + bar.offset + bar.thickness / 2}" y="${base + 16}" text-anchor="middle" fill="${MUTED}" font-size="11">${bar.key.slice(5)}</text>`
      : '',
  );
  const rects = segmentRects(
    geometry,
    (i, start, length) => {
      const bar = geometry.bars[i];
      return {
        x: left + (bar?.offset ?? 0),
        y: Math.round((base - start - length) * 100) / 100,
        width: bar?.thickness ?? 0,
        height: length,
      };
    },
    (i) => data.days[i]?.key ?? '',
  );
  return html`<svg class="chart" id="per-day" role="img" aria-labelledby="per-day-title" viewBox="0 0 ${WIDTH} ${height}" width="100%" xmlns="http://www.w3.org/2000/svg">
<title id="per-day-title">Cases per day, last ${ACTIVITY_DAYS} days (UTC): ${plural(total, 'case')}</title>
${grid}${rects}${dayLabels}
</svg>`;
}

function moderatorChart(data: ActivityPageData): Html {
  const { stacks, othersCount } = data.moderators;
  const { left, top, plotWidth, row, bottom } = MOD_CHART;
  const across = stacks.length * row;
  const geometry = stackedBars(stacks, across, plotWidth);
  const height = top + across + bottom;
  const labels = stacks.map((s) => moderatorLabel(s.key, data.names, othersCount));
  const grid = geometry.ticks.map(
    (t) =>
      html`<line x1="${left + t.at}" x2="${left + t.at}" y1="${top}" y2="${top + across}" stroke="${GRID}"/><text x="${left + t.at}" y="${top + across + 15}" text-anchor="middle" fill="${MUTED}" font-size="11">${t.value}</text>`,
  );
  const names = geometry.bars.map(
    (bar, i) =>
      html`<text class="who" x="${left - 8}" y="${top + bar.offset + bar.thickness / 2 + 4}" text-anchor="end" fill="#f2f3f5" font-size="12">${shortLabel(labels[i] ?? '')}</text><text x="${left + bar.length + 6}" y="${top + bar.offset + bar.thickness / 2 + 4}" fill="${MUTED}" font-size="11">${bar.total}</text>`,
  );
  const rects = segmentRects(
    geometry,
    (i, start, length) => {
      const bar = geometry.bars[i];
      return { x: left + start, y: top + (bar?.offset ?? 0), width: length, height: bar?.thickness ?? 0 };
    },
    (i) => labels[i] ?? '',
  );
  const total = stacks.reduce((sum, s) => sum + s.total, 0);
  const moderatorCount = stacks.filter((s) => s.key !== OTHERS_KEY).length + othersCount;
  return html`<svg class="chart" id="per-moderator" role="img" aria-labelledby="per-moderator-title" viewBox="0 0 ${WIDTH} ${height}" width="100%" xmlns="http://www.w3.org/2000/svg">
<title id="per-moderator-title">Cases per moderator, last ${ACTIVITY_DAYS} days: ${plural(total, 'case')} by ${plural(moderatorCount, 'moderator')}</title>
${grid}${rects}${names}
</svg>`;
}

/** The actions either chart shows, in the action table's order, each with its colour. */
function legend(data: ActivityPageData): Html {
  const shown = new Set<CaseAction>();
  for (const stack of [...data.days, ...data.moderators.stacks])
    for (const c of stack.counts) shown.add(c.action);
  const items = caseActions
    .filter((a) => shown.has(a))
    .map(
      (a) =>
        html`<li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" rx="2" fill="${actionColours[a]}"/></svg> ${actionTitle(a)}</li>`,
    );
  return html`<ul class="legend" aria-label="Colours">${items}</ul>`;
}

function numbersTable(caption: string, head: string, rows: { label: Html | string; stack: Stack }[]): Html {
  return html`<details><summary>${caption} as a table</summary><table>
<thead><tr><th>${head}</th><th>Cases</th><th>By action</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td data-label="${head}">${r.label}</td><td data-label="Cases">${r.stack.total}</td><td data-label="By action">${breakdown(r.stack)}</td></tr>`)}</tbody>
</table></details>`;
}

export function renderActivityPage(user: LayoutUser, data: ActivityPageData): Html {
  const { guild, moderators, names } = data;
  const total = data.days.reduce((sum, d) => sum + d.total, 0);
  const first = data.window.days[0] ?? '';
  const last = data.window.days.at(-1) ?? '';
  const moderatorRows = moderators.stacks.map((stack) => ({
    label:
      stack.key === OTHERS_KEY
        ? moderatorLabel(stack.key, names, moderators.othersCount)
        : html`<a href="${memberHref(guild.id, stack.key)}">${moderatorLabel(stack.key, names, 0)}</a>`,
    stack,
  }));
  const body = html`${guildNav(guild, 'activity')}
<h1>Activity</h1>
<p class="muted">${first} to ${last} (UTC days): ${plural(total, 'case')}. Deleted cases are not counted.</p>
${
  total === 0
    ? html`<p class="panel muted">No cases in the last ${ACTIVITY_DAYS} days.</p>`
    : html`<div class="panel"><h2>Cases per day</h2>
${dayChart(data)}
${legend(data)}
${numbersTable(
  'Cases per day',
  'Day',
  data.days.filter((d) => d.total > 0).map((stack) => ({ label: stack.key, stack })),
)}
</div>
<div class="panel"><h2>Cases per moderator</h2>
${moderatorChart(data)}
${numbersTable('Cases per moderator', 'Moderator', moderatorRows)}
</div>`
}`;
  return layout(`Activity · ${guild.name}`, user, body);
}
