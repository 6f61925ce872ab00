//! The book as readers see it. The tests build the book from the current
//! sources, serve it on 127.0.0.1, and load every page in headless Chromium:
//! no console message, every diagram drawn, nothing fetched from another host,
//! search working, the print page complete. A plain-Rust pass checks every
//! internal link and `#anchor` of the built HTML.
//!
//! Without Chromium these tests fail with the command that installs it; they
//! never skip. Screenshots of a few pages are left in target/browser-screenshots/.

mod support;

use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::Command;
use std::sync::{LazyLock, Mutex, OnceLock};
use std::thread;

const INSTALL_CHROMIUM: &str = "no Chromium found: run `make setup` (on Debian or Ubuntu it runs \
     `apt-get install chromium`), or install Chromium or Chrome and set CHROME=/path/to/it";

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
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let mut file = dir.join(path.trim_start_matches('/'));
    if file.is_dir() {
        file = file.join("index.html");
    }
    let inside = Path::new(path)
        .components()
        .all(|part| matches!(part, Component::RootDir | Component::Normal(_)));
    let (status, body) = match fs::read(&file) {
        _ if path == PROBE_PATH => ("200 OK", PROBE_PAGE.as_bytes().to_vec()),
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

/// Headless Chromium with a throwaway profile, no network beyond 127.0.0.1
/// (other names do not resolve), and none of the browser's own background
/// traffic that can be switched off.
fn browser(profile: &Path) -> Command {
    let mut command = Command::new(chromium());
    command.args([
        "--headless",
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
        // Pages render as soon as their scripts have run, on virtual time.
        "--virtual-time-budget=10000",
    ]);
    command.arg(format!("--user-data-dir={}", profile.display()));
    // Chromium refuses to run as root with its sandbox on (CI runs as root).
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        command.arg("--no-sandbox");
    }
    command
}

/// What one page load left behind.
struct Visit {
    /// The DOM after the page's scripts ran.
    dom: String,
    /// Console messages, uncaught exceptions included.
    console: Vec<String>,
    /// Every URL requested on behalf of the page, subresources included.
    requests: Vec<String>,
}

fn visit(url: &str) -> Visit {
    static CONSOLE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r":CONSOLE[:(]\d+\)?\] (.*)").unwrap());
    static PAGE_REQUEST: LazyLock<Regex> = LazyLock::new(|| {
        // Chromium's net log: one event per line. A request made for a page of
        // the book carries the book's site in its network isolation key; the
        // browser's own requests carry another or none.
        Regex::new(r#""network_isolation_key":"http://127\.0\.0\.1 "#).unwrap()
    });
    static URL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#""url":"([^"]*)""#).unwrap());

    let profile = tempfile::tempdir().unwrap();
    let net_log = profile.path().join("net-log.json");
    let output = browser(profile.path())
        .arg(format!("--log-net-log={}", net_log.display()))
        .args(["--enable-logging=stderr", "--dump-dom", url])
        .output()
        .expect("chromium runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "chromium failed on {url}:\n{stderr}"
    );
    let console = stderr
        .lines()
        .filter_map(|line| CONSOLE.captures(line))
        .map(|found| found[1].to_string())
        .collect();
    let requests = fs::read_to_string(&net_log)
        .unwrap_or_default()
        .lines()
        .filter(|event| PAGE_REQUEST.is_match(event))
        .filter_map(|event| URL.captures(event))
        .map(|found| found[1].to_string())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    Visit {
        dom: String::from_utf8_lossy(&output.stdout).into_owned(),
        console,
        requests,
    }
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
/// drawn as mermaid's "Syntax error" picture.
fn diagram_problems(dom: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if dom.contains("language-mermaid") {
        problems.push("a mermaid fence was not turned into a diagram block".to_string());
    }
    for (index, block) in dom.split(r#"<pre class="mermaid""#).skip(1).enumerate() {
        let svg = block.split("</pre>").next().unwrap_or_default();
        if !svg.contains("<svg") {
            problems.push(format!(
                "mermaid block {} was not rendered to SVG",
                index + 1
            ));
        } else if svg.contains(r#"aria-roledescription="error""#) {
            problems.push(format!("mermaid block {} is a syntax error", index + 1));
        }
    }
    problems
}

#[test]
fn every_page_loads_cleanly_and_draws_its_diagrams() {
    let site = site();
    let pages = html_pages(&site.dir);
    let local = format!("{}/", site.origin);
    // Two browsers at a time: one per core of the machines this runs on.
    let chunks: Vec<&[String]> = pages.chunks(pages.len().div_ceil(2)).collect();
    let failures: Vec<String> = thread::scope(|scope| {
        let workers: Vec<_> = chunks
            .iter()
            .map(|chunk| {
                let local = &local;
                scope.spawn(move || {
                    let mut failures = Vec::new();
                    for page in *chunk {
                        let visit = visit(&format!("{local}{page}"));
                        if !visit.dom.contains("</html>") {
                            failures.push(format!("{page}: the page did not load"));
                        }
                        for message in &visit.console {
                            failures.push(format!("{page}: console: {message}"));
                        }
                        for problem in diagram_problems(&visit.dom) {
                            failures.push(format!("{page}: {problem}"));
                        }
                        if visit.requests.is_empty() {
                            failures.push(format!("{page}: the net log lists no request"));
                        }
                        for url in visit.requests.iter().filter(|url| !url.starts_with(local)) {
                            failures.push(format!("{page}: requested {url}, outside 127.0.0.1"));
                        }
                    }
                    failures
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap())
            .collect()
    });
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
        "{} pages loaded; problems:\n{}\nfiles requested but not in the book: {missing:?}",
        pages.len(),
        failures.join("\n")
    );
}

#[test]
fn the_browser_checks_see_errors_and_outside_requests() {
    let visit = visit(&format!("{}{PROBE_PATH}", site().origin));
    assert!(
        visit
            .console
            .iter()
            .any(|message| message.contains("undefinedProbeFunction is not defined")),
        "the uncaught error was not seen; console: {:?}",
        visit.console
    );
    assert!(
        visit
            .requests
            .contains(&"https://probe.invalid/script.js".to_string()),
        "the request to another host was not seen; requests: {:?}",
        visit.requests
    );
}

#[test]
fn search_finds_defer() {
    let site = site();
    // mdBook's search opens with the query in the address, as a shared link does.
    let visit = visit(&format!("{}/index.html?search=defer", site.origin));
    let results = visit
        .dom
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

#[test]
fn print_page_holds_every_chapter_in_order() {
    let site = site();
    let printed = titles(&visit(&format!("{}/print.html", site.origin)).dom);
    let mut rest = printed.iter();
    for chapter in chapters() {
        let html = fs::read_to_string(site.dir.join(&chapter)).unwrap();
        let title = titles(&html)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("{chapter} has no title"));
        assert!(
            rest.any(|printed| *printed == title),
            "print.html lacks chapter {chapter} (\"{title}\") after the ones before it; its chapters: {printed:?}"
        );
    }
}

#[test]
fn screenshots_of_key_pages() {
    let site = site();
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap();
    let shots = target.join("browser-screenshots");
    fs::create_dir_all(&shots).unwrap();
    let pages = [
        ("overview", "overview.html", 1200),
        ("example-1-loop-leak", "example-1-loop-leak.html", 4000),
        (
            "cleanup-internals",
            "resources/cleanup-internals.html",
            2400,
        ),
        ("go-to-rust", "go-to-rust.html", 2400),
        ("search-defer", "index.html?search=defer", 1000),
    ];
    for (name, page, height) in pages {
        let source = page.split('?').next().unwrap();
        assert!(site.dir.join(source).is_file(), "the book has no {source}");
        let file = shots.join(format!("{name}.png"));
        if file.exists() {
            fs::remove_file(&file).unwrap();
        }
        let profile = tempfile::tempdir().unwrap();
        let status = browser(profile.path())
            .arg(format!("--window-size=1280,{height}"))
            .arg(format!("--screenshot={}", file.display()))
            .arg(format!("{}/{page}", site.origin))
            .output()
            .expect("chromium runs")
            .status;
        let png = fs::read(&file).unwrap_or_default();
        assert!(
            status.success() && png.starts_with(b"\x89PNG") && png.len() > 10_000,
            "no screenshot of {page} in {}",
            file.display()
        );
    }
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
