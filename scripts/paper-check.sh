#!/usr/bin/env bash
# The paper check: compiles the example papers `suite report` writes (paper/paper-onecolumn.tex and
# paper/paper-twocolumn.tex, which \input the overview, two per-problem tables, a convergence figure,
# the profiles, the ECDF when present, tables/protocol.tex and tables/numbers.tex) with pdflatex and FAILS on
#   - a LaTeX error, an undefined control sequence or an undefined reference,
#   - any overfull box (Overfull \hbox or \vbox in the log: something sticks out of the page),
#   - a `?` in the text of the PDF (pdftotext): a character the escaping did not know, or a `??` reference.
# Also compiles every other generated table (tables/*.tex) in both layouts under the same rules.
# Keeps the page images (pdftoppm -png -r 60) and the logs in $CI_ARTIFACTS/paper (default .ci/artifacts/paper).
# Usage: scripts/paper-check.sh RESULTS_DIR   (needs texlive-latex-recommended, texlive-pictures, poppler-utils)
set -euo pipefail
dir=$(cd "${1:?usage: paper-check.sh RESULTS_DIR}" && pwd)
artifacts=${CI_ARTIFACTS:-.ci/artifacts}/paper
mkdir -p "$artifacts"
artifacts=$(cd "$artifacts" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for f in tables plots paper; do
    test -d "$dir/$f" || { echo "paper-check: $dir/$f is missing (run suite report $dir)"; exit 1; }
    cp -r "$dir/$f" "$work/$f"
done
# Every table not in the example papers, in both layouts, one per page.
for layout in onecolumn twocolumn; do
    {
        echo "\\documentclass$([ $layout = twocolumn ] && echo '[twocolumn]'){article}"
        echo '\usepackage[T1]{fontenc}'
        echo '\usepackage[utf8]{inputenc}'
        echo '\usepackage{booktabs}'
        echo '\input{../tables/numbers.tex}'
        echo '\begin{document}'
        echo '\input{../tables/protocol.tex}'
        for t in "$work"/tables/*.tex; do
            case "$(basename "$t")" in numbers.tex|protocol.tex) continue;; esac
            echo "\\input{../tables/$(basename "$t")}"
            echo '\clearpage'
        done
        echo '\end{document}'
    } > "$work/paper/tables-$layout.tex"
done
status=0
cd "$work/paper"
for doc in paper-onecolumn paper-twocolumn tables-onecolumn tables-twocolumn; do
    ok=1
    for pass in 1 2; do
        if ! pdflatex -interaction=nonstopmode -halt-on-error "$doc.tex" > "$doc.out" 2>&1; then
            grep -n -A5 '^!' "$doc.out" | head -40
            echo "paper-check: $doc.tex does not compile"; ok=0; break
        fi
    done
    cp "$doc.log" "$artifacts/$doc.log" 2>/dev/null || true
    if [ $ok = 0 ]; then status=1; continue; fi
    if grep -n 'Overfull \\[hv]box' "$doc.log" > "$doc.overfull"; then
        echo "paper-check: $doc.tex has overfull boxes (something sticks out of the page):"
        grep -A2 'Overfull \\[hv]box' "$doc.log" | head -30
        status=1
    fi
    if grep -n 'Undefined control sequence\|LaTeX Warning: Reference .* undefined\|LaTeX Warning: There were undefined references' "$doc.log"; then
        echo "paper-check: $doc.tex has undefined control sequences or references"; status=1
    fi
    pdftotext -layout "$doc.pdf" "$doc.txt"
    if grep -n '?' "$doc.txt" > "$doc.questions"; then
        echo "paper-check: $doc.pdf shows '?' where a symbol or a reference belonged:"
        head -20 "$doc.questions"
        status=1
    fi
    rm -f "$artifacts/$doc"-*.png
    pdftoppm -png -r 60 "$doc.pdf" "$artifacts/$doc"
    pages=$(grep -o 'Output written on [^ ]* ([0-9]* page' "$doc.log" | grep -o '[0-9]* page' || true)
    echo "paper-check: $doc.tex compiled ($pages); pages kept as $artifacts/$doc-*.png"
done
[ $status = 0 ] && echo "paper-check: $dir: both example papers and every table compile without overfull boxes or unknown symbols"
exit $status
