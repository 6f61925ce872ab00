//! The book as readers see it. The tests build the book from the current
//! sources, serve it on 127.0.0.1, and load every page in headless Chromium,
//! driven over the DevTools protocol: no console message, every diagram
//! drawn, nothing fetched from another host, search working, the print page
//! complete. They also check what reading costs and how it reads: the bytes
//! and script time of a cold load (no diagram engine where there is no
//! diagram), terminal blocks that fit the column, copy buttons that copy only
//! commands, diagram text legible in every theme, no serious axe-core finding
//! in a light and a dark theme, and a "try it first" above each solution. A
//! plain-Rust pass checks every internal link and `#anchor` of the built HTML.
//!
//! Each of these checks is shown failing on a broken page by
//! `each_check_fails_on_a_broken_page`.
//!
//! Without Chromium these tests fail with the command that installs it; they
//! never skip. Screenshots of a few pages, and the cold-load figures of every
//! page, are left in target/browser-screenshots/.

mod support;

use regex::Regex;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::{self, File};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::{Component, Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, LazyLock, Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

const INSTALL_CHROMIUM: &str = "no Chromium found: run `make setup` (on Debian or Ubuntu it runs \
     `apt-get install chromium`), or install Chromium or Chrome and set CHROME=/path/to/it";

/// What a page without a diagram may cost on a cold load (issue 17): bytes
/// transferred, and seconds of script on the page's main thread.
const MAX_BYTES_WITHOUT_DIAGRAM: u64 = 700_000;
const MAX_SCRIPT_SECONDS_WITHOUT_DIAGRAM: f64 = 0.1;

/// mdBook's themes; the book's default first, its preferred dark one second.
const THEMES: [&str; 5] = ["light", "navy", "rust", "coal", "ayu"];
const LIGHT: &str = THEMES[0];
const DARK: &str = THEMES[1];

/// How long a page may take to load, or its requests to finish: generous,
/// for a machine busy with other work, yet a hang still fails.
const PATIENCE: Duration = Duration::from_secs(120);

/// The window pages are checked in.
const WINDOW_WIDTH: u32 = 1280;
const WINDOW_HEIGHT: u32 = 800;

/// axe-core 4.14.1 (MPL-2.0, its notice at the top of the file), from the npm
/// package `axe-core`, kept here so that the accessibility check runs the same
/// rules everywhere, without a network or Node.js.
const AXE: &str = include_str!("vendor/axe.min.js");

/// The book, built into a directory of its own (never `book/`, which may be
/// stale) and served over HTTP for as long as the test binary runs.
struct Site {
    dir: PathBuf,
    origin: String,
}

fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = build_book();
        let origin = serve(dir.clone());
        Site { dir, origin }
    })
}

/// A tool that `make setup` installs with `cargo install`: on PATH, or in
/// cargo's bin directory when the shell that runs the tests lacks it there.
fn find_tool(names: &[&str]) -> Option<PathBuf> {
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))
        .map(|home| home.join("bin"));
    let path = std::env::var_os("PATH").unwrap_or_default();
    let dirs: Vec<PathBuf> = std::env::split_paths(&path).chain(cargo_bin).collect();
    names
        .iter()
        .flat_map(|name| dirs.iter().map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Builds the book like `make book` does, failing on mdBook's ERROR lines too:
/// mdBook exits 0 after a missing include or a bad `[output.html]` key.
fn build_book() -> PathBuf {
    let mdbook = find_tool(&["mdbook"])
        .expect("mdbook not found on PATH or in ~/.cargo/bin: run `make setup`");
    let dest = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-book");
    if dest.exists() {
        fs::remove_dir_all(&dest).unwrap();
    }
    // mdBook finds the mermaid preprocessor on PATH, next to itself.
    let path = std::env::join_paths(std::iter::once(mdbook.parent().unwrap().to_owned()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let output = Command::new(&mdbook)
        .arg("build")
        .arg("--dest-dir")
        .arg(&dest)
        .current_dir(support::root())
        .env("PATH", path)
        .output()
        .expect("mdbook runs");
    let log = String::from_utf8_lossy(&output.stderr) + String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && !log.contains("ERROR"),
        "mdbook build failed or logged ERROR:\n{log}"
    );
    dest
}

/// A page that is not in the book, with an uncaught error and a request to
/// another host: the browser checks must see both, or they see nothing.
const PROBE_PATH: &str = "/probe-of-the-checks.html";
const PROBE_PAGE: &str = "<!DOCTYPE html><html><body>\
    <script>undefinedProbeFunction();</script>\
    <script src=\"https://probe.invalid/script.js\"></script></body></html>";

/// Asked for with this query, a page of the book comes with the diagram
/// engine in a script tag of its own, as the theme served every page before
/// the engine was loaded only where a diagram is: the load limits must fail it.
const EAGER_MERMAID: &str = "eager-mermaid";

/// Paths the server was asked for and did not have, across all tests.
static MISSING: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// A static file server on 127.0.0.1, one thread per connection.
fn serve(dir: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            thread::spawn(move || respond(stream, &dir));
        }
    });
    origin
}

fn respond(mut stream: TcpStream, dir: &Path) {
    let mut reader = BufReader::new(&stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    // The headers say nothing this server needs; read past them.
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        header.clear();
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or("/");
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let path = path.split('#').next().unwrap_or("/");
    let mut file = dir.join(path.trim_start_matches('/'));
    if file.is_dir() {
        file = file.join("index.html");
    }
    let inside = Path::new(path)
        .components()
        .all(|part| matches!(part, Component::RootDir | Component::Normal(_)));
    let (status, body) = match fs::read(&file) {
        _ if path == PROBE_PATH => ("200 OK", PROBE_PAGE.as_bytes().to_vec()),
        _ if path == AXE_PATH => ("200 OK", AXE.as_bytes().to_vec()),
        Ok(body) if inside && query == EAGER_MERMAID => {
            let html = String::from_utf8(body).unwrap().replacen(
                "</body>",
                "<script src=\"theme/mermaid.min.js\"></script></body>",
                1,
            );
            ("200 OK", html.into_bytes())
        }
        Ok(body) if inside => ("200 OK", body),
        _ => {
            MISSING.lock().unwrap().push(path.to_string());
            ("404 Not Found", b"not found".to_vec())
        }
    };
    let content_type = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    // The browser may hang up early (a cancelled request); nothing to do then.
    stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(&body))
        .ok();
}

fn chromium() -> &'static Path {
    static CHROMIUM: OnceLock<Option<PathBuf>> = OnceLock::new();
    CHROMIUM
        .get_or_init(|| match std::env::var_os("CHROME") {
            Some(path) => Some(PathBuf::from(path)).filter(|path| path.is_file()),
            None => find_tool(&[
                "chromium",
                "chromium-browser",
                "google-chrome",
                "google-chrome-stable",
            ]),
        })
        .as_deref()
        .expect(INSTALL_CHROMIUM)
}

/// Where replies and events from Chromium go: a reply to the caller waiting
/// for its id, an event to the tab whose session it names.
#[derive(Default)]
struct Routes {
    replies: Mutex<HashMap<u64, Sender<Value>>>,
    events: Mutex<HashMap<String, Sender<Value>>>,
}

/// One headless Chromium for the whole test binary, driven over the DevTools
/// protocol on a pipe (`--remote-debugging-pipe`): commands go in on its
/// descriptor 3 and replies and events come out on 4, each a JSON text ended
/// by a NUL byte.
///
/// Every load is cold: its tab gets a renderer process of its own, the cache
/// is off, and the book's stored data (its theme choice among them) is
/// cleared first. Tabs open in browser contexts that are kept for the next
/// tab once one closes (`idle_contexts`), one per tab open at a time: making
/// and disposing of a context for each load cost about a quarter of the
/// test's time, and changed none of its figures.
struct Browser {
    commands: Mutex<File>,
    routes: Arc<Routes>,
    next_id: AtomicU64,
    idle_contexts: Mutex<Vec<String>>,
    _process: Child,
}

/// A pipe whose two ends are numbered 10 or above, so that moving the child's
/// ends to descriptors 3 and 4 cannot overwrite one with the other.
fn pipe() -> (OwnedFd, OwnedFd) {
    let mut fds = [0; 2];
    // SAFETY: fds has room for the two descriptors pipe2 writes.
    assert_eq!(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) }, 0);
    let [read, write] = fds.map(|fd| {
        // SAFETY: fd was just opened; the duplicate is owned by nothing else.
        unsafe {
            let high = libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 10);
            assert!(high >= 10, "no descriptor for a pipe to Chromium");
            libc::close(fd);
            OwnedFd::from_raw_fd(high)
        }
    });
    (read, write)
}

fn browser() -> &'static Browser {
    static BROWSER: OnceLock<Browser> = OnceLock::new();
    BROWSER.get_or_init(|| {
        // The browser lives as long as this test process, with no point at
        // which to remove its profile: it goes in cargo's folder for test
        // files, never in TMPDIR, and the next run starts it afresh.
        // Chromium's own temporary files go there too.
        let profile = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-profile");
        if profile.exists() {
            fs::remove_dir_all(&profile).unwrap();
        }
        fs::create_dir_all(&profile).unwrap();
        let (commands_in, commands) = pipe();
        let (replies, replies_out) = pipe();
        let (child_in, child_out) = (commands_in.as_raw_fd(), replies_out.as_raw_fd());
        let mut command = Command::new(chromium());
        command.args([
            "--headless",
            "--remote-debugging-pipe",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-features=AutofillServerCommunication,OptimizationHints,Translate,MediaRouter",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        ]);
        command
            .arg(format!("--user-data-dir={}", profile.display()))
            .env("TMPDIR", &profile);
        // Chromium refuses to run as root with its sandbox on (CI runs as root).
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } == 0 {
            command.arg("--no-sandbox");
        }
        command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
        // SAFETY: between fork and exec the child only calls dup2, which is
        // async-signal-safe; dup2 clears close-on-exec on the new descriptor.
        unsafe {
            command.pre_exec(move || {
                for (from, to) in [(child_in, 3), (child_out, 4)] {
                    if libc::dup2(from, to) < 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                }
                Ok(())
            });
        }
        let process = command.spawn().expect(INSTALL_CHROMIUM);
        // Chromium now holds its own ends; closing ours lets either side see
        // the other one go.
        drop((commands_in, replies_out));
        let routes = Arc::new(Routes::default());
        let reader_routes = Arc::clone(&routes);
        thread::spawn(move || {
            let mut reader = BufReader::new(File::from(replies));
            let mut message = Vec::new();
            while reader.read_until(0, &mut message).is_ok_and(|n| n > 0) {
                message.pop();
                let value: Value = serde_json::from_slice(&message).expect("Chromium sends JSON");
                message.clear();
                let sender = match (value["id"].as_u64(), value["sessionId"].as_str()) {
                    (Some(id), _) => reader_routes.replies.lock().unwrap().remove(&id),
                    (None, Some(session)) => {
                        reader_routes.events.lock().unwrap().get(session).cloned()
                    }
                    (None, None) => None,
                };
                // A tab that was closed no longer listens.
                sender.map(|sender| sender.send(value).ok());
            }
            // Chromium is gone: whoever waits for a reply hears so now.
            reader_routes.replies.lock().unwrap().clear();
        });
        Browser {
            commands: Mutex::new(File::from(commands)),
            routes,
            next_id: AtomicU64::new(1),
            idle_contexts: Mutex::new(Vec::new()),
            _process: process,
        }
    })
}

impl Browser {
    /// Sends a command, to the browser or to a tab's session, and waits for
    /// its result.
    fn send(&self, session: Option<&str>, method: &str, params: Value) -> Result<Value, String> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (sender, reply) = mpsc::channel();
        self.routes.replies.lock().unwrap().insert(id, sender);
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = session {
            message["sessionId"] = session.into();
        }
        let mut bytes = message.to_string().into_bytes();
        bytes.push(0);
        self.commands
            .lock()
            .unwrap()
            .write_all(&bytes)
            .map_err(|error| format!("Chromium is gone: {error}"))?;
        let reply = reply.recv_timeout(PATIENCE).map_err(|_| {
            format!("Chromium did not answer {method} (in {PATIENCE:?}, or it exited)")
        })?;
        match reply.get("error") {
            Some(error) => Err(format!("{method}: {error}")),
            None => Ok(reply["result"].clone()),
        }
    }

    fn call(&self, method: &str, params: Value) -> Value {
        self.send(None, method, params)
            .unwrap_or_else(|error| panic!("{error}"))
    }

    /// A browser context no open tab is using, in which pages may use the
    /// clipboard (the copy check reads it).
    fn context(&self) -> String {
        if let Some(context) = self.idle_contexts.lock().unwrap().pop() {
            return context;
        }
        let context = self.call("Target.createBrowserContext", json!({}))["browserContextId"]
            .as_str()
            .unwrap()
            .to_string();
        self.call(
            "Browser.grantPermissions",
            json!({ "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"],
                    "browserContextId": context }),
        );
        context
    }
}

/// How a page is opened.
struct Opening<'a> {
    theme: &'a str,
    /// URL patterns Chromium refuses to load, to break a page on purpose.
    blocked: &'a [&'a str],
}

impl Opening<'_> {
    fn theme(theme: &str) -> Opening<'_> {
        Opening {
            theme,
            blocked: &[],
        }
    }
}

/// A page of the book, loaded cold in a fresh browser context, with what its
/// load left behind. Its diagrams have been drawn and no request is pending.
struct Page {
    path: String,
    context: String,
    target: String,
    session: String,
    events: Receiver<Value>,
    /// Console messages, uncaught exceptions and the browser's own log.
    console: Vec<String>,
    /// Every URL requested on behalf of the page, subresources included.
    requests: BTreeSet<String>,
    /// Requests not yet finished, and the document load each belongs to.
    in_flight: HashMap<String, String>,
    /// Bytes received over the network, headers included.
    bytes: u64,
    /// Time the page's main thread spent running script.
    script_seconds: f64,
}

/// Resolves once every diagram of the page is drawn, or at once when the
/// page has no diagram engine to draw them (the load event waits for the
/// engine's script, so by then it is there or it will not come), or after
/// 60 s: the diagram check then reports what is missing.
const WAIT_FOR_DIAGRAMS: &str = "new Promise((resolve) => {
    const start = performance.now();
    const poll = () => {
        const blocks = [...document.querySelectorAll('pre.mermaid')];
        if (blocks.every((block) => block.querySelector('svg'))
            || typeof mermaid === 'undefined'
            || performance.now() - start > 60000) {
            resolve(blocks.length);
        } else {
            setTimeout(poll, 50);
        }
    };
    poll();
})";

impl Page {
    fn open(path: &str, opening: &Opening) -> Page {
        let browser = browser();
        let context = browser.context();
        let target = browser.call(
            "Target.createTarget",
            json!({ "url": "about:blank", "browserContextId": context }),
        )["targetId"]
            .as_str()
            .unwrap()
            .to_string();
        let session = browser.call(
            "Target.attachToTarget",
            json!({ "targetId": target, "flatten": true }),
        )["sessionId"]
            .as_str()
            .unwrap()
            .to_string();
        let (sender, events) = mpsc::channel();
        browser
            .routes
            .events
            .lock()
            .unwrap()
            .insert(session.clone(), sender);
        let mut page = Page {
            path: path.to_string(),
            context,
            target,
            session,
            events,
            console: Vec::new(),
            requests: BTreeSet::new(),
            in_flight: HashMap::new(),
            bytes: 0,
            script_seconds: 0.0,
        };
        for domain in ["Page", "Runtime", "Network", "Log"] {
            page.call(&format!("{domain}.enable"), json!({}));
        }
        // Thread time: what the scripts cost, not how busy the machine is.
        page.call("Performance.enable", json!({ "timeDomain": "threadTicks" }));
        page.call("Network.setCacheDisabled", json!({ "cacheDisabled": true }));
        page.call("Network.setBlockedURLs", json!({ "urls": opening.blocked }));
        page.resize(WINDOW_HEIGHT);
        // The copy check reads the clipboard, which wants a focused page.
        page.call(
            "Emulation.setFocusEmulationEnabled",
            json!({ "enabled": true }),
        );
        // What an earlier tab of this context stored is gone: no theme
        // choice, no sidebar state.
        page.call(
            "Storage.clearDataForOrigin",
            json!({ "origin": site().origin, "storageTypes": "all" }),
        );
        // The book's default theme is the light one, for a reader whose
        // system is not set to dark; mdBook reads any other choice from local
        // storage. Set there, it would hold again after a reload: a switch to
        // another theme could not stay.
        page.call(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": "light" }] }),
        );
        if opening.theme != LIGHT {
            page.call(
                "Page.addScriptToEvaluateOnNewDocument",
                json!({ "source": format!("localStorage.setItem('mdbook-theme', '{}')", opening.theme) }),
            );
        }
        page.call(
            "Page.navigate",
            json!({ "url": format!("{}/{path}", site().origin) }),
        );
        page.wait_for_load();
        // The diagram engine arrives after the load event.
        page.evaluate(WAIT_FOR_DIAGRAMS);
        page.settle();
        // A theme left stored by an earlier tab would show here (on pages
        // with mdBook's theme menu: not toc.html, the sidebar for readers
        // without JavaScript).
        let shown = page.evaluate(&format!(
            "document.getElementById('mdbook-theme-{LIGHT}') === null
                || document.documentElement.classList.contains('{}')",
            opening.theme
        ));
        assert_eq!(
            shown, true,
            "{path}: opened in the {} theme, shows another",
            opening.theme
        );
        let metrics = page.call("Performance.getMetrics", json!({}));
        page.script_seconds = metrics["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|metric| metric["name"] == "ScriptDuration")
            .and_then(|metric| metric["value"].as_f64())
            .expect("Chromium reports ScriptDuration");
        page
    }

    /// Picks another theme in mdBook's theme menu, as a reader does: the
    /// page changes its colours in place, or, when it has a diagram, reloads
    /// (from the cache now) to draw the diagrams in the new colours.
    fn switch_theme(&mut self, theme: &str) {
        self.call(
            "Network.setCacheDisabled",
            json!({ "cacheDisabled": false }),
        );
        let reloads = self.evaluate("document.querySelector('pre.mermaid') !== null") == true;
        self.evaluate(&format!(
            "document.getElementById('mdbook-theme-{theme}').click()"
        ));
        if reloads {
            self.wait_for_load();
            self.evaluate(WAIT_FOR_DIAGRAMS);
            self.settle();
        }
        let shown = self.evaluate(&format!(
            "document.documentElement.classList.contains('{theme}')"
        ));
        assert_eq!(shown, true, "{}: the {theme} theme did not take", self.path);
    }

    /// Sets the window's height; its width is always WINDOW_WIDTH.
    fn resize(&self, height: u32) {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": WINDOW_WIDTH, "height": height,
                    "deviceScaleFactor": 1, "mobile": false }),
        );
    }

    fn call(&self, method: &str, params: Value) -> Value {
        browser()
            .send(Some(&self.session), method, params)
            .unwrap_or_else(|error| panic!("{}: {error}", self.path))
    }

    /// Runs a script in the page as if the reader had clicked (so that it
    /// may use the clipboard) and returns its value, once it has settled.
    fn evaluate(&self, expression: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "awaitPromise": true,
                    "returnByValue": true, "userGesture": true }),
        );
        if let Some(exception) = result.get("exceptionDetails") {
            panic!("{}: a script of the test failed: {exception}", self.path);
        }
        result["result"]["value"].clone()
    }

    /// A list of strings computed in the page, such as the problems a check
    /// found.
    fn strings(&self, expression: &str) -> Vec<String> {
        serde_json::from_value(self.evaluate(expression)).unwrap()
    }

    fn dom(&self) -> String {
        self.evaluate("document.documentElement.outerHTML")
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Adds a stylesheet to the page, to break it on purpose.
    fn add_style(&self, css: &str) {
        let css = serde_json::to_string(css).unwrap();
        self.evaluate(&format!(
            "document.head.insertAdjacentHTML('beforeend', '<style>' + {css} + '</style>')"
        ));
    }

    /// Takes in events up to the page's load event, then until no request
    /// is in flight.
    fn wait_for_load(&mut self) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let event = self.next_event(deadline, "the page did not load");
            self.take(&event);
            if event["method"] == "Page.loadEventFired" {
                break;
            }
        }
        self.settle();
    }

    /// Takes in the events that arrived, and waits until no request is in
    /// flight.
    fn settle(&mut self) {
        let deadline = Instant::now() + PATIENCE;
        while let Ok(event) = self.events.try_recv() {
            self.take(&event);
        }
        while !self.in_flight.is_empty() {
            let event = self.next_event(deadline, "requests are still pending");
            self.take(&event);
        }
    }

    fn next_event(&self, deadline: Instant, late: &str) -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        self.events.recv_timeout(left).unwrap_or_else(|_| {
            panic!(
                "{}: {late} after {PATIENCE:?} (in flight: {:?})",
                self.path, self.in_flight
            )
        })
    }

    fn take(&mut self, event: &Value) {
        let params = &event["params"];
        let text = |value: &Value| value.as_str().unwrap_or_default().to_string();
        match event["method"].as_str().unwrap_or_default() {
            "Runtime.consoleAPICalled" => {
                let args: Vec<String> = params["args"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|arg| match &arg["value"] {
                        Value::String(value) => value.clone(),
                        Value::Null => text(&arg["description"]),
                        value => value.to_string(),
                    })
                    .collect();
                self.console
                    .push(format!("{}: {}", text(&params["type"]), args.join(" ")));
            }
            "Runtime.exceptionThrown" => {
                let details = &params["exceptionDetails"];
                let description = details["exception"]["description"]
                    .as_str()
                    .unwrap_or_else(|| details["text"].as_str().unwrap_or_default());
                self.console.push(format!("uncaught: {description}"));
            }
            "Log.entryAdded" => {
                let entry = &params["entry"];
                self.console.push(format!(
                    "{}: {} {}",
                    text(&entry["level"]),
                    text(&entry["text"]),
                    text(&entry["url"])
                ));
            }
            "Network.requestWillBeSent" => {
                self.requests.insert(text(&params["request"]["url"]));
                self.in_flight
                    .insert(text(&params["requestId"]), text(&params["loaderId"]));
            }
            // A reload leaves the old document's unfinished requests without
            // an end.
            "Page.frameNavigated" if params["frame"]["parentId"].is_null() => {
                let loader = text(&params["frame"]["loaderId"]);
                self.in_flight
                    .retain(|_, request_loader| *request_loader == loader);
            }
            "Network.loadingFinished" => {
                self.bytes += params["encodedDataLength"].as_f64().unwrap_or_default() as u64;
                self.in_flight.remove(&text(&params["requestId"]));
            }
            "Network.loadingFailed" => {
                self.in_flight.remove(&text(&params["requestId"]));
            }
            _ => {}
        }
    }
}

impl Drop for Page {
    fn drop(&mut self) {
        let browser = browser();
        browser.routes.events.lock().unwrap().remove(&self.session);
        // A tab that will not close leaves its context out of use.
        if browser
            .send(
                None,
                "Target.closeTarget",
                json!({ "targetId": self.target }),
            )
            .is_ok()
        {
            browser
                .idle_contexts
                .lock()
                .unwrap()
                .push(self.context.clone());
        }
    }
}

/// Runs `work` on every job, as many at a time as the machine has cores (one
/// browser, one tab per job), and returns the results in the jobs' order.
fn in_parallel<J: Sync, R: Send>(jobs: &[J], work: impl Fn(&J) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    let workers = thread::available_parallelism().map_or(2, |cores| cores.get());
    thread::scope(|scope| {
        for _ in 0..workers.min(jobs.len()) {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(job) = jobs.get(index) else { break };
                    let result = work(job);
                    results.lock().unwrap().push((index, result));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, result)| result).collect()
}

/// Every HTML file of the built book, as paths relative to its root.
fn html_pages(dir: &Path) -> Vec<String> {
    support::files_with_extension(dir, "html")
        .iter()
        .map(|path| {
            path.strip_prefix(dir)
                .unwrap()
                .to_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

/// What is wrong with a page's diagrams once its scripts have run: a mermaid
/// block left as code (no preprocessor), not turned into SVG (no script), or
/// drawn as mermaid's "Syntax error" picture. Checked in the page, which
/// spares sending its whole DOM (megabytes of SVG on print.html) to the test.
const DIAGRAM_PROBLEMS: &str = "(() => {
    const problems = [];
    if (document.querySelector('code.language-mermaid')) {
        problems.push('a mermaid fence was not turned into a diagram block');
    }
    document.querySelectorAll('pre.mermaid').forEach((block, index) => {
        const svg = block.querySelector('svg');
        if (!svg) {
            problems.push(`mermaid block ${index + 1} was not rendered to SVG`);
        } else if (svg.getAttribute('aria-roledescription') === 'error') {
            problems.push(`mermaid block ${index + 1} is a syntax error`);
        }
    });
    return problems;
})()";

/// Where the vendored axe-core is served from, beside the book.
const AXE_PATH: &str = "/vendor/axe.min.js";

/// Terminal blocks at the window's width: a block whose text is wider than
/// its box scrolls sideways, and hides the end of its longest lines.
const LINE_FIT: &str = "[...document.querySelectorAll('pre > code.language-console')]
    .flatMap((code, index) => {
        const box = [code.parentElement, code].find((box) => box.scrollWidth > box.clientWidth + 1);
        const line = code.innerText.split('\\n').find((line) => line.trim());
        return box ? [`Terminal block ${index + 1} (${line}) scrolls: ${box.scrollWidth} px of text in ${box.clientWidth} px`] : [];
    })";

/// What a Terminal block's copy button puts on the clipboard, or null when the
/// block has no button.
const COPY_BLOCK: &str = "async (index) => {
    const code = document.querySelectorAll('pre > code.language-console')[index];
    const button = code.parentElement.querySelector('.clip-button');
    if (!button) {
        return null;
    }
    const untouched = 'nothing copied ' + Math.random();
    await navigator.clipboard.writeText(untouched);
    button.click();
    for (let tries = 0; tries < 100; tries++) {
        const copied = await navigator.clipboard.readText();
        if (copied !== untouched) {
            return copied;
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return '(nothing)';
}";

/// The text of every diagram against what is drawn behind it, by WCAG's
/// contrast ratio: at least 4.5, the AA level for text.
const DIAGRAM_CONTRAST: &str = "(() => {
    const parse = (colour) => {
        const numbers = (colour.match(/[\\d.]+/g) || []).map(Number);
        if (colour.startsWith('rgb')) {
            return { rgb: numbers.slice(0, 3), alpha: numbers[3] ?? 1 };
        }
        if (colour.startsWith('color(srgb')) {
            return { rgb: numbers.slice(0, 3).map((value) => value * 255), alpha: numbers[3] ?? 1 };
        }
        return null;
    };
    const over = (top, bottom) => top.rgb.map((value, i) => value * top.alpha + bottom[i] * (1 - top.alpha));
    const luminance = (rgb) => {
        const [r, g, b] = rgb.map((value) => {
            const c = value / 255;
            return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const shapes = ['rect', 'path', 'polygon', 'circle', 'ellipse'];
    const problems = [];
    document.querySelectorAll('pre.mermaid svg').forEach((svg, diagram) => {
        const texts = [...svg.querySelectorAll('*')].filter((element) =>
            [...element.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim()));
        for (const element of texts) {
            const style = getComputedStyle(element);
            const ink = parse(element instanceof SVGElement ? style.fill : style.color);
            element.scrollIntoView({ block: 'center', inline: 'center' });
            const box = element.getBoundingClientRect();
            if (!ink || box.width === 0 || style.visibility === 'hidden') {
                continue;
            }
            const layers = [];
            for (const below of document.elementsFromPoint(box.x + box.width / 2, box.y + box.height / 2)) {
                if (below === element) {
                    continue;
                }
                const paint = getComputedStyle(below);
                const fill = shapes.includes(below.localName) ? parse(paint.fill) : null;
                if (fill) {
                    fill.alpha *= Number(paint.fillOpacity) * Number(paint.opacity);
                }
                layers.push(...[fill, parse(paint.backgroundColor)].filter((layer) => layer && layer.alpha > 0));
                if (layers.some((layer) => layer.alpha >= 0.99)) {
                    break;
                }
            }
            const background = layers.reverse().reduce((under, layer) => over(layer, under), [255, 255, 255]);
            const text = over(ink, background);
            const [light, dark] = [luminance(text), luminance(background)].sort((a, b) => b - a);
            const ratio = (light + 0.05) / (dark + 0.05);
            if (ratio < 4.5) {
                const rgb = (values) => `rgb(${values.map(Math.round).join(', ')})`;
                problems.push(`diagram ${diagram + 1}: \"${element.textContent.trim()}\" is ${rgb(text)} on ${rgb(background)}, contrast ${ratio.toFixed(2)} (4.5 needed)`);
            }
        }
    });
    window.scrollTo(0, 0);
    return problems;
})()";

/// On a solution page, the words "try it first" on the first screen, above
/// the first code block.
const TRY_IT_FIRST: &str = "(() => {
    const main = document.querySelector('main');
    const code = main.querySelector('pre');
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    let reminder = null;
    while (!reminder && walker.nextNode()) {
        if (/try it first/i.test(walker.currentNode.textContent)) {
            reminder = walker.currentNode.parentElement.getBoundingClientRect();
        }
    }
    if (!reminder || reminder.height === 0) {
        return ['no \"try it first\" on the page'];
    }
    if (reminder.top > window.innerHeight || (code && reminder.bottom > code.getBoundingClientRect().top)) {
        return ['\"try it first\" is not on the first screen above the code'];
    }
    return [];
})()";

/// axe-core's serious and critical findings (the sidebar's frame is a page
/// of its own, checked on its own).
const AXE_RUN: &str = "new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = 'AXE_PATH';
    script.onload = resolve;
    script.onerror = () => reject(new Error('axe-core did not load'));
    document.head.append(script);
}).then(() => axe.run(document, OPTIONS))
  .then((results) => results.violations
    .filter((violation) => ['serious', 'critical'].includes(violation.impact))
    .map((violation) => `axe-core, ${violation.impact}: ${violation.id} (${violation.help}) at `
        + violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(', ')
        + (violation.nodes.length > 3 ? ` and ${violation.nodes.length - 3} more` : '')))";

/// axe-core's rules that look at colour.
const COLOUR_RULES: &[&str] = &["color-contrast", "link-in-text-block"];

/// axe-core's findings on a page, with all its rules or only some.
fn axe_problems(page: &Page, rules: Option<&[&str]>) -> Vec<String> {
    let mut options = json!({ "iframes": false, "resultTypes": ["violations"] });
    if let Some(rules) = rules {
        options["runOnly"] = json!({ "type": "rule", "values": rules });
    }
    page.strings(
        &AXE_RUN
            .replace("AXE_PATH", AXE_PATH)
            .replace("OPTIONS", &options.to_string()),
    )
}

/// The clipboard is the browser's, shared by all tabs: one copy at a time.
static CLIPBOARD: Mutex<()> = Mutex::new(());

/// Each Terminal block's copy button must copy its commands, without the
/// `$ ` prompt and without the output, or be absent.
fn copy_problems(page: &Page) -> Vec<String> {
    let blocks = page.strings(
        "[...document.querySelectorAll('pre > code.language-console')].map((code) => code.innerText)",
    );
    let mut problems = Vec::new();
    for (index, text) in blocks.iter().enumerate() {
        let commands: Vec<&str> = text
            .lines()
            .filter_map(|line| line.strip_prefix("$ "))
            .collect();
        let copied = {
            let _one_at_a_time = CLIPBOARD
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            page.evaluate(&format!("({COPY_BLOCK})({index})"))
        };
        match copied {
            Value::Null => {}
            Value::String(copied) if copied == commands.join("\n") => {}
            copied => problems.push(format!(
                "the copy button of Terminal block {} copies {copied}, not only its commands {:?}",
                index + 1,
                commands.join("\n")
            )),
        }
    }
    problems
}

/// Issue 17's limits, for a page without a diagram.
fn load_problems(bytes: u64, script_seconds: f64) -> Vec<String> {
    let mut problems = Vec::new();
    if bytes > MAX_BYTES_WITHOUT_DIAGRAM {
        problems.push(format!(
            "a cold load transfers {} kB, more than {} kB for a page without a diagram",
            bytes / 1000,
            MAX_BYTES_WITHOUT_DIAGRAM / 1000
        ));
    }
    if script_seconds > MAX_SCRIPT_SECONDS_WITHOUT_DIAGRAM {
        problems.push(format!(
            "a cold load runs {script_seconds:.3} s of script, more than {MAX_SCRIPT_SECONDS_WITHOUT_DIAGRAM} s for a page without a diagram"
        ));
    }
    problems
}

/// Requests to anything but the book's own server.
fn outside_requests(page: &Page) -> impl Iterator<Item = &String> {
    let local = format!("{}/", site().origin);
    page.requests.iter().filter(move |url| {
        ["http:", "https:", "ws:", "wss:"]
            .iter()
            .any(|scheme| url.starts_with(scheme))
            && !url.starts_with(&local)
    })
}

fn is_solution(page: &str) -> bool {
    page.starts_with("exercises/") && page.ends_with("-solution.html")
}

/// What is checked on a page in the theme it shows: its screenshots, its
/// diagrams drawn and legible, and in the light and dark themes, Terminal
/// lines that fit and axe-core.
fn theme_problems(loaded: &Page, theme: &str) -> Vec<String> {
    let page = loaded.path.as_str();
    for &(_, _, height) in SCREENSHOTS
        .iter()
        .filter(|&&(shot, shot_theme, _)| (shot, shot_theme) == (page, theme))
    {
        let name = format!(
            "{}-{theme}",
            page.trim_end_matches(".html").replace('/', "-")
        );
        screenshot(loaded, &name, height);
    }
    let mut problems = loaded.strings(DIAGRAM_PROBLEMS);
    // The chapters' order is the HTML's, the same in every theme.
    if page == "print.html" && theme == LIGHT {
        problems.extend(print_order_problems(&loaded.dom()));
    }
    problems.extend(loaded.strings(DIAGRAM_CONTRAST));
    if theme == LIGHT || theme == DARK {
        problems.extend(loaded.strings(LINE_FIT));
        // print.html repeats the chapters, and toc.html is the sidebar
        // frame for readers without JavaScript: neither is a page of its own.
        if !["print.html", "toc.html"].contains(&page) {
            // A theme changes colours only, so the dark one needs only the
            // rules about colour.
            let rules = if theme == LIGHT {
                None
            } else {
                Some(COLOUR_RULES)
            };
            problems.extend(axe_problems(loaded, rules));
        }
    }
    problems
        .into_iter()
        .map(|problem| format!("{page} ({theme}): {problem}"))
        .collect()
}

/// What the browser saw while loading a page: messages on its console, and
/// requests to anything but the book's server.
fn load_record_problems(loaded: &Page) -> Vec<String> {
    let page = &loaded.path;
    // Chromium asks any site for /favicon.ico on a page that names no icon
    // (toc.html, the sidebar for readers without JavaScript): not ours.
    let mut problems: Vec<String> = loaded
        .console
        .iter()
        .filter(|message| !message.ends_with("/favicon.ico"))
        .map(|message| format!("{page}: console: {message}"))
        .collect();
    if loaded.requests.is_empty() {
        problems.push(format!("{page}: no request was seen"));
    }
    problems.extend(
        outside_requests(loaded).map(|url| format!("{page}: requested {url}, outside 127.0.0.1")),
    );
    problems
}

/// Everything checked on one page, opened cold in `theme`. A page opened
/// in the light theme is checked there, then switched to the dark one the
/// way a reader does it, and checked again; print.html, which holds every
/// diagram, is also opened in each other theme. Returns the problems and,
/// for a light load, its cold-load figures, which the caller judges
/// (see [`within_limits`]).
fn check(page: &str, theme: &str) -> (Vec<String>, Option<(u64, f64)>) {
    let mut loaded = Page::open(page, &Opening::theme(theme));
    let figures = (theme == LIGHT).then_some((loaded.bytes, loaded.script_seconds));
    let mut problems = theme_problems(&loaded, theme);
    if theme == LIGHT {
        let mut light = copy_problems(&loaded);
        if is_solution(page) {
            light.extend(loaded.strings(TRY_IT_FIRST));
        }
        problems.extend(
            light
                .into_iter()
                .map(|problem| format!("{page} ({theme}): {problem}")),
        );
        // toc.html, the sidebar for readers without JavaScript, has no
        // theme menu: it is opened in the dark theme instead.
        if loaded.evaluate(&format!(
            "document.getElementById('mdbook-theme-{DARK}') !== null"
        )) == true
        {
            loaded.switch_theme(DARK);
        } else {
            problems.extend(load_record_problems(&loaded));
            loaded = Page::open(page, &Opening::theme(DARK));
        }
        problems.extend(theme_problems(&loaded, DARK));
    }
    problems.extend(load_record_problems(&loaded));
    (problems, figures)
}

/// A light cold load of a page without a diagram, judged against the
/// limits. Script time is CPU time, which other work on the machine only
/// adds to: a page over the limit is loaded cold again, up to
/// `MORE_LOADS` times, one load at a time once the parallel checks are
/// done, and its smallest figures count. Returns them.
fn within_limits(
    page: &str,
    mut bytes: u64,
    mut script_seconds: f64,
    failures: &mut Vec<String>,
) -> (u64, f64) {
    const MORE_LOADS: usize = 4;
    for _ in 0..MORE_LOADS {
        if load_problems(bytes, script_seconds).is_empty() {
            break;
        }
        let again = Page::open(page, &Opening::theme(LIGHT));
        bytes = bytes.min(again.bytes);
        script_seconds = script_seconds.min(again.script_seconds);
    }
    failures.extend(
        load_problems(bytes, script_seconds)
            .into_iter()
            .map(|problem| format!("{page} ({LIGHT}): {problem}")),
    );
    (bytes, script_seconds)
}

/// Where the screenshots and the cold-load figures are left.
fn results_dir() -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap();
    let dir = target.join("browser-screenshots");
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn every_page_loads_light_and_reads_well_in_every_theme() {
    let site = site();
    let pages = html_pages(&site.dir);
    let with_diagram: BTreeSet<&str> = pages
        .iter()
        .filter(|page| {
            fs::read_to_string(site.dir.join(page))
                .unwrap()
                .contains(r#"<pre class="mermaid""#)
        })
        .map(String::as_str)
        .collect();
    let with_diagram = &with_diagram;
    let jobs: Vec<(&str, &str)> = THEMES
        .iter()
        .flat_map(|&theme| {
            pages
                .iter()
                .map(String::as_str)
                .filter(move |&page| theme == LIGHT || (theme != DARK && page == "print.html"))
                .map(move |page| (page, theme))
        })
        .collect();
    let outcomes = in_parallel(&jobs, |&(page, theme)| check(page, theme));
    let mut figures = format!(
        "Cold loads at {WINDOW_WIDTH} px, light theme: bytes transferred and main-thread script time.\n\
         Limits for a page without a diagram: {} kB, {MAX_SCRIPT_SECONDS_WITHOUT_DIAGRAM} s.\n\n\
         {:<42} {:>8} {:>10}  diagrams\n",
        MAX_BYTES_WITHOUT_DIAGRAM / 1000,
        "page",
        "kB",
        "script ms"
    );
    let mut failures = Vec::new();
    for (&(page, _), (problems, load)) in jobs.iter().zip(outcomes) {
        failures.extend(problems);
        if let Some((bytes, script_seconds)) = load {
            let has_diagram = with_diagram.contains(page);
            let (bytes, script_seconds) = if has_diagram {
                (bytes, script_seconds)
            } else {
                within_limits(page, bytes, script_seconds, &mut failures)
            };
            let diagrams = if has_diagram { "yes" } else { "" };
            figures += &format!(
                "{page:<42} {:>8} {:>10.1}  {diagrams}\n",
                bytes / 1000,
                script_seconds * 1000.0
            );
        }
    }
    fs::write(results_dir().join("cold-loads.txt"), &figures).unwrap();
    println!("{figures}");
    // Chromium asks any site for /favicon.ico on a page that names no icon
    // (toc.html, the sidebar for readers without JavaScript): not a link of ours.
    let missing: Vec<String> = MISSING
        .lock()
        .unwrap()
        .iter()
        .filter(|path| *path != "/favicon.ico")
        .cloned()
        .collect();
    assert!(
        failures.is_empty() && missing.is_empty(),
        "{} loads of {} pages; problems:\n{}\nfiles requested but not in the book: {missing:?}",
        jobs.len(),
        pages.len(),
        failures.join("\n")
    );
}

#[test]
fn the_browser_checks_see_errors_and_outside_requests() {
    let probe = Page::open(PROBE_PATH.trim_start_matches('/'), &Opening::theme(LIGHT));
    assert!(
        probe
            .console
            .iter()
            .any(|message| message.contains("undefinedProbeFunction is not defined")),
        "the uncaught error was not seen; console: {:?}",
        probe.console
    );
    assert!(
        outside_requests(&probe).any(|url| url == "https://probe.invalid/script.js"),
        "the request to another host was not seen; requests: {:?}",
        probe.requests
    );
}

/// Each reading check, on a page broken the way it guards against.
#[test]
fn each_check_fails_on_a_broken_page() {
    let light = Opening::theme(LIGHT);

    // The diagram engine on every page, as the theme had it before issue 17.
    let eager = Page::open(&format!("key-takeaways.html?{EAGER_MERMAID}"), &light);
    let over = load_problems(eager.bytes, eager.script_seconds);
    assert_eq!(
        over.len(),
        2,
        "with the diagram engine, key-takeaways.html transfers {} B and runs {:.3} s of script; \
         the limits should fail both",
        eager.bytes,
        eager.script_seconds
    );

    // Terminal lines that do not wrap.
    let example = Page::open("example-1-loop-leak.html", &light);
    example.add_style(
        "pre > code.language-console { white-space: pre !important; overflow-wrap: normal !important; }",
    );
    let scrolling = example.strings(LINE_FIT);
    assert!(
        scrolling.iter().any(|problem| problem.contains("scrolls")),
        "long Terminal lines that do not wrap were not seen"
    );

    // Diagram text drawn in a dark ink on the navy theme.
    let navy = Page::open("example-1-loop-leak.html", &Opening::theme(DARK));
    navy.add_style("pre.mermaid svg * { fill: #2a2e45 !important; color: #2a2e45 !important; }");
    let faint = navy.strings(DIAGRAM_CONTRAST);
    assert!(
        faint.iter().any(|problem| problem.contains("contrast")),
        "dark diagram text on the navy theme was not seen"
    );

    // An image without a text alternative and faint text.
    let overview = Page::open("overview.html", &light);
    overview.evaluate(
        "document.querySelector('main').insertAdjacentHTML('afterbegin', \
         '<img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\" width=\"20\" height=\"20\">\
          <p style=\"color: #999; background: #aaa\">faint words</p>')",
    );
    let axe = axe_problems(&overview, None).join("\n");
    assert!(
        axe.contains("image-alt") && axe.contains("color-contrast"),
        "axe-core missed an image without alt text or faint text; it found:\n{axe}"
    );

    // Without the theme's scripts: mdBook's copy button copies the output
    // too, solution pages open on the code, and diagrams stay code.
    let bare = Opening {
        blocked: &["*/theme/reading-*", "*/theme/mermaid-init-*"],
        ..Opening::theme(LIGHT)
    };
    let example = Page::open("example-1-loop-leak.html", &bare);
    let copies = copy_problems(&example);
    assert!(
        copies.iter().any(|problem| problem.contains("Open FDs")),
        "a copy button that copies the output was not seen: {copies:?}"
    );
    assert!(
        !example.strings(DIAGRAM_PROBLEMS).is_empty(),
        "diagrams left undrawn were not seen"
    );
    let solution = Page::open("exercises/1-loop-solution.html", &bare);
    assert!(
        !solution.strings(TRY_IT_FIRST).is_empty(),
        "a solution page without \"try it first\" was not seen"
    );
}

#[test]
fn search_finds_defer() {
    // mdBook's search opens with the query in the address, as a shared link does.
    let search = Page::open("index.html?search=defer", &Opening::theme(LIGHT));
    search.evaluate(
        "new Promise((resolve) => {
            const start = performance.now();
            const poll = () => {
                const list = document.getElementById('mdbook-searchresults');
                if ((list && list.children.length) || performance.now() - start > 10000) {
                    resolve();
                } else {
                    setTimeout(poll, 50);
                }
            };
            poll();
        })",
    );
    screenshot(&search, "search-defer-light", 1000);
    let dom = search.dom();
    let results = dom
        .split(r#"id="mdbook-searchresults""#)
        .nth(1)
        .and_then(|rest| rest.split("</ul>").next())
        .expect("the page has a search results list");
    let hits = results.matches("<li").count();
    assert!(
        hits > 0 && results.contains("example-1-loop-leak.html"),
        "searching for \"defer\" found {hits} results, none in Example 1:\n{results}"
    );
}

/// The chapters listed in SUMMARY.md, as built HTML paths, in order.
fn chapters() -> Vec<String> {
    static LINK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\]\(([^)]+)\.md\)").unwrap());
    let summary = fs::read_to_string(support::root().join("src/SUMMARY.md")).unwrap();
    LINK.captures_iter(&summary)
        .map(|found| format!("{}.html", &found[1]))
        .collect()
}

/// The text of each top-level heading of a page, in order.
fn titles(html: &str) -> Vec<String> {
    static H1: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"(?s)<h1 id="[^"]*">(.*?)</h1>"#).unwrap());
    static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^>]*>").unwrap());
    H1.captures_iter(html)
        .map(|found| TAG.replace_all(&found[1], "").trim().to_string())
        .collect()
}

/// On print.html, every chapter's title, in the order of SUMMARY.md.
fn print_order_problems(printed: &str) -> Vec<String> {
    let site = site();
    let printed = titles(printed);
    let mut rest = printed.iter();
    let mut problems = Vec::new();
    for chapter in chapters() {
        let html = fs::read_to_string(site.dir.join(&chapter)).unwrap();
        let title = titles(&html)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("{chapter} has no title"));
        if !rest.any(|printed| *printed == title) {
            problems.push(format!(
                "lacks chapter {chapter} (\"{title}\") after the ones before it; its chapters: {printed:?}"
            ));
            break;
        }
    }
    problems
}

/// Decodes the base64 in which Chromium sends a screenshot.
fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bytes = Vec::with_capacity(text.len() / 4 * 3);
    let (mut bits, mut count) = (0u32, 0);
    for symbol in text.bytes().take_while(|&symbol| symbol != b'=') {
        let value = ALPHABET
            .iter()
            .position(|&letter| letter == symbol)
            .expect("base64") as u32;
        bits = bits << 6 | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            bytes.push((bits >> count) as u8);
        }
    }
    bytes
}

/// Pages photographed as they are checked, each in one theme, the shot that
/// many pixels high (0 for none); each diagram on them is also shot on its
/// own. print.html holds every diagram of the book.
const SCREENSHOTS: &[(&str, &str, u32)] = &[
    ("overview.html", LIGHT, 1200),
    ("example-1-loop-leak.html", LIGHT, 4000),
    ("example-1-loop-leak.html", DARK, 4000),
    ("resources/cleanup-internals.html", LIGHT, 2400),
    ("resources/benchmarks.html", DARK, 3000),
    ("go-to-rust.html", LIGHT, 2400),
    ("exercises/1-loop-solution.html", LIGHT, 800),
    ("print.html", "rust", 0),
    ("print.html", "coal", 0),
    ("print.html", "ayu", 0),
];

/// Saves a shot of the top of the page, `height` pixels high, and one of
/// each diagram, as target/browser-screenshots/NAME.png and NAME-diagram-N.png.
/// Each is taken inside the window (a shot beyond it lays out the whole
/// page again, seconds on print.html).
fn screenshot(page: &Page, name: &str, height: u32) {
    let save = |file: String, clip: Value| {
        let shot = page.call(
            "Page.captureScreenshot",
            json!({ "format": "png", "clip": clip }),
        );
        let png = base64_decode(shot["data"].as_str().unwrap_or_default());
        assert!(
            png.starts_with(b"\x89PNG") && png.len() > 5_000,
            "no screenshot {file} of {}",
            page.path
        );
        fs::write(results_dir().join(file), png).unwrap();
    };
    if height > 0 {
        page.resize(height);
        save(
            format!("{name}.png"),
            json!({ "x": 0, "y": 0, "width": WINDOW_WIDTH, "height": height, "scale": 1 }),
        );
        page.resize(WINDOW_HEIGHT);
    }
    let diagrams = page.evaluate("document.querySelectorAll('pre.mermaid').length");
    for index in 0..diagrams.as_u64().unwrap() {
        // The clip is in the page's coordinates, and must be in the window.
        let clip = page.evaluate(&format!(
            "(() => {{
                const diagram = document.querySelectorAll('pre.mermaid')[{index}];
                diagram.scrollIntoView({{ block: 'center' }});
                const box = diagram.getBoundingClientRect();
                return {{ x: box.x + window.scrollX, y: box.y + window.scrollY,
                          width: box.width, height: Math.min(box.height, window.innerHeight), scale: 1 }};
            }})()"
        ));
        save(format!("{name}-diagram-{}.png", index + 1), clip);
    }
    page.evaluate("window.scrollTo(0, 0)");
}

/// The targets of a page's links and resources, and the ids it defines.
struct Parsed {
    links: Vec<String>,
    ids: BTreeSet<String>,
}

fn parse(html: &str) -> Parsed {
    static LINK: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"\b(?:href|src)="([^"]*)""#).unwrap());
    static ID: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"\b(?:id|name)="([^"]*)""#).unwrap());
    Parsed {
        links: LINK
            .captures_iter(html)
            .map(|found| found[1].replace("&amp;", "&"))
            .collect(),
        ids: ID
            .captures_iter(html)
            .map(|found| found[1].to_string())
            .collect(),
    }
}

/// Joins a relative link to the directory of the page it is on.
fn resolve(page_dir: &Path, link: &str) -> PathBuf {
    let mut path = PathBuf::new();
    for part in page_dir.join(link).components() {
        match part {
            Component::ParentDir => {
                path.pop();
            }
            Component::Normal(name) => path.push(name),
            _ => {}
        }
    }
    path
}

#[test]
fn every_internal_link_and_anchor_resolves() {
    let site = site();
    let pages: BTreeMap<String, Parsed> = html_pages(&site.dir)
        .into_iter()
        .map(|page| {
            let html = fs::read_to_string(site.dir.join(&page)).unwrap();
            (page, parse(&html))
        })
        .collect();
    let mut broken = Vec::new();
    let mut checked = 0;
    for (page, parsed) in &pages {
        // 404.html is served at any depth, so it links from the root (<base href="/">).
        let page_dir = match page.as_str() {
            "404.html" => Path::new(""),
            _ => Path::new(page).parent().unwrap(),
        };
        for link in &parsed.links {
            if link.contains(':') || link.starts_with("//") {
                continue; // another site (https:, mailto:): not ours to check offline
            }
            checked += 1;
            let (file, anchor) = link.split_once('#').unwrap_or((link, ""));
            let file = file.split('?').next().unwrap_or_default();
            let target = match file {
                "" => PathBuf::from(page),
                "/" => PathBuf::from("index.html"),
                _ => resolve(page_dir, file.trim_start_matches('/')),
            };
            let target_name = target.to_str().unwrap().to_string();
            if !site.dir.join(&target).exists() {
                broken.push(format!("{page}: {link}: no file {target_name}"));
            } else if !anchor.is_empty() {
                match pages.get(&target_name) {
                    Some(target) if target.ids.contains(anchor) => {}
                    _ => broken.push(format!(
                        "{page}: {link}: no id \"{anchor}\" in {target_name}"
                    )),
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "{} of {checked} internal links are broken:\n{}",
        broken.len(),
        broken.join("\n")
    );
}
