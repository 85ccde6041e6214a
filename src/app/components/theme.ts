/**
 * The look every panel shares. Colours, fonts and radius come from the host
 * page's `--ts-*` custom properties when it sets them (they inherit into the
 * shadow roots); otherwise a light or dark default follows the system theme.
 * The private `--_*` names are what the components' styles use.
 */
import { css } from 'lit';

export const tokens = css`
  :host {
    --_font: var(--ts-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', sans-serif);
    --_mono: var(--ts-font-family-mono, ui-monospace, 'SF Mono', 'Cascadia Code', Menlo, Consolas, monospace);
    --_size: var(--ts-font-size, 14px);
    --_radius: var(--ts-radius, 8px);
    --_bg: var(--ts-color-bg, #ffffff);
    --_surface: var(--ts-color-surface, #f5f6f8);
    --_raised: var(--ts-color-raised, #ffffff);
    --_text: var(--ts-color-text, #1b2130);
    --_muted: var(--ts-color-text-muted, #5d6778);
    --_border: var(--ts-color-border, #dfe3ea);
    --_accent: var(--ts-color-accent, #3d5afe);
    --_accent-text: var(--ts-color-accent-contrast, #ffffff);
    --_danger: var(--ts-color-danger, #c62828);
    --_warning: var(--ts-color-warning, #a85d00);
    --_success: var(--ts-color-success, #2e7d32);
    --_mark: var(--ts-color-highlight, #ffe58a);
    --_mark-text: var(--ts-color-highlight-text, #1b2130);
    --_tint: color-mix(in srgb, var(--_accent) 10%, transparent);
    --_focus: 0 0 0 2px var(--_bg), 0 0 0 4px var(--ts-color-focus, var(--_accent));
    font-family: var(--_font);
    font-size: var(--_size);
    line-height: 1.45;
    color: var(--_text);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_bg: var(--ts-color-bg, #12151b);
      --_surface: var(--ts-color-surface, #1a1e26);
      --_raised: var(--ts-color-raised, #212631);
      --_text: var(--ts-color-text, #e5e8ee);
      --_muted: var(--ts-color-text-muted, #9aa3b2);
      --_border: var(--ts-color-border, #2f3542);
      --_accent: var(--ts-color-accent, #8c9eff);
      --_accent-text: var(--ts-color-accent-contrast, #10131a);
      --_danger: var(--ts-color-danger, #ff7b7b);
      --_warning: var(--ts-color-warning, #f0b15a);
      --_success: var(--ts-color-success, #71d17a);
      --_mark: var(--ts-color-highlight, #6b5a10);
      --_mark-text: var(--ts-color-highlight-text, #fff6cc);
    }
  }
`;

/** Controls, badges and small text shared by the panels. */
export const controls = css`
  *, *::before, *::after { box-sizing: border-box; }
  [hidden] { display: none !important; }
  button, input, select, textarea { font: inherit; color: inherit; }
  button {
    display: inline-flex; align-items: center; gap: 0.35em;
    padding: 0.35em 0.8em; border: 1px solid var(--_border); border-radius: calc(var(--_radius) - 2px);
    background: var(--_raised); cursor: pointer; white-space: nowrap;
  }
  button:hover:not(:disabled) { border-color: var(--_accent); }
  button:disabled { opacity: 0.55; cursor: default; }
  button.primary { background: var(--_accent); border-color: var(--_accent); color: var(--_accent-text); }
  button.danger { color: var(--_danger); }
  button.danger.primary { background: var(--_danger); border-color: var(--_danger); color: var(--_bg); }
  button.quiet { border-color: transparent; background: transparent; }
  button.quiet:hover:not(:disabled) { background: var(--_tint); border-color: transparent; }
  input, select {
    padding: 0.35em 0.55em; border: 1px solid var(--_border); border-radius: calc(var(--_radius) - 2px);
    background: var(--_bg); min-width: 0;
  }
  input[type='search'] { padding-inline-start: 0.7em; }
  :focus-visible { outline: none; box-shadow: var(--_focus); }
  a { color: var(--_accent); }
  .muted { color: var(--_muted); }
  .mono { font-family: var(--_mono); font-size: 0.92em; }
  .badge {
    display: inline-flex; align-items: center; gap: 0.3em; padding: 0.05em 0.55em; border-radius: 999px;
    font-size: 0.8em; font-weight: 600; border: 1px solid currentColor; white-space: nowrap; line-height: 1.5;
  }
  .badge.complete { color: var(--_success); }
  .badge.running { color: var(--_accent); }
  .badge.failed { color: var(--_danger); }
  .badge.incomplete { color: var(--_warning); }
  .badge.neutral { color: var(--_muted); }
  .visually-hidden {
    position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap;
  }
  mark { background: var(--_mark); color: var(--_mark-text); border-radius: 2px; padding: 0 1px; }
  pre {
    margin: 0; padding: 0.6em 0.75em; border-radius: calc(var(--_radius) - 2px); background: var(--_surface);
    border: 1px solid var(--_border); font-family: var(--_mono); font-size: 0.86em; line-height: 1.5;
    white-space: pre-wrap; overflow-wrap: anywhere; max-height: 24em; overflow: auto;
  }
  h2, h3, h4 { margin: 0; line-height: 1.3; }
  dl.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(8.5em, 1fr)); gap: 0.6em 1em; margin: 0; }
  dl.facts div { min-width: 0; }
  dl.facts dt { font-size: 0.78em; color: var(--_muted); text-transform: uppercase; letter-spacing: 0.04em; }
  dl.facts dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
`;
