/// LaTeX source for generated tables, plots and macros: escaping that survives pdflatex without
/// extra packages (only `booktabs` and `pgfplots` are needed).
///
/// One function escapes every string that reaches LaTeX (``escape(_:)``); ``prose(_:)`` adds the
/// two kinds of markup the suite's own sentences use: `` `code` `` spans and numbers in the one
/// number form (``NumberFormat/value(_:)``), which are set as `\DescentNum{mantissa}{exponent}`.
public enum LaTeX {
    /// The macro every number in scientific notation is set with, and its default (math mode, `1.23·10⁻⁵`).
    /// Define `\DescentNum` before `\input`-ing a table (or `\renewcommand` it after) to set numbers
    /// another way, e.g. `\newcommand{\DescentNum}[2]{#1e#2}` or, with siunitx, `\num{#1e#2}`.
    public static let numberMacro = "\\providecommand{\\DescentNum}[2]{\\ensuremath{#1\\cdot 10^{#2}}}\n"

    /// The macro a value that does not exist is set with (a target not every run reached, no final
    /// error): an en dash by default, as in the tables.
    public static let missingMacro = "\\providecommand{\\DescentMissing}{--}\n"

    /// Text set safely in LaTeX: the ten special characters escaped, `--` kept as two hyphens, and
    /// every non-ASCII character the suite prints (superscripts, subscripts, Greek letters, −, ‖, ∇,
    /// ≤, …, ·, ∞, accented letters, …) replaced by an equivalent that needs no extra package.
    /// Superscript and subscript runs (`10⁻⁸`, `x₁₀`) become one `^{…}`/`_{…}`. A character without an
    /// equivalent becomes `?` (``unknown``), so the output always compiles and a check can find it.
    public static func escape(_ text: String) -> String {
        var out = ""
        var script: (up: Bool, text: String)? = nil
        func closeScript() {
            if let s = script { out += "\\ensuremath{" + (s.up ? "^{" : "_{") + s.text + "}}" }
            script = nil
        }
        var previous: Character? = nil
        for c in text {
            defer { previous = c }
            if let (up, t) = scriptCharacter(c) {
                if let s = script, s.up == up { script!.text += t } else { closeScript(); script = (up, t) }
                continue
            }
            closeScript()
            if c == "-" && previous == "-" { out += "{}-"; continue }
            out += character(c)
        }
        closeScript()
        return out
    }

    /// What an unknown character becomes.
    public static let unknown = "?"

    /// A superscript or subscript character: (superscript?, its text in math mode).
    static func scriptCharacter(_ c: Character) -> (Bool, String)? {
        let up: [Character: String] = ["⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8",
                                       "⁹": "9", "⁻": "-", "⁺": "+", "⁽": "(", "⁾": ")", "ⁿ": "n", "ⁱ": "i", "ᵀ": "T",
                                       "ᵗ": "t", "ᵏ": "k", "ᵐ": "m"]
        let down: [Character: String] = ["₀": "0", "₁": "1", "₂": "2", "₃": "3", "₄": "4", "₅": "5", "₆": "6", "₇": "7",
                                         "₈": "8", "₉": "9", "₋": "-", "₊": "+", "₍": "(", "₎": ")", "ᵢ": "i", "ⱼ": "j",
                                         "ₖ": "k"]
        if let t = up[c] { return (true, t) }
        if let t = down[c] { return (false, t) }
        return nil
    }

    /// Math-mode symbols by character.
    static let math: [Character: String] = [
        "−": "-", "‖": "\\|", "∇": "\\nabla", "≤": "\\le", "≥": "\\ge", "≈": "\\approx", "×": "\\times", "·": "\\cdot",
        "±": "\\pm", "∞": "\\infty", "√": "\\surd", "∂": "\\partial", "∈": "\\in", "≡": "\\equiv", "⊙": "\\odot",
        "⊗": "\\otimes", "⋯": "\\cdots", "←": "\\leftarrow", "→": "\\rightarrow", "⟨": "\\langle", "⟩": "\\rangle",
        "⌊": "\\lfloor", "⌋": "\\rfloor", "⌈": "\\lceil", "⌉": "\\rceil", "ℓ": "\\ell", "ℝ": "\\mathbf{R}",
        "½": "\\frac{1}{2}", "¼": "\\frac{1}{4}", "µ": "\\mu",
        "α": "\\alpha", "β": "\\beta", "γ": "\\gamma", "δ": "\\delta", "ε": "\\varepsilon", "ζ": "\\zeta", "η": "\\eta",
        "θ": "\\theta", "ι": "\\iota", "κ": "\\kappa", "λ": "\\lambda", "μ": "\\mu", "ν": "\\nu", "ξ": "\\xi", "π": "\\pi",
        "ρ": "\\rho", "σ": "\\sigma", "τ": "\\tau", "υ": "\\upsilon", "φ": "\\varphi", "χ": "\\chi", "ψ": "\\psi",
        "ω": "\\omega", "Γ": "\\Gamma", "Δ": "\\Delta", "Θ": "\\Theta", "Λ": "\\Lambda", "Ξ": "\\Xi", "Π": "\\Pi",
        "Σ": "\\Sigma", "Υ": "\\Upsilon", "Φ": "\\Phi", "Ψ": "\\Psi", "Ω": "\\Omega",
    ]

    /// Text-mode replacements by character.
    static let textual: [Character: String] = [
        "\\": "\\textbackslash{}", "{": "\\{", "}": "\\}", "#": "\\#", "$": "\\$", "%": "\\%", "&": "\\&", "_": "\\_",
        "~": "\\textasciitilde{}", "^": "\\textasciicircum{}", "<": "\\textless{}", ">": "\\textgreater{}",
        "|": "\\textbar{}", "\"": "\\textquotedbl{}", "–": "--", "—": "---", "…": "\\ldots{}", "’": "'", "‘": "`",
        "“": "``", "”": "''", "§": "\\S{}", "é": "\\'e", "è": "\\`e", "ê": "\\^e", "á": "\\'a", "à": "\\`a", "ö": "\\\"o",
        "ü": "\\\"u", "ä": "\\\"a", "Â": "\\^A", "ŝ": "\\^s", "█": "\\rule{0.6em}{1.6ex}", "\u{00A0}": "~",
        "\n": " ", "\r": " ", "\t": " ",
    ]

    /// One character (a grapheme cluster) as LaTeX.
    static func character(_ c: Character) -> String {
        if let t = textual[c] { return t }
        if let m = math[c] { return "\\ensuremath{" + m + "}" }
        if c.isASCII { return String(c) }
        // A letter with a combining bar or hat (x̄, θ̂): the accent over the letter's own form.
        let scalars = c.unicodeScalars
        if scalars.count == 2, let accent = ["\u{0304}": "\\bar", "\u{0302}": "\\hat"][String(scalars.last!)] {
            let base = Character(scalars.first!)
            let inner = math[base] ?? (base.isASCII && base.isLetter ? String(base) : nil)
            if let inner { return "\\ensuremath{" + accent + "{" + inner + "}}" }
        }
        return unknown
    }

    /// The suite's own sentences (captions, notes, the protocol) as LaTeX: ``escape(_:)``, with
    /// `` `code` `` spans set in `\texttt` (so `--tune` stays two hyphens) and numbers written by
    /// ``NumberFormat/value(_:)`` in scientific form (`1.23e-05`) set as `\DescentNum{1.23}{-5}`.
    public static func prose(_ text: String) -> String {
        var out = ""
        for (i, part) in text.split(separator: "`", omittingEmptySubsequences: false).enumerated() {
            if i % 2 == 1 { out += "\\texttt{" + escape(String(part)) + "}" } else { out += number(String(part)) }
        }
        return out
    }

    /// Text holding numbers in the form ``NumberFormat/value(_:)`` writes, set for print: each
    /// `1.23e-05` becomes `\DescentNum{1.23}{-5}`, `inf` `\ensuremath{\infty}`, a minus sign before a
    /// number a math minus; everything else is escaped. `12 [10–14] (2/3)` → `12 [10--14] (2/3)`.
    public static func number(_ text: String) -> String {
        let chars = Array(text)
        var out = ""
        var plain = ""
        var i = 0
        func flush() { out += escape(plain); plain = "" }
        func boundary(_ j: Int) -> Bool { j < 0 || j >= chars.count || !(chars[j].isLetter || chars[j].isNumber || chars[j] == "." || chars[j] == "_") }
        while i < chars.count {
            if boundary(i - 1), let (length, latex) = scientific(chars, at: i), boundary(i + length) {
                flush()
                out += latex
                i += length
            } else if boundary(i - 1), chars[i] == "-", i + 1 < chars.count, chars[i + 1].isNumber {
                flush()
                out += "\\ensuremath{-}"
                i += 1
            } else if boundary(i - 1), chars[i...].starts(with: "inf"), boundary(i + 3) {
                flush()
                out += "\\ensuremath{\\infty}"
                i += 3
            } else {
                plain.append(chars[i])
                i += 1
            }
        }
        flush()
        return out
    }

    /// `d[.ddd]e±dd` at `i` (the form of ``NumberFormat/scientific(_:digits:)``): its length and `\DescentNum`.
    private static func scientific(_ c: [Character], at i: Int) -> (Int, String)? {
        var j = i
        if j < c.count && c[j] == "-" { j += 1 }
        guard j < c.count, c[j].isASCII, c[j].isNumber else { return nil }
        let start = j
        j += 1
        if j < c.count && c[j] == "." {
            j += 1
            while j < c.count && c[j].isASCII && c[j].isNumber { j += 1 }
        }
        let mantissa = String(c[start..<j])
        guard j < c.count, c[j] == "e" else { return nil }
        guard j + 1 < c.count, c[j + 1] == "+" || c[j + 1] == "-" else { return nil }
        var k = j + 2
        while k < c.count && c[k].isASCII && c[k].isNumber { k += 1 }
        guard k - (j + 2) >= 2, let exponent = Int(String(c[(j + 1)..<k])) else { return nil }
        let sign = c[i] == "-" ? "\\ensuremath{-}" : ""
        return (k - i, sign + "\\DescentNum{" + mantissa + "}{" + String(exponent) + "}")
    }

    /// A key made safe for `\csname`: letters, digits and `.=,()+-/` kept, anything else `-`.
    public static func key(_ text: String) -> String {
        var out = ""
        for c in text {
            if c.isASCII && (c.isLetter || c.isNumber || ".=,()+-/".contains(c)) { out.append(c) } else if out.last != "-" { out.append("-") }
        }
        return out
    }
}
