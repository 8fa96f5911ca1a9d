/// A table's content, rounded once, rendered as GitHub Markdown or LaTeX (booktabs).
///
/// Builders decide every cell's text with ``NumberFormat``; the renderers only typeset it, so the
/// Markdown and LaTeX forms of a table always show the same digits.
public struct Table: Sendable, Equatable {
    /// One cell.
    public struct Cell: Sendable, Equatable {
        /// The text, already rounded.
        public var text: String
        /// Whether the text is a number (LaTeX sets `1.23e-05` as 1.23·10⁻⁵ in math mode).
        public var numeric: Bool
        /// Bold: the best in its column (the table's caption says by which rule).
        public var bold: Bool
        /// Italic: the best in its column, but not by a significant margin (the caption says which rule).
        public var italic: Bool
        /// A footnote marker (`a`, `b`, …) after the text.
        public var marker: String?
        /// LaTeX source the LaTeX table shows instead of `text` (a median alone, an abbreviated status).
        public var latex: String?

        /// A cell.
        public init(_ text: String, numeric: Bool = false, bold: Bool = false, italic: Bool = false, marker: String? = nil,
                    latex: String? = nil) {
            self.text = text
            self.numeric = numeric
            self.bold = bold
            self.italic = italic
            self.marker = marker
            self.latex = latex
        }
    }

    /// Column headers: plain text for Markdown and LaTeX source for papers.
    public struct Column: Sendable, Equatable {
        /// The Markdown header.
        public var markdown: String
        /// The LaTeX header.
        public var latex: String
        /// Right-aligned (numbers) or left-aligned (labels).
        public var right: Bool
        /// Whether the LaTeX table shows the column (Markdown and HTML show every column).
        public var inLaTeX: Bool

        /// A column.
        public init(_ markdown: String, latex: String? = nil, right: Bool = true, inLaTeX: Bool = true) {
            self.markdown = markdown
            self.latex = latex ?? LaTeX.prose(markdown)
            self.right = right
            self.inLaTeX = inLaTeX
        }
    }

    /// A heading for Markdown and the caption's first sentence for LaTeX.
    public var title: String
    /// The caption after the title (what the cells mean, the spread, the provenance hash).
    public var caption: String
    /// A LaTeX `\label` key.
    public var label: String
    /// The columns.
    public var columns: [Column]
    /// The rows.
    public var rows: [[Cell]]
    /// Footnotes, in marker order: (marker, text).
    public var footnotes: [(String, String)]
    /// Lines only the LaTeX table prints under its footnotes (the legend of abbreviated cells).
    public var latexNotes: [String] = []
    /// The run hash the LaTeX file's first comment names (the caption leaves provenance to the protocol).
    public var hash: String?
    /// The caption of the LaTeX table when it differs from ``caption`` (it leaves out a column Markdown shows).
    public var latexCaption: String?
    /// Whether the LaTeX table prints the footnotes and their markers (not when a column says the same).
    public var latexFootnotes = true

    /// A table.
    public init(title: String, caption: String, label: String, columns: [Column], rows: [[Cell]], footnotes: [(String, String)] = [],
                latexNotes: [String] = [], latexFootnotes: Bool = true) {
        self.latexFootnotes = latexFootnotes
        self.title = title
        self.caption = caption
        self.label = label
        self.columns = columns
        self.rows = rows
        self.footnotes = footnotes
        self.latexNotes = latexNotes
    }

    public static func == (a: Table, b: Table) -> Bool {
        a.title == b.title && a.caption == b.caption && a.label == b.label && a.columns == b.columns && a.rows == b.rows
            && a.footnotes.map(\.0) == b.footnotes.map(\.0) && a.footnotes.map(\.1) == b.footnotes.map(\.1)
            && a.latexNotes == b.latexNotes && a.latexCaption == b.latexCaption && a.hash == b.hash && a.latexFootnotes == b.latexFootnotes
    }

    /// The sentence that ends every caption: where the protocol (targets, marks, order, number format) is.
    public static let protocolMarkdown = "Protocol: see [Protocol](tables.md#protocol)."
    /// The LaTeX form of ``protocolMarkdown``: a `\ref` to `tables/protocol.tex`'s label.
    public static let protocolLaTeX = "Protocol: Section~\\ref{descent:protocol}."

    /// The footnote marker for index i: a, b, …, z, aa, ab, …
    public static func marker(_ i: Int) -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        return i < 26 ? String(letters[i]) : marker(i / 26 - 1) + String(letters[i % 26])
    }

    /// GitHub Markdown: a `###` heading, the caption, the table, then the footnotes.
    public func markdown(headingLevel: Int = 3) -> String {
        var out = String(repeating: "#", count: headingLevel) + " " + Markdown.escapeHTML(title).replacingAll("\n", with: " ") + "\n\n"
            + caption + " " + Table.protocolMarkdown + "\n\n"
        out += "| " + columns.map { Markdown.escape($0.markdown) }.joined(separator: " | ") + " |\n"
        out += "|" + columns.map { $0.right ? "---:|" : "---|" }.joined() + "\n"
        for row in rows {
            out += "| " + row.map { c in
                var t = Markdown.escape(c.text)
                if c.bold { t = "**" + t + "**" }
                if c.italic { t = "*" + t + "*" }
                if let m = c.marker { t += " ⁽" + m + "⁾" }
                return t
            }.joined(separator: " | ") + " |\n"
        }
        if !footnotes.isEmpty {
            out += "\n" + footnotes.map { "⁽\($0.0)⁾ " + Markdown.escape($0.1) }.joined(separator: "  \n") + "\n"
        }
        return out
    }

    /// LaTeX: a `table*` float (full width in a two-column document, an ordinary `table` in a
    /// one-column one) with a booktabs `tabular` of the columns marked ``Column/inLaTeX``, designed to
    /// fit the 345 pt text width of a one-column `article` at 10 pt; the caption, then the footnotes of
    /// the cells shown (lettered again a, b, …) and ``latexNotes``. Needs `\usepackage{booktabs}`.
    public func latex() -> String {
        let shown = columns.indices.filter { columns[$0].inLaTeX }
        var letters: [String: String] = [:]
        var order: [String] = []
        for row in rows where latexFootnotes {
            for i in shown {
                guard let m = row[i].marker, letters[m] == nil else { continue }
                letters[m] = Table.marker(order.count)
                order.append(m)
            }
        }
        var out = "% Generated by Descent" + (hash.map { " (run \($0))" } ?? "") + "; regenerate with `suite report`. Numbers: \\DescentNum{mantissa}{exponent}\n"
        out += "% (redefine it to set them another way); the protocol the caption refers to: tables/protocol.tex.\n"
        out += LaTeX.numberMacro
        out += "\\begin{table*}[tbp]\n\\centering\n\\small\n"
        out += "\\caption{" + LaTeX.prose(title) + ". " + LaTeX.prose(latexCaption ?? caption) + " " + Table.protocolLaTeX + "}\n"
        // Narrower gaps for tables of many number columns (the overview, a sweep): still 5 pt between columns.
        let gap = shown.filter { columns[$0].right }.count >= 5 ? "2.5pt" : "3pt"
        out += "\\label{" + label + "}\n\\footnotesize\n\\setlength{\\tabcolsep}{" + gap + "}\n"
        out += "\\begin{tabular}{" + shown.map { columns[$0].right ? "r" : "l" }.joined() + "}\n\\toprule\n"
        out += shown.map { columns[$0].latex }.joined(separator: " & ") + " \\\\\n\\midrule\n"
        for row in rows {
            out += shown.map { i in
                let c = row[i]
                var t = c.latex ?? (c.numeric ? LaTeX.number(c.text) : LaTeX.escape(c.text))
                if c.bold { t = "\\textbf{" + t + "}" }
                if c.italic { t = "\\textit{" + t + "}" }
                if let m = c.marker, let letter = letters[m] { t += "\\textsuperscript{" + letter + "}" }
                return t
            }.joined(separator: " & ") + " \\\\\n"
        }
        out += "\\bottomrule\n\\end{tabular}\n"
        let notes = order.map { m in "\\textsuperscript{\(letters[m]!)}\\," + LaTeX.prose(footnotes.first { $0.0 == m }!.1) }
            + latexNotes.map(LaTeX.prose)
        if !notes.isEmpty {
            out += "\n\\par\\smallskip\n" + notes.joined(separator: "\\\\\n") + "\n"
        }
        out += "\\end{table*}\n"
        return out
    }
}
