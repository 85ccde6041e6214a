/**
 * The embeddable panels: importing this module defines every custom element
 * (once, even if imported twice). A HUD page of any framework can then use
 * `<trajectory-browser>`, `<hud-live-sessions>`, `<trajectory-detail>`,
 * `<trajectory-dashboard>`, `<trajectory-storage>`, `<hud-connection-status>`
 * or the whole `<trajectory-app>`, and set their `store` property.
 * See src/app/README.md for properties, events and CSS custom properties.
 */
export { AtifTimeline } from './components/atif-timeline.js';
export { BatchCompare } from './components/batch-compare.js';
export { ComparePanel } from './components/compare-panel.js';
export { HudConnectionStatus } from './components/hud-connection-status.js';
export { HudLiveSessions } from './components/hud-live-sessions.js';
export { StatsChart } from './components/stats-chart.js';
export { TestgenReport } from './components/testgen-report.js';
export { TrajectoryApp } from './components/trajectory-app.js';
export { TrajectoryBrowser } from './components/trajectory-browser.js';
export { TrajectoryCompare } from './components/trajectory-compare.js';
export { TrajectoryDashboard } from './components/trajectory-dashboard.js';
export { TrajectoryDetail } from './components/trajectory-detail.js';
export { TrajectoryFilters } from './components/trajectory-filters.js';
export { TrajectoryList } from './components/trajectory-list.js';
export { TrajectoryStorage } from './components/trajectory-storage.js';
export { TrajectoryTeam } from './components/trajectory-team.js';
export { TsConfirmDialog } from './components/ts-confirm-dialog.js';
export { TsErrorNotice } from './components/ts-error-notice.js';
export { EMPTY_VIEW, type BrowserView } from './data/browser-view.js';
export { HudConnection, type ConnectionState, type HudConnectionOptions } from './hud/hud-connection.js';
export { DEFAULT_HUD_URL, resolveHudUrl, checkHudUrl } from './hud/hud-url.js';
