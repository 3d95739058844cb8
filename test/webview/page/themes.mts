/**
 * VS Code's theme variables for the test page (a webview gets them from the editor): the
 * Dark Modern and Light Modern values of the variables the panel and the web components use,
 * plus the body classes and default styles VS Code sets.
 */

const FONT = '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif';
const MONO = '"Droid Sans Mono", "monospace", monospace';

const COMMON: Record<string, string> = {
  'font-family': FONT,
  'font-size': '13px',
  'font-weight': 'normal',
  'editor-font-family': MONO,
  'editor-font-size': '14px',
};

const DARK: Record<string, string> = {
  foreground: '#cccccc',
  descriptionForeground: '#9d9d9d',
  errorForeground: '#f85149',
  focusBorder: '#0078d4',
  'editor-background': '#1f1f1f',
  'editor-foreground': '#cccccc',
  'panel-background': '#181818',
  'panel-border': '#2b2b2b',
  'sideBar-background': '#181818',
  'sideBarSectionHeader-background': '#181818',
  'sideBarTitle-foreground': '#cccccc',
  'editorWidget-background': '#202020',
  'editorWidget-border': '#313131',
  'widget-border': '#313131',
  'button-background': '#0078d4',
  'button-foreground': '#ffffff',
  'button-hoverBackground': '#026ec1',
  'button-border': '#ffffff12',
  'button-secondaryBackground': '#313131',
  'button-secondaryForeground': '#cccccc',
  'button-secondaryHoverBackground': '#3c3c3c',
  'button-separator': '#ffffff66',
  'input-background': '#313131',
  'input-border': '#3c3c3c',
  'input-foreground': '#cccccc',
  'input-placeholderForeground': '#989898',
  'inputValidation-errorBackground': '#5a1d1d',
  'inputValidation-errorBorder': '#be1100',
  'settings-textInputBackground': '#313131',
  'settings-textInputBorder': '#3c3c3c',
  'settings-textInputForeground': '#cccccc',
  'settings-dropdownBackground': '#313131',
  'settings-dropdownBorder': '#3c3c3c',
  'settings-dropdownForeground': '#cccccc',
  'settings-dropdownListBorder': '#454545',
  'settings-checkboxBackground': '#313131',
  'settings-checkboxBorder': '#3c3c3c',
  'settings-headerBorder': '#2b2b2b',
  'dropdown-background': '#313131',
  'dropdown-border': '#3c3c3c',
  'dropdown-foreground': '#cccccc',
  'dropdown-listBackground': '#1f1f1f',
  'list-activeSelectionBackground': '#04395e',
  'list-activeSelectionForeground': '#ffffff',
  'list-hoverBackground': '#2a2d2e',
  'list-focusOutline': '#0078d4',
  'badge-background': '#616161',
  'badge-foreground': '#f8f8f8',
  'activityBarBadge-background': '#0078d4',
  'activityBarBadge-foreground': '#ffffff',
  'panelTitle-activeBorder': '#0078d4',
  'panelTitle-activeForeground': '#cccccc',
  'panelTitle-inactiveForeground': '#9d9d9d',
  'progressBar-background': '#0078d4',
  'textLink-foreground': '#4daafc',
  'textBlockQuote-background': '#2b2b2b',
  'textBlockQuote-border': '#616161',
  'icon-foreground': '#cccccc',
  'toolbar-hoverBackground': '#5a5d5e50',
  'toolbar-activeBackground': '#63666750',
  'editorWarning-foreground': '#cca700',
  'testing-iconPassed': '#73c991',
  'charts-foreground': '#cccccc',
  'charts-lines': '#cccccc40',
  'charts-red': '#f14c4c',
  'charts-blue': '#3794ff',
  'charts-yellow': '#cca700',
  'charts-orange': '#d18616',
  'charts-green': '#89d185',
  'charts-purple': '#b180d7',
  'scrollbarSlider-background': '#79797966',
};

const LIGHT: Record<string, string> = {
  foreground: '#3b3b3b',
  descriptionForeground: '#717171',
  errorForeground: '#f85149',
  focusBorder: '#005fb8',
  'editor-background': '#ffffff',
  'editor-foreground': '#3b3b3b',
  'panel-background': '#f8f8f8',
  'panel-border': '#e5e5e5',
  'sideBar-background': '#f8f8f8',
  'sideBarSectionHeader-background': '#f8f8f8',
  'sideBarTitle-foreground': '#3b3b3b',
  'editorWidget-background': '#f8f8f8',
  'editorWidget-border': '#e5e5e5',
  'widget-border': '#e5e5e5',
  'button-background': '#005fb8',
  'button-foreground': '#ffffff',
  'button-hoverBackground': '#0258a8',
  'button-border': '#0000001a',
  'button-secondaryBackground': '#e5e5e5',
  'button-secondaryForeground': '#3b3b3b',
  'button-secondaryHoverBackground': '#cccccc',
  'button-separator': '#ffffff66',
  'input-background': '#ffffff',
  'input-border': '#cecece',
  'input-foreground': '#3b3b3b',
  'input-placeholderForeground': '#767676',
  'inputValidation-errorBackground': '#f2dede',
  'inputValidation-errorBorder': '#be1100',
  'settings-textInputBackground': '#ffffff',
  'settings-textInputBorder': '#cecece',
  'settings-textInputForeground': '#3b3b3b',
  'settings-dropdownBackground': '#ffffff',
  'settings-dropdownBorder': '#cecece',
  'settings-dropdownForeground': '#3b3b3b',
  'settings-dropdownListBorder': '#c8c8c8',
  'settings-checkboxBackground': '#f8f8f8',
  'settings-checkboxBorder': '#cecece',
  'settings-headerBorder': '#e5e5e5',
  'dropdown-background': '#ffffff',
  'dropdown-border': '#cecece',
  'dropdown-foreground': '#3b3b3b',
  'dropdown-listBackground': '#ffffff',
  'list-activeSelectionBackground': '#e8e8e8',
  'list-activeSelectionForeground': '#000000',
  'list-hoverBackground': '#f2f2f2',
  'list-focusOutline': '#005fb8',
  'badge-background': '#cccccc',
  'badge-foreground': '#3b3b3b',
  'activityBarBadge-background': '#005fb8',
  'activityBarBadge-foreground': '#ffffff',
  'panelTitle-activeBorder': '#005fb8',
  'panelTitle-activeForeground': '#3b3b3b',
  'panelTitle-inactiveForeground': '#3b3b3b',
  'progressBar-background': '#005fb8',
  'textLink-foreground': '#005fb8',
  'textBlockQuote-background': '#f8f8f8',
  'textBlockQuote-border': '#e5e5e5',
  'icon-foreground': '#3b3b3b',
  'toolbar-hoverBackground': '#b8b8b850',
  'toolbar-activeBackground': '#a6a6a650',
  'editorWarning-foreground': '#bf8803',
  'testing-iconPassed': '#388a34',
  'charts-foreground': '#616161',
  'charts-lines': '#61616140',
  'charts-red': '#e51400',
  'charts-blue': '#1a85ff',
  'charts-yellow': '#bf8803',
  'charts-orange': '#d18616',
  'charts-green': '#388a34',
  'charts-purple': '#652d90',
  'scrollbarSlider-background': '#64646466',
};

/**
 * The high-contrast themes: their own colours over the light/dark ones, and (as in VS Code) no
 * side-bar title colour, so components fall back to their own defaults.
 */
function highContrast(base: Record<string, string>, own: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { ...base, ...own };
  delete out['sideBarTitle-foreground'];
  return out;
}

const HC_DARK = highContrast(DARK, {
  foreground: '#ffffff',
  descriptionForeground: '#ffffffb3',
  focusBorder: '#f38518',
  contrastBorder: '#6fc3df',
  'editor-background': '#000000',
  'editor-foreground': '#ffffff',
  'panel-background': '#000000',
  'panel-border': '#6fc3df',
  'sideBar-background': '#000000',
  'sideBarSectionHeader-background': '#000000',
  'editorWidget-background': '#0c141f',
  'editorWidget-border': '#6fc3df',
  'widget-border': '#6fc3df',
  'button-background': '#000000',
  'button-border': '#6fc3df',
  'dropdown-background': '#000000',
  'dropdown-border': '#6fc3df',
  'dropdown-foreground': '#ffffff',
  'input-background': '#000000',
  'input-border': '#6fc3df',
  'input-foreground': '#ffffff',
  'badge-background': '#000000',
  'badge-foreground': '#ffffff',
});

const HC_LIGHT = highContrast(LIGHT, {
  foreground: '#292929',
  descriptionForeground: '#292929b3',
  focusBorder: '#006bbd',
  contrastBorder: '#0f4a85',
  'editor-background': '#ffffff',
  'editor-foreground': '#292929',
  'panel-background': '#ffffff',
  'panel-border': '#0f4a85',
  'sideBar-background': '#ffffff',
  'sideBarSectionHeader-background': '#ffffff',
  'editorWidget-background': '#ffffff',
  'editorWidget-border': '#0f4a85',
  'widget-border': '#0f4a85',
  'button-background': '#0f4a85',
  'button-border': '#0f4a85',
  'dropdown-background': '#ffffff',
  'dropdown-border': '#0f4a85',
  'dropdown-foreground': '#292929',
  'input-background': '#ffffff',
  'input-border': '#0f4a85',
  'input-foreground': '#292929',
  'badge-background': '#0f4a85',
  'badge-foreground': '#ffffff',
  'charts-blue': '#0f4a85',
  'charts-green': '#374e06',
  'charts-orange': '#b5200d',
});

export type ThemeKind = 'dark' | 'light' | 'hc-dark' | 'hc-light';

const PALETTES: Record<ThemeKind, Record<string, string>> = {
  dark: DARK,
  light: LIGHT,
  'hc-dark': HC_DARK,
  'hc-light': HC_LIGHT,
};
const BODY_CLASS: Record<ThemeKind, string> = {
  dark: 'vscode-dark',
  light: 'vscode-light',
  'hc-dark': 'vscode-high-contrast',
  'hc-light': 'vscode-high-contrast-light',
};

/** Applies a theme the way VS Code does: variables on <html>, a class on <body>, default body styles. */
export function applyTheme(kind: ThemeKind): void {
  const html = document.documentElement;
  const values = { ...COMMON, ...PALETTES[kind] };
  for (const [name, value] of Object.entries(values)) html.style.setProperty(`--vscode-${name}`, value);
  html.style.background = values['editor-background']!;
  document.body.classList.remove(...Object.values(BODY_CLASS));
  document.body.classList.add(BODY_CLASS[kind]);
  document.body.dataset['vscodeThemeKind'] = BODY_CLASS[kind];
  document.body.style.backgroundColor = 'transparent';
  document.body.style.color = 'var(--vscode-editor-foreground)';
}
