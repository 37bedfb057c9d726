// The page's own style and behaviour, inlined into every file so it opens with no network. The script
// only toggles classes and visibility on elements the server rendered; it never builds HTML from
// data, so nothing from a run can reach the page unescaped.

export const PAGE_CSS = `
:root { --fg:#1d2330; --muted:#5d6677; --line:#dde1e8; --bg:#fff; --panel:#f6f7f9; --sel:#ffb020; --ok:#2f9e5a; --bad:#d64545; --run:#3a6fd8; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 14px 20px; border-bottom: 1px solid var(--line); background: var(--panel); }
header h1 { margin: 0 0 4px; font-size: 18px; }
header .goal { margin: 0; color: var(--muted); white-space: pre-wrap; }
header .totals { margin: 6px 0 0; font-variant-numeric: tabular-nums; }
main { display: grid; grid-template-columns: minmax(420px, 1.1fr) minmax(320px, 0.9fr); gap: 16px; padding: 16px 20px; }
section { min-width: 0; }
section h2 { font-size: 15px; margin: 0 0 8px; }
#timeline, #answer { grid-column: 1 / -1; }
ul.runs, ul.tasks { list-style: none; margin: 0; padding-left: 16px; }
ul.runs.top { padding-left: 0; }
.run-head { font-weight: 600; margin: 4px 0; }
.run-head .meta, .task .meta { color: var(--muted); font-weight: 400; font-variant-numeric: tabular-nums; }
.task { display: grid; grid-template-columns: 16px minmax(90px, max-content) 1fr; gap: 2px 8px; width: 100%; text-align: left;
  border: 1px solid transparent; border-radius: 6px; background: none; padding: 4px 6px; font: inherit; color: inherit; cursor: pointer; }
.task:hover { background: var(--panel); }
.task.selected { border-color: var(--sel); background: #fff6e0; }
.task .id { font-weight: 600; }
.task .line2 { grid-column: 2 / -1; color: var(--muted); font-size: 12px; }
.st { font-weight: 700; }
.st-completed { color: var(--ok); } .st-failed, .st-cancelled { color: var(--bad); } .st-running, .st-skipped, .st-stopped { color: #b07a00; }
#details article { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
#details dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 0 0 8px; }
#details dt { color: var(--muted); }
#details dd { margin: 0; overflow-wrap: anywhere; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 8px; max-height: 320px; overflow: auto; font-size: 12px; }
.gantt { border: 1px solid var(--line); border-radius: 8px; padding: 8px; }
.g-row { display: grid; grid-template-columns: 180px 1fr; align-items: center; height: 20px; }
.g-row.g-section { height: 22px; font-weight: 600; }
.g-heading { font-weight: 600; color: var(--muted); margin: 8px 0 2px; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.g-label { overflow: hidden; white-space: nowrap; text-overflow: ellipsis; padding-right: 8px; font-size: 12px; }
.g-track { position: relative; height: 16px; background: repeating-linear-gradient(90deg, transparent 0 calc(10% - 1px), var(--line) calc(10% - 1px) 10%); }
.bar { position: absolute; top: 2px; height: 12px; min-width: 3px; border-radius: 3px; background: var(--run); opacity: .85; cursor: pointer; border: 1px solid #fff; padding: 0; }
.bar.task-bar { background: #6b8fd6; } .bar.call-bar { background: #8ab4a0; } .bar.run-call { background: #b9a4d8; }
.bar.st-failed { background: var(--bad); }
.bar.selected { background: var(--sel); opacity: 1; outline: 2px solid #c77d00; z-index: 2; }
.g-axis { display: grid; grid-template-columns: 180px 1fr; font-size: 11px; color: var(--muted); }
.g-axis .ticks { display: flex; justify-content: space-between; }
.legend { font-size: 12px; color: var(--muted); margin-top: 6px; }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin: 0 4px 0 10px; vertical-align: -1px; }
.answer { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 4px 16px; }
.answer h3, .answer h4 { margin: 12px 0 4px; }
.answer p { margin: 6px 0; }
a.cite { color: var(--run); text-decoration: none; font-weight: 600; }
a.cite.selected { background: #fff6e0; outline: 1px solid var(--sel); }
.none { color: var(--muted); font-style: italic; }
`;

export const PAGE_JS = `
(function () {
  var keyed = function () { return Array.prototype.slice.call(document.querySelectorAll('[data-key]')); };
  var articles = function () { return Array.prototype.slice.call(document.querySelectorAll('#details article[data-details]')); };
  function select(key, scroll) {
    keyed().forEach(function (el) { el.classList.toggle('selected', el.getAttribute('data-key') === key); });
    var found = false;
    articles().forEach(function (a) { var on = a.getAttribute('data-details') === key; a.hidden = !on; found = found || on; });
    var hint = document.getElementById('details-hint');
    if (hint) hint.hidden = found || key !== null;
    if (key !== null && scroll) {
      var node = keyed().filter(function (el) { return el.classList.contains('task') && el.getAttribute('data-key') === key; })[0];
      if (node) node.scrollIntoView({ block: 'nearest' });
    }
  }
  document.addEventListener('click', function (event) {
    var el = event.target && event.target.closest ? event.target.closest('[data-key]') : null;
    if (!el) return;
    event.preventDefault();
    select(el.getAttribute('data-key'), !el.classList.contains('task'));
  });
  document.addEventListener('keydown', function (event) { if (event.key === 'Escape') select(null, false); });
})();
`;
