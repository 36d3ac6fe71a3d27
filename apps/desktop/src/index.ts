export { DEFAULT_PANEL_SIZES, MIN_PANEL_PERCENT, normalizePanelSizes } from './layout.js';
export type { PanelSizes } from './layout.js';
