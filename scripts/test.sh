#!/usr/bin/env bash
# Runs every test of moim: Rust (unit + in-process integration), the web
# engine's unit tests, protocol tests with the real socket.io-client against the
# built binary, and browser tests with Playwright and Debian's Chromium.
#
# Release profile throughout: `cargo test --release` reuses what
# `cargo build --release` compiled, so the dependencies are built once.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$(date +%s)
step() { printf '\n== %s (%ss)\n' "$1" "$(( $(date +%s) - started ))"; }

step "web dependencies"
# Missing, or older than the lock file (a pull added a package).
[ web/node_modules/.package-lock.json -nt web/package-lock.json ] || (cd web && npm ci --no-audit --no-fund)

step "build: moim with its web UI (cargo build --release)"
cargo build --release

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

step "browser tests: Playwright + /usr/bin/chromium"
npm run --silent test:e2e

step "all tests passed"
