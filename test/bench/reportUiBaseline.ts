/**
 * The benchmark's baseline: a plain, non-virtualized HTML table of the same rows (one <tr> per
 * report item, the same six columns), filtered by toggling `hidden` on every row. It is given its
 * cell texts and search texts precomputed, so it does strictly less work per row than the UI.
 */
import type { ReportItem } from '../../common/report';
import { itemTitle } from '../../common/reportQuery';
import { ACTION_LABEL, TAB_LABEL } from '../../client/src/webviews/ui/report/labels';
import { describe as describeItem } from '../../client/src/webviews/ui/report/rows';

/** The cells the UI's grid shows for an item, as text. */
export function baselineRowCells(item: ReportItem): string[] {
  return [itemTitle(item), item.userName ?? '', TAB_LABEL[item.category], ACTION_LABEL[item.action], describeItem(item), item.dn ?? ''];
}

/** Runs in the page (plain JS, under the same CSP nonce). Dispatches `baseline:rendered` after each update. */
export const BASELINE_SCRIPT = `(() => {
  const rows = JSON.parse(document.getElementById('bench-rows').textContent);
  const hay = JSON.parse(document.getElementById('bench-hay').textContent);
  const fold = (s) => s.toLowerCase().normalize('NFD').replace(/[\\u0300-\\u036f]/g, '');
  let trs = [];
  window.addEventListener('message', (e) => {
    if (!e.data || e.data.type !== 'report') return;
    const items = e.data.report.items;
    const table = document.createElement('table');
    const tbody = document.createElement('tbody');
    trs = new Array(items.length);
    for (let i = 0; i < items.length; i++) {
      const tr = document.createElement('tr');
      for (const text of rows[i]) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.appendChild(td);
      }
      tbody.appendChild(tr);
      trs[i] = tr;
    }
    table.appendChild(tbody);
    document.getElementById('out').appendChild(table);
    document.dispatchEvent(new CustomEvent('baseline:rendered'));
  });
  document.getElementById('q').addEventListener('input', (e) => {
    const q = fold(e.target.value.trim());
    for (let i = 0; i < trs.length; i++) trs[i].hidden = q !== '' && !hay[i].includes(q);
    document.dispatchEvent(new CustomEvent('baseline:rendered'));
  });
})();`;
