// This Source Code Form is subject to the terms of the Mozilla Public
// License, v. 2.0. If a copy of the MPL was not distributed with this
// file, You can obtain one at https://mozilla.org/MPL/2.0/.
//
// Based on mdbook-mermaid's init script. The 2.7 MB diagram engine is loaded
// only on a page that has a diagram: src/theme/mermaid.min.js is published
// next to this script, and only added to the page when a `mermaid` block is
// there. Diagram colours come from the mdBook theme's variables.

(() => {
    const blocks = document.querySelectorAll('pre.mermaid');
    if (blocks.length === 0) {
        return;
    }

    const darkThemes = ['ayu', 'navy', 'coal'];
    const lightThemes = ['light', 'rust'];
    const classList = document.documentElement.classList;
    const dark = darkThemes.some((theme) => classList.contains(theme));

    // The theme's own colours, so that text reads well on every theme's
    // background. Mermaid computes shades from these, so they are passed as
    // the concrete values the stylesheet gives, not as var(...).
    const style = getComputedStyle(document.documentElement);
    const themeColor = (name) => style.getPropertyValue(name).trim();
    const ink = themeColor('--fg');
    const page = themeColor('--bg');
    const box = themeColor('--quote-bg');
    const accent = themeColor('--links');
    // The default chart palette starts with a faint lavender, and setting any
    // chart colour replaces all of them. Charts in this book draw the leaky
    // run first (orange) and the fixed run second (blue): a pair that stays
    // apart for colour-blind readers, in a shade for light and one for dark.
    const plotColorPalette = dark
        ? '#ff922b, #4dabf7, #69db7c, #da77f2'
        : '#e8590c, #1c7ed6, #2f9e44, #ae3ec9';
    const xyChart = { backgroundColor: 'transparent', titleColor: ink, plotColorPalette };
    for (const axis of ['xAxis', 'yAxis']) {
        for (const part of ['LabelColor', 'TitleColor', 'TickColor', 'LineColor']) {
            xyChart[axis + part] = ink;
        }
    }
    const themeVariables = {
        darkMode: dark,
        background: page,
        fontFamily: '"Open Sans", sans-serif',
        primaryColor: box,
        primaryTextColor: ink,
        primaryBorderColor: accent,
        secondaryColor: box,
        tertiaryColor: page,
        lineColor: ink,
        textColor: ink,
        actorBkg: box,
        actorBorder: accent,
        actorTextColor: ink,
        actorLineColor: ink,
        signalColor: ink,
        signalTextColor: ink,
        labelTextColor: ink,
        loopTextColor: ink,
        noteBkgColor: page,
        noteTextColor: ink,
        noteBorderColor: accent,
        edgeLabelBackground: page,
        xyChart,
    };

    const script = document.createElement('script');
    script.src = new URL('mermaid.min.js', document.currentScript.src).href;
    script.addEventListener('load', () => {
        mermaid.initialize({ startOnLoad: false, theme: 'base', themeVariables });
        mermaid.run({ nodes: blocks });
    });
    document.head.append(script);

    // The colours are the theme's, so a diagram is redrawn, by reloading
    // the page, when the reader picks another theme.
    for (const theme of [...darkThemes, ...lightThemes]) {
        document.getElementById('mdbook-theme-' + theme).addEventListener('click', () => {
            if (!classList.contains(theme)) {
                window.location.reload();
            }
        });
    }
})();
