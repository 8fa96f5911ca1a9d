#!/usr/bin/env bash
# Tests the documentation: builds the DocC catalog with warnings as errors, checks that the generated
# articles (command-line reference, legend) are current and that the README's plugin example is the
# one the tests compile, then runs every shell command the README and the guides show.
#
# Commands are the lines of fenced ```bash blocks in README.md and Sources/Descent/Descent.docc/*.md.
# A block whose first line is `# docs-check: skip (why)` is shown to readers but not run (system
# installs, the headline run, cluster jobs); keep such blocks few. Every other block runs, in order,
# with `set -e`, in a temporary copy of the repository's tracked files, with `swift run [-c release]
# suite` mapped to the already built suite binary and `swift test`/`swift build` refused (a block that
# needs them must say skip). Any non-zero exit fails the script.
#
# Usage: scripts/docs-check.sh [--no-docc]   (after `swift build`; prints the time each part took)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
start=$(date +%s)
say() { echo "docs-check [$(( $(date +%s) - start ))s]: $*"; }

catalog=Sources/Descent/Descent.docc
guides=(README.md "$catalog"/*.md)

swift build --product suite >/dev/null
suite="$repo/.build/debug/suite"

say "generated articles are current (suite _docs cli, suite _docs legend)"
"$suite" _docs cli | diff -u "$catalog/CommandLineReference.md" - \
    || { echo "stale: regenerate with: swift run suite _docs cli > $catalog/CommandLineReference.md"; exit 1; }
"$suite" _docs legend | diff -u "$catalog/Legend.md" - \
    || { echo "stale: regenerate with: swift run suite _docs legend > $catalog/Legend.md"; exit 1; }

say "the README's plugin example is the one Tests/CLITests/GuideExampleTests.swift compiles"
example=$(awk '/^```swift/{on=1; next} /^```/{on=0} on' README.md | grep -v '^import \|^SuiteMain.main\|^$' | sed 's/SignDescent/ReadmeSignDescent/')
while IFS= read -r line; do
    grep -qF -- "$line" Tests/CLITests/GuideExampleTests.swift || { echo "README example line not in the tests: $line"; exit 1; }
done <<< "$example"

if [ "${1:-}" != "--no-docc" ]; then
    say "DocC: swift package generate-documentation --target Descent --warnings-as-errors"
    out=$(mktemp -d)
    swift package --allow-writing-to-directory "$out" generate-documentation --target Descent \
        --warnings-as-errors --output-path "$out/Descent.doccarchive" > "$out/docc.log" 2>&1 \
        || { cat "$out/docc.log"; echo "the documentation does not build without warnings"; exit 1; }
    grep -i "warning" "$out/docc.log" && { echo "the documentation build printed warnings"; exit 1; }
    test -d "$out/Descent.doccarchive/data/documentation/descent" || { echo "no documentation pages written"; exit 1; }
    say "DocC: $(find "$out/Descent.doccarchive/data/documentation/descent" -maxdepth 1 -name '*.json' | wc -l) articles and pages"
fi

say "every command the guides show"
work=$(mktemp -d)
git ls-files -z | (cd "$repo" && xargs -0 cp --parents -t "$work")
cat > "$work/.docs-check-preamble.sh" <<EOF
set -euo pipefail
swift() {
    if [ "\${1:-}" = run ]; then
        shift
        if [ "\${1:-}" = -c ]; then shift 2; fi
        if [ "\${1:-}" = suite ]; then shift; "$suite" "\$@"; return; fi
    fi
    echo "docs-check: 'swift \$*' is not run here; mark its block with '# docs-check: skip (why)'" >&2
    return 1
}
EOF
ran=0
skipped=0
for file in "${guides[@]}"; do
    # Each block as one record: the file's line where it starts, then its lines.
    blocks=$(awk -v f="$file" '
        /^[ ]*```bash[ ]*$/ { on = 1; n++; print "@@BLOCK " f ":" NR; next }
        /^[ ]*```/ && on { on = 0; next }
        on { sub(/^  /, ""); print }' "$file")
    [ -z "$blocks" ] && continue
    while IFS= read -r -d $'\x1e' block; do
        [ -z "${block//[$'\n ']/}" ] && continue
        where=$(head -1 <<< "$block" | sed 's/^@@BLOCK //')
        body=$(tail -n +2 <<< "$block")
        if head -1 <<< "$body" | grep -q '^# docs-check: skip'; then
            skipped=$((skipped + 1))
            continue
        fi
        say "run $where"
        t0=$(date +%s)
        if ! (cd "$work" && bash -c "source .docs-check-preamble.sh; $body" > "$work/.last.log" 2>&1); then
            cat "$work/.last.log"
            echo "docs-check: the block at $where failed"
            exit 1
        fi
        ran=$((ran + 1))
        echo "    ok ($(( $(date +%s) - t0 )) s)"
    done < <(sed 's/^@@BLOCK /\x1e@@BLOCK /' <<< "$blocks" | tail -c +2; printf '\x1e')
done
rm -rf "$work"
say "done: $ran blocks run, $skipped marked skip"
