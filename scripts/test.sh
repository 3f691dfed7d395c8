#!/usr/bin/env bash
# Runs every test of moim: Rust (unit + in-process integration), the web
# engine's unit tests, protocol tests with the real socket.io-client against the
# built binary, and browser tests with Playwright and Debian's Chromium (and
# Debian's Firefox ESR with puppeteer-core, tests/e2e/firefox.test.ts).
#
# Release profile throughout, and one cargo command builds everything: the
# test binaries and, for the tests that run it as a child, target/release/moim,
# which the protocol and browser tests below run too. A `cargo build --release`
# first would not be reused: the tests' dev-dependencies turn on more features
# (tokio's `process`, ...), so it built moim and some 80 dependencies a second
# time, and this step then replaced target/release/moim anyway.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$(date +%s)
step() { printf '\n== %s (%ss)\n' "$1" "$(( $(date +%s) - started ))"; }

step "web dependencies"
# Missing, or older than the lock file (a pull added a package).
[ web/node_modules/.package-lock.json -nt web/package-lock.json ] || (cd web && npm ci --no-audit --no-fund)

step "build: moim with its web UI, and the Rust tests (cargo test --release --workspace --no-run)"
cargo test --release --workspace --no-run

step "imports: no circle between files, the layers of docs/architecture.md"
python3 scripts/import-cycles.py --layers

step "rust tests (cargo test --release --workspace)"
cargo test --release --workspace

cd web
step "web: type check"
npm run --silent typecheck

step "web: engine unit tests (vitest)"
npm run --silent test:unit

step "protocol tests: socket.io-client against target/release/moim"
npm run --silent test:protocol

step "browser tests: Playwright + /usr/bin/chromium, puppeteer-core + /usr/bin/firefox-esr"
# A failed browser test writes what its pages showed and its servers' last
# lines here (tests/support/postmortem.ts); printed last, so a log that
# keeps only its tail still says why.
MOIM_POSTMORTEM=$(mktemp) && export MOIM_POSTMORTEM
npm run --silent test:e2e || {
  status=$?
  cat "$MOIM_POSTMORTEM"
  rm -f "$MOIM_POSTMORTEM"
  exit "$status"
}
rm -f "$MOIM_POSTMORTEM"

step "all tests passed"
