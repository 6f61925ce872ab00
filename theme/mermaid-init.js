// This Source Code Form is subject to the terms of the Mozilla Public
// License, v. 2.0. If a copy of the MPL was not distributed with this
// file, You can obtain one at https://mozilla.org/MPL/2.0/.

(() => {
    const darkThemes = ['ayu', 'navy', 'coal'];
    const lightThemes = ['light', 'rust'];

    const classList = document.getElementsByTagName('html')[0].classList;

    let lastThemeWasLight = true;
    for (const cssClass of classList) {
        if (darkThemes.includes(cssClass)) {
            lastThemeWasLight = false;
            break;
        }
    }

    const theme = lastThemeWasLight ? 'default' : 'dark';
    // The default chart palette starts with a faint lavender, and setting any
    // chart colour replaces all of them. Charts in this book draw the leaky
    // run first (orange) and the fixed run second (blue): a pair that stays
    // apart for colour-blind readers, in a shade for light and one for dark.
    const ink = lastThemeWasLight ? '#333333' : '#d0d0d0';
    const plotColorPalette = lastThemeWasLight
        ? '#e8590c, #1c7ed6, #2f9e44, #ae3ec9'
        : '#ff922b, #4dabf7, #69db7c, #da77f2';
    const xyChart = { backgroundColor: 'transparent', titleColor: ink, plotColorPalette };
    for (const axis of ['xAxis', 'yAxis']) {
        for (const part of ['LabelColor', 'TitleColor', 'TickColor', 'LineColor']) {
            xyChart[axis + part] = ink;
        }
    }
    mermaid.initialize({ startOnLoad: true, theme, themeVariables: { xyChart } });

    // Simplest way to make mermaid re-render the diagrams in the new theme is via refreshing the page

    for (const darkTheme of darkThemes) {
        document.getElementById('mdbook-theme-' + darkTheme).addEventListener('click', () => {
            if (lastThemeWasLight) {
                window.location.reload();
            }
        });
    }

    for (const lightTheme of lightThemes) {
        document.getElementById('mdbook-theme-' + lightTheme).addEventListener('click', () => {
            if (!lastThemeWasLight) {
                window.location.reload();
            }
        });
    }
})();
