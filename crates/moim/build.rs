//! Builds the web UI (`web/`, Vite) into `$OUT_DIR/web`, which `http::assets`
//! embeds. `npm ci` runs first when `web/node_modules` is missing, so
//! `cargo run --release` works on a fresh clone with Node installed.
//!
//! It also copies socket.io-client's browser build to `socket.io/socket.io.js`,
//! where the course's client expects it.
//!
//! And it copies the Socket.IO Admin UI (`@socket.io/admin-ui`'s `ui/dist`) to
//! `admin/`, served at `/admin/` when the admin namespace is on.
//!
//! `MOIM_SKIP_WEB_BUILD=1` embeds a one-page placeholder instead, for Rust-only
//! work on a machine without Node.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let web = manifest.join("../../web");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("web");
    // Only paths that exist: cargo reruns the script on every build for a
    // watched path that is missing (a watched `public/` made every cargo
    // command relink moim).
    for input in [
        "src",
        "index.html",
        "package.json",
        "package-lock.json",
        "vite.config.ts",
        "build",
        "public",
        "tsconfig.json",
    ] {
        let path = web.join(input);
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    println!("cargo:rerun-if-env-changed=MOIM_SKIP_WEB_BUILD");

    if std::env::var_os("MOIM_SKIP_WEB_BUILD").is_some_and(|v| v != "0") {
        std::fs::create_dir_all(&out).expect("create the UI output folder");
        std::fs::write(
            out.join("index.html"),
            "<!doctype html><title>moim</title><p>This moim was built without its web UI (MOIM_SKIP_WEB_BUILD).</p>",
        )
        .expect("write the placeholder UI");
        return;
    }
    if dependencies_stale(&web) {
        npm(&web, &["ci", "--no-audit", "--no-fund"], &out);
    }
    npm(&web, &["run", "build"], &out);
    copy_socket_io_client(&web, &out);
    copy_admin_ui(&web, &out);
}

/// Copies the Admin UI without its source maps, points it at this server's
/// `/admin` namespace (`moim-defaults.js`), and drops its links to web fonts
/// on CDNs: moim's pages load nothing from elsewhere.
fn copy_admin_ui(web: &Path, out: &Path) {
    let ui = web.join("node_modules/@socket.io/admin-ui/ui/dist");
    println!("cargo:rerun-if-changed={}", ui.display());
    let target = out.join("admin");
    copy_tree(&ui, &target).unwrap_or_else(|e| {
        panic!(
            "copy {} ({e}); is @socket.io/admin-ui installed in web/?",
            ui.display()
        )
    });
    let index = target.join("index.html");
    let html = std::fs::read_to_string(&index).expect("read the Admin UI's index.html");
    let html = html
        .split("<link")
        .enumerate()
        .map(|(i, part)| match i {
            0 => part.to_owned(),
            _ if part.contains("https://") => part
                .split_once('>')
                .map(|(_, rest)| rest.to_owned())
                .unwrap_or_default(),
            _ => format!("<link{part}"),
        })
        .collect::<String>()
        .replacen(
            "<script",
            "<script src=\"moim-defaults.js\"></script><script",
            1,
        )
        .replacen(
            "</head>",
            "<link rel=\"stylesheet\" href=\"mdi/css/materialdesignicons.min.css\"></head>",
            1,
        );
    std::fs::write(&index, html).expect("write the Admin UI's index.html");
    std::fs::write(
        target.join("moim-defaults.js"),
        "// moim: the Admin UI connects to the server that serves it, unless told otherwise.\n\
         try {\n  if (!localStorage.getItem('server_url')) localStorage.setItem('server_url', location.origin);\n} catch (e) {}\n",
    )
    .expect("write moim-defaults.js");
    copy_icon_font(web, &target);
}

/// The icon font the Admin UI loads from a CDN (`@mdi/font`), served locally:
/// its stylesheet and the woff2 font, which every current browser takes.
fn copy_icon_font(web: &Path, admin: &Path) {
    let mdi = web.join("node_modules/@mdi/font");
    for (from, to) in [
        (
            "css/materialdesignicons.min.css",
            "mdi/css/materialdesignicons.min.css",
        ),
        (
            "fonts/materialdesignicons-webfont.woff2",
            "mdi/fonts/materialdesignicons-webfont.woff2",
        ),
    ] {
        let target = admin.join(to);
        std::fs::create_dir_all(target.parent().expect("a file in a folder"))
            .expect("create the icon font folder");
        std::fs::copy(mdi.join(from), &target).unwrap_or_else(|e| {
            panic!("copy @mdi/font's {from} ({e}); is @mdi/font installed in web/?")
        });
    }
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            copy_tree(&path, &to.join(entry.file_name()))?;
        } else if path.extension().is_none_or(|ext| ext != "map") {
            std::fs::copy(&path, to.join(entry.file_name()))?;
        }
    }
    Ok(())
}

/// The course's pages load `/socket.io/socket.io.js`, which Node's socket.io
/// serves itself; moim serves the same client build from the npm package.
fn copy_socket_io_client(web: &Path, out: &Path) {
    let client = web.join("node_modules/socket.io-client/dist/socket.io.min.js");
    let target = out.join("socket.io");
    std::fs::create_dir_all(&target).expect("create the socket.io client folder");
    std::fs::copy(&client, target.join("socket.io.js")).unwrap_or_else(|e| {
        panic!(
            "copy {} ({e}); is socket.io-client installed in web/?",
            client.display()
        )
    });
}

fn npm(dir: &Path, args: &[&str], out: &Path) {
    let status = Command::new("npm")
        .args(args)
        .current_dir(dir)
        .env("MOIM_WEB_OUT", out)
        .status()
        .unwrap_or_else(|e| panic!("moim's web UI needs Node.js and npm on the PATH ({e})"));
    assert!(
        status.success(),
        "`npm {}` in {} failed",
        args.join(" "),
        dir.display()
    );
}

/// `node_modules` is missing, or older than the lock file (a pull added a
/// package): npm writes `node_modules/.package-lock.json` on every install.
fn dependencies_stale(web: &Path) -> bool {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    match (
        modified(&web.join("node_modules/.package-lock.json")),
        modified(&web.join("package-lock.json")),
    ) {
        (Some(installed), Some(locked)) => installed < locked,
        _ => true,
    }
}
