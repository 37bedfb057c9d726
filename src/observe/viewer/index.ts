export { renderRunHtml, type RenderRunOptions } from './render-html.js';
export { readTrace, parseTrace } from './read-trace.js';
export {
  buildRunView,
  assignLanes,
  taskKey,
  type RunView,
  type ViewRun,
  type ViewTask,
  type ViewCall,
  type ViewTotals,
  type ViewRunStatus,
  type ViewTaskStatus,
} from './run-view.js';
export { neutralDecisionSummary } from './decision.js';
export { escapeHtml } from './escape.js';
