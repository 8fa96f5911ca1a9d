import DescentCore

/// `index.html`: one self-contained page (no network at view time, no library: its own few lines
/// of JavaScript) with the overview, the profiles, every per-problem table and convergence plot
/// (optimizer lines selectable, log or linear f − f* axis), the certificate of every optimum, how
/// every run ended, and the provenance (hash and metadata). Made from a ``ResultSet`` like every
/// other derived file, so it is the same bytes each time it is regenerated from the same folder.
///
/// Opened as `index.html#selftest`, the page checks itself in the browser (hiding a line, switching
/// an axis, no script errors) and writes `selftest: pass` or what failed into `#selftest`;
/// `scripts/html-check.sh` runs that in headless Chromium.
public enum HTMLReport {
    /// The page of `set` (the files ``ReportFiles/derived(_:profileTarget:page:)`` writes beside it).
    /// `metadata` is `metadata.json`'s text (printed as it is); without traces the convergence plots are
    /// left out (the page says so).
    public static func page(_ set: ResultSet, profileTarget: Double = ReportFiles.defaultProfileTarget, metadata: String) -> String {
        ReportFiles.derived(set, profileTarget: profileTarget, page: metadata).first { $0.0 == "index.html" }!.1
    }

    /// The page from the pieces ``ReportFiles/derived(_:profileTarget:page:)`` made: the overview, one
    /// table per problem and, with traces, one work-axis convergence figure per problem and the two profiles.
    static func page(_ set: ResultSet, problems: [ProblemGroup], overview: Table, tables: [Table], convergence: [Figure],
                     profiles: [Figure], metadata: String) -> String {
        let havePlots = !convergence.isEmpty
        let stems = ReportFiles.problemStems(set)
        var figureCount = 0
        var body = set.complete ? "" : "<p><strong>Incomplete: the run was interrupted before every planned run finished "
            + "(metadata.json: \"complete\": false); rerun the same command with --resume.</strong></p>\n"
        body += section("overview", overview.title) + html(overview) + "</section>\n"

        if !profiles.isEmpty {
            body += section("profiles", "Performance and data profiles")
            for f in profiles { body += figure(&figureCount, [("", f)]) }
            body += "</section>\n"
        }
        if havePlots { body += ECDFPlots.htmlSection(problems, hash: set.hash, counter: &figureCount) }

        // One section per problem: the table, then the plot (log and linear f − f* axes) with its controls.
        for (i, (p, table)) in zip(problems, tables).enumerated() {
            body += section("problem-" + stems[p.problem]!, table.title) + html(table)
            if havePlots {
                var linear = convergence[i]
                linear.logY = false
                body += figure(&figureCount, [("log", convergence[i]), ("linear", linear)])
            } else {
                body += "<p class=\"note\">No traces in this folder: convergence plots need a run's traces/.</p>\n"
            }
            body += "</section>\n"
        }

        // Certificates, how every run ended, provenance.
        body += section("certificates", "Certified optima") + certificates(set) + "</section>\n"
        body += section("runs", "How every run ended") + endings(problems) + "</section>\n"
        if !set.tuning.isEmpty {
            let cost = TuningCost.derived(set.tuning, hash: set.hash)
            body += section("tuning", "Learning-rate tuning") + "<p>The sweep is in tuning.csv and tables/tuning.md.</p>\n"
                + markdownTable(cost.markdown) + "</section>\n"
        }
        body += section("provenance", "Provenance") + "<p>Run <code>\(escape(set.hash))</code>: the hash of metadata.json's "
            + "configuration, printed in every caption.</p>\n<pre>\(escape(metadata))</pre>\n</section>\n"

        var nav = "<a href=\"#overview\">Overview</a>"
        if havePlots { nav += " · <a href=\"#profiles\">Profiles</a>" }
        if havePlots { nav += " · <a href=\"#ecdf\">ECDFs</a>" }
        nav += " · Problems: " + problems.map { "<a href=\"#problem-\(stems[$0.problem]!)\">\(escape($0.problem))</a>" }
            .joined(separator: " ")
        nav += " · <a href=\"#certificates\">Certificates</a> · <a href=\"#runs\">Runs</a>"
        if !set.tuning.isEmpty { nav += " · <a href=\"#tuning\">Tuning</a>" }
        nav += " · <a href=\"#provenance\">Provenance</a>"

        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Descent results, run \(escape(set.hash))</title>
            <style>
            \(style)
            </style>
            </head>
            <body>
            <header><h1>Descent results</h1><p>Run <code>\(escape(set.hash))</code>: \(set.records.count) runs on \(problems.count) problems. Generated by <code>suite report --html</code> from the folder's CSV files.</p>
            <nav>\(nav)</nav></header>
            <pre id="selftest" hidden></pre>
            \(body)<script>
            \(script)
            </script>
            </body>
            </html>

            """
    }

    /// `<section id=…><h2>…</h2>`.
    static func section(_ id: String, _ title: String) -> String {
        "<section id=\"\(escape(id))\">\n<h2>\(escape(title))</h2>\n"
    }

    /// A figure: its SVG variants (the first shown; more than one gets axis buttons) and one checkbox per
    /// series that shows or hides its line and band in every variant.
    static func figure(_ counter: inout Int, _ variants: [(name: String, figure: Figure)]) -> String {
        counter += 1
        let id = "figure-\(counter)"
        var out = "<div class=\"figure\" id=\"\(id)\">\n<div class=\"controls\">"
        if variants.count > 1 {
            out += "<span class=\"axis\">f − f* axis: " + variants.enumerated().map { i, v in
                "<label><input type=\"radio\" name=\"\(id)-axis\" value=\"\(escape(v.name))\"\(i == 0 ? " checked" : "")> \(escape(v.name))</label>"
            }.joined(separator: " ") + "</span> "
        }
        out += "<button type=\"button\" data-action=\"all\">all</button> <button type=\"button\" data-action=\"none\">none</button>\n"
        // One checkbox per line, with a swatch of its style (the legend's symbol).
        let f = variants[0].figure
        out += zip(f.series, f.styles()).filter { !$0.0.isReference }.map { s, style in
            "<label class=\"series\"><input type=\"checkbox\" checked data-name=\"\(escape(s.name))\"> <svg class=\"swatch\" "
                + "width=\"30\" height=\"12\" viewBox=\"0 0 30 12\" aria-hidden=\"true\">\(SVG.symbol(style, x: 1, y: 6))</svg>\(escape(s.legend))</label>"
        }.joined(separator: "\n")
        out += "</div>\n"
        for (i, v) in variants.enumerated() {
            var svg = SVG.render(v.figure)
            if svg.hasPrefix("<?xml") { svg = String(svg[svg.index(after: svg.firstIndex(of: "\n")!)...]) }
            let clip = "\(id)-\(i)"
            svg = svg.replacingAll(find: "id=\"plot\"", with: "id=\"\(clip)\"").replacingAll(find: "url(#plot)", with: "url(#\(clip))")
            svg = svg.replacingAll(find: "<svg ", with: "<svg class=\"variant\" data-variant=\"\(escape(v.name))\"\(i == 0 ? "" : " style=\"display:none\"") ")
            out += svg
        }
        return out + "<p class=\"caption\">\(escape(variants[0].figure.fullCaption))</p>\n</div>\n"
    }

    /// A ``Table`` as HTML: caption, table, footnotes.
    public static func html(_ t: Table) -> String {
        var out = "<p class=\"caption\">\(escape(t.caption))</p>\n<div class=\"scroll\"><table>\n<thead><tr>"
        out += t.columns.map { "<th\($0.right ? " class=\"num\"" : "")>\(escape($0.markdown))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        let wide = t.columns.count > 8
        for row in t.rows {
            out += "<tr>" + zip(row, t.columns).map { c, col in
                // The spread `[a–b]` in small type, breakable after the dash; in a wide table (the per-problem
                // ones) on its own line, so the table fits the window instead of scrolling.
                let (value, spread) = splitSpread(c.text)
                var text = escape(value)
                if c.bold { text = "<strong>" + text + "</strong>" }
                if c.italic { text = "<em>" + text + "</em>" }
                if let m = c.marker { text += "<sup>\(escape(m))</sup>" }
                if let spread { text += " <span class=\"spread\(wide ? " below" : "")\">" + escape(spread).replacingAll(find: "–", with: "–<wbr>") + "</span>" }
                return "<td\(col.right ? " class=\"num\"" : "")>\(text)</td>"
            }.joined() + "</tr>\n"
        }
        out += "</tbody></table></div>\n"
        if !t.footnotes.isEmpty {
            out += "<ol class=\"notes\">" + t.footnotes.map { "<li><sup>\(escape($0.0))</sup> \(escape($0.1))</li>" }.joined() + "</ol>\n"
        }
        return out
    }

    /// A cell's text without its bracketed spread, and the spread: `33 [32–34] ≈` → (`33 ≈`, `[32–34]`).
    static func splitSpread(_ text: String) -> (String, String?) {
        guard let open = text.firstRange(of: " ["), let close = text[open.upperBound...].firstIndex(of: "]") else { return (text, nil) }
        let spread = String(text[text.index(after: open.lowerBound)...close])
        return (String(text[..<open.lowerBound]) + String(text[text.index(after: close)...]), spread)
    }

    /// The certificates: one row per problem instance.
    static func certificates(_ set: ResultSet) -> String {
        let header = ["problem", "instance", "f*", "source", "‖∇f(x*)‖", "λmin(∇²f)", "λmax(∇²f)", "κ"]
        var rows: [[String]] = []
        var labels: [String] = []
        for r in set.records where !labels.contains(r.problem) { labels.append(r.problem) }
        for label in labels {
            for i in set.instances(of: label) {
                let key = Instances.referenceKey(label, instance: i)
                let o = set.references[key]
                rows.append([label, String(i), o.map { NumberFormat.exact($0.value) } ?? "–", o?.source.rawValue ?? "none",
                             o?.gradientNorm.map { NumberFormat.scientific($0) } ?? "–",
                             o?.hessianEigenvalues.map { NumberFormat.scientific($0.min) } ?? "–",
                             o?.hessianEigenvalues.map { NumberFormat.scientific($0.max) } ?? "–",
                             set.conditionNumbers[key].map { NumberFormat.scientific($0) } ?? "–"])
            }
        }
        return "<p class=\"caption\">Every instance's reference optimum and how it was certified (reference.csv; the documentation's "
            + "Problems, Certified reference optima). best_reached: the lowest f any run of the invocation evaluated (non-convex problems).</p>\n"
            + plainTable(header, rows, numeric: [1, 2, 4, 5, 6, 7])
    }

    /// How every (problem, optimizer) group ended, in words.
    static func endings(_ problems: [ProblemGroup]) -> String {
        var rows: [[String]] = []
        for p in problems {
            for g in p.groups { rows.append([p.problem, ResultTables.rowLabel(g), g.isSkipped ? g.runs[0].result.statusDescription : g.statusText]) }
        }
        return "<p class=\"caption\">The status of every run (documentation: Output files, How a run ends), counted over instances or seeds.</p>\n"
            + plainTable(["problem", "optimizer", "how the runs ended"], rows, numeric: [])
    }

    static func plainTable(_ header: [String], _ rows: [[String]], numeric: Set<Int>) -> String {
        var out = "<div class=\"scroll\"><table>\n<thead><tr>"
        out += header.enumerated().map { "<th\(numeric.contains($0) ? " class=\"num\"" : "")>\(escape($1))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in rows {
            out += "<tr>" + row.enumerated().map { "<td\(numeric.contains($0) ? " class=\"num\"" : "")>\(escape($1))</td>" }.joined() + "</tr>\n"
        }
        return out + "</tbody></table></div>\n"
    }

    /// A GitHub Markdown table (as ``Table/markdown(headingLevel:)`` writes it) as HTML, with its caption paragraph.
    static func markdownTable(_ text: String) -> String {
        var paragraphs: [String] = []
        var rows: [[String]] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("#") { continue }
            if line.hasPrefix("|") {
                let cells = line.dropFirst().dropLast().split(separator: "|", omittingEmptySubsequences: false)
                    .map { String($0).trimmingCharacters() }
                if cells.allSatisfy({ $0.allSatisfy { "-:".contains($0) } }) { continue }
                rows.append(cells)
            } else {
                paragraphs.append(String(line))
            }
        }
        guard let header = rows.first else { return "" }
        return paragraphs.map { "<p class=\"caption\">\(escape($0))</p>\n" }.joined()
            + plainTable(header, Array(rows.dropFirst()), numeric: Set(1..<header.count))
    }

    /// HTML text escaping.
    public static func escape(_ s: String) -> String { SVG.escape(s) }

    static let style = """
        body { font: 14px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 0 auto 3rem; padding: 0 2rem;
               max-width: 76rem; color: #222; }
        header { border-bottom: 1px solid #ddd; margin-bottom: 1rem; }
        nav { font-size: 12px; margin-bottom: 0.8rem; }
        nav a { margin-right: 0.2rem; }
        section { margin: 2rem 0; }
        h2 { font-size: 18px; border-bottom: 1px solid #eee; }
        .caption { color: #555; font-size: 12px; max-width: 70rem; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; font-size: 12px; }
        th, td { padding: 2px 6px; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
        th { vertical-align: bottom; }
        td:first-child { white-space: nowrap; }
        th.num, td.num { text-align: right; }
        th:first-child, td:first-child { position: sticky; left: 0; background: #fff; }
        .spread { font-size: 10.5px; color: #666; }
        .spread.below { display: block; }
        ol.notes { font-size: 11px; color: #555; list-style: none; padding-left: 0; }
        .figure { margin: 1rem 0; }
        .controls { font-size: 11px; margin-bottom: 0.3rem; max-width: 70rem; }
        .controls label.series { display: inline-block; margin-right: 0.6rem; white-space: nowrap; }
        .controls svg.swatch { vertical-align: middle; margin-right: 0.2rem; }
        .controls .axis { font-weight: bold; margin-right: 1rem; }
        svg.variant { display: block; width: 100%; height: auto; }
        pre { background: #f6f6f6; padding: 0.6rem; overflow-x: auto; font-size: 11px; }
        """

    /// The page's behaviour: series checkboxes, all/none, the axis switch, and the self-test.
    static let script = """
        "use strict";
        const scriptErrors = [];
        window.addEventListener("error", (e) => scriptErrors.push(String(e.message)));
        function setSeries(figure, name, visible) {
          for (const el of figure.querySelectorAll("svg [data-name]")) {
            if (el.dataset.name === name) el.style.display = visible ? "" : "none";
          }
        }
        for (const figure of document.querySelectorAll(".figure")) {
          for (const box of figure.querySelectorAll("input[type=checkbox][data-name]")) {
            box.addEventListener("change", () => setSeries(figure, box.dataset.name, box.checked));
          }
          for (const button of figure.querySelectorAll("button[data-action]")) {
            button.addEventListener("click", () => {
              const on = button.dataset.action === "all";
              for (const box of figure.querySelectorAll("input[type=checkbox][data-name]")) {
                box.checked = on;
                setSeries(figure, box.dataset.name, on);
              }
            });
          }
          for (const radio of figure.querySelectorAll("input[type=radio]")) {
            radio.addEventListener("change", () => {
              for (const svg of figure.querySelectorAll("svg.variant")) {
                svg.style.display = svg.dataset.variant === radio.value ? "" : "none";
              }
            });
          }
        }
        function selftest() {
          const failures = [];
          const figure = document.querySelector(".figure:has(input[type=radio])") || document.querySelector(".figure");
          if (!figure) {
            failures.push("no figure");
          } else {
            const box = figure.querySelector("input[type=checkbox][data-name]");
            const lines = [...figure.querySelectorAll("svg polyline.series")].filter((l) => l.dataset.name === box.dataset.name);
            if (lines.length === 0) failures.push("no line for " + box.dataset.name);
            box.click();
            if (!lines.every((l) => getComputedStyle(l).display === "none")) failures.push("unchecking did not hide " + box.dataset.name);
            box.click();
            if (!lines.every((l) => getComputedStyle(l).display !== "none")) failures.push("checking did not show " + box.dataset.name);
            const radio = figure.querySelector("input[type=radio][value=linear]");
            if (radio) {
              radio.click();
              const shown = [...figure.querySelectorAll("svg.variant")].filter((s) => getComputedStyle(s).display !== "none");
              if (shown.length !== 1 || shown[0].dataset.variant !== "linear") failures.push("the linear axis did not show");
              figure.querySelector("input[type=radio][value=log]").click();
            }
          }
          if (scriptErrors.length > 0) failures.push("script errors: " + scriptErrors.join("; "));
          const out = document.getElementById("selftest");
          out.hidden = false;
          out.textContent = failures.length === 0 ? "selftest: pass" : "selftest: fail: " + failures.join(", ");
        }
        if (location.hash === "#selftest") window.addEventListener("load", selftest);
        """
}

extension String {
    /// Every occurrence of `find` replaced by `replacement` (no Foundation).
    func replacingAll(find: String, with replacement: String) -> String {
        guard !find.isEmpty else { return self }
        var out = ""
        var rest = self[...]
        while let range = rest.firstRange(of: find) {
            out += rest[..<range.lowerBound]
            out += replacement
            rest = rest[range.upperBound...]
        }
        return out + rest
    }

    /// Without leading and trailing spaces.
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
