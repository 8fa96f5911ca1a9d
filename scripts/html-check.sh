#!/usr/bin/env bash
# Opens DIR/index.html (written by `suite report DIR --html`) in headless Chromium and fails unless
#   1. the page's own self-test passes in the browser (index.html#selftest: unchecking an optimizer
#      hides its line, checking shows it again, the linear axis replaces the log one, no script error);
#   2. Chromium logs no console message at all (the page never logs, so any message is an error);
# then takes a screenshot of the top of the page into SHOT (default DIR/index.png), which CI keeps.
# Without Chromium (Debian: apt-get install chromium) it says so and skips; CI installs it.
set -euo pipefail
dir=${1:?usage: scripts/html-check.sh DIR [SHOT]}
shot=${2:-$dir/index.png}
test -s "$dir/index.html" || { echo "html-check: $dir/index.html is missing (suite report $dir --html writes it)"; exit 1; }
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
    echo "html-check: SKIPPED: no Chromium on PATH (Debian: apt-get install chromium); the page was not checked in a browser"
    exit 0
fi
page="file://$(cd "$dir" && pwd)/index.html"
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --virtual-time-budget=10000)
log=$(mktemp)
dom=$("$browser" "${flags[@]}" --enable-logging=stderr --v=0 --dump-dom "$page#selftest" 2>"$log")
result=$(grep -o 'selftest: [^<"]*' <<<"$dom" | head -1 || true)
if [ "$result" != "selftest: pass" ]; then
    echo "html-check: the page's self-test did not pass in Chromium: ${result:-no result (did the script run?)}"
    exit 1
fi
if grep -E ':CONSOLE[:(]' "$log"; then
    echo "html-check: Chromium logged the console messages above while loading the page"
    exit 1
fi
"$browser" "${flags[@]}" --window-size=1400,1600 --screenshot="$shot" "$page" >/dev/null 2>&1
test -s "$shot" || { echo "html-check: no screenshot written to $shot"; exit 1; }
rm -f "$log"
echo "html-check: $page passes its self-test in $("$browser" --version 2>/dev/null | head -1), no console messages; screenshot $shot"
