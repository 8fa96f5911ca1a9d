#!/usr/bin/env bash
# Compiles every generated LaTeX table and a selection of plots of a results folder with pdflatex,
# as a paper would include them: fails on the first LaTeX error.
# Usage: scripts/latex-check.sh RESULTS_DIR   (needs texlive-latex-recommended and texlive-pictures)
set -euo pipefail
dir=$(cd "${1:?usage: latex-check.sh RESULTS_DIR}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
{
    echo '\documentclass{article}'
    echo '\usepackage[T1]{fontenc}'
    echo '\usepackage[utf8]{inputenc}'
    echo '\usepackage{booktabs}'
    echo '\usepackage{pgfplots}'
    echo '\pgfplotsset{compat=1.18}'
    echo "\\input{$dir/tables/numbers.tex}"
    echo '\begin{document}'
    echo "Run \\DescentValue{hash}: the best-ranked optimizer overall is ranked \\DescentValue{overview/gsl-bfgs2/rank};"
    echo "Newton reached \\(f - f^* \\le 10^{-8}\\) on Rosenbrock after \\DescentValue{rosenbrock/newton/work-1e-8} evaluations."
    for t in "$dir"/tables/*.tex; do
        [ "$(basename "$t")" = numbers.tex ] && continue
        echo "\\input{$t}"
        echo '\clearpage'
    done
    for p in rosenbrock quadratic logistic performance-profile data-profile; do
        [ -f "$dir/plots/$p.tex" ] && { echo "\\input{$dir/plots/$p.tex}"; echo '\clearpage'; }
    done
    echo '\end{document}'
} > "$work/check.tex"
cd "$work"
if ! pdflatex -interaction=nonstopmode -halt-on-error check.tex > check.out 2>&1; then
    grep -n -A5 '^!' check.out | head -40
    echo "latex-check: the generated LaTeX in $dir does not compile"; exit 1
fi
pages=$(grep -o 'Output written on check.pdf ([0-9]* page' check.out | grep -o '[0-9]* page' || true)
echo "latex-check: $dir compiles ($pages, $(ls "$dir"/tables/*.tex | wc -l) table files)"
