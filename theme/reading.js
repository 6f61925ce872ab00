// Reading aids that need a script. See STYLE.md.

// The copy button of a Terminal block (a `console` fence) copies the commands
// only, without their `$ ` prompt: what a program printed is nothing to paste
// into a shell. mdBook's own handler, which copies the whole block, listens
// on the page, so stopping the click at the button keeps it out.
(() => {
    for (const code of document.querySelectorAll('pre > code.language-console')) {
        const button = code.parentElement.querySelector('.clip-button');
        if (!button) {
            continue;
        }
        const commands = code.innerText
            .split('\n')
            .filter((line) => line.startsWith('$ '))
            .map((line) => line.slice(2));
        if (commands.length === 0 || !navigator.clipboard) {
            button.remove();
            continue;
        }
        button.title = commands.length === 1 ? 'Copy the command' : 'Copy the commands';
        button.setAttribute('aria-label', button.title);
        button.addEventListener('click', (event) => {
            event.stopPropagation();
            navigator.clipboard.writeText(commands.join('\n')).then(() => {
                button.firstChild.innerText = 'Copied!';
                button.className = 'clip-button tooltipped';
            });
        });
    }
})();

// A solution page opens with a reminder to try the exercise first, above the
// code, linking back to the exercise ("exercises/1-loop-solution.html" solves
// "exercises/1-loop.html").
(() => {
    const solution = window.location.pathname.match(/\/exercises\/([^/]+)-solution\.html$/);
    const title = document.querySelector('main h1');
    if (!solution || !title) {
        return;
    }
    const note = document.createElement('p');
    note.className = 'try-it-first';
    const link = document.createElement('a');
    link.href = solution[1] + '.html';
    const number = solution[1].match(/^\d+/);
    link.textContent = number ? 'Exercise ' + number[0] : 'the exercise';
    note.append('Try it first: work through ', link, ' and run its check before reading on.');
    title.after(note);
})();

// mdBook's page furniture, made usable without a mouse or a screen (what
// axe-core finds on every page otherwise).
(() => {
    // The sidebar toggle is a <label> with a button's ARIA attributes: make it
    // a button, which a keyboard can reach and press.
    const toggle = document.getElementById('mdbook-sidebar-toggle');
    if (toggle) {
        toggle.setAttribute('role', 'button');
        toggle.tabIndex = 0;
        toggle.addEventListener('keydown', (event) => {
            if (event.key === 'Enter' || event.key === ' ') {
                event.preventDefault();
                toggle.click();
            }
        });
    }
    // A task list's boxes are marks to tick off: each is named after its item.
    for (const box of document.querySelectorAll('main li > input[type="checkbox"]')) {
        box.setAttribute('aria-label', box.parentElement.textContent.trim());
    }
    // A code block or table wider than the column scrolls sideways; to
    // scroll it from the keyboard, it has to take the focus.
    const focusWide = () => {
        for (const code of document.querySelectorAll('main pre > code, main .table-wrapper')) {
            if (code.scrollWidth > code.clientWidth) {
                code.tabIndex = 0;
            } else {
                code.removeAttribute('tabindex');
            }
        }
    };
    focusWide();
    window.addEventListener('resize', focusWide);
})();
