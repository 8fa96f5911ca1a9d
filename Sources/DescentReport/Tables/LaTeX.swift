/// LaTeX source for generated tables, plots and macros: escaping that survives pdflatex without
/// extra packages (only `booktabs` and `pgfplots` are needed).
public enum LaTeX {
    /// Text set safely in LaTeX: the ten special characters escaped, and the Unicode symbols Descent
    /// writes (−, ‖, ∇, ≤, ×, κ, …) replaced by their math-mode equivalents. Any other non-ASCII
    /// character becomes `?`, so the output always compiles.
    public static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "\\": out += "\\textbackslash{}"
            case "{", "}", "#", "$", "%", "&", "_": out += "\\" + String(c)
            case "~": out += "\\textasciitilde{}"
            case "^": out += "\\textasciicircum{}"
            case "<": out += "\\textless{}"
            case ">": out += "\\textgreater{}"
            case "|": out += "\\textbar{}"
            case "\"": out += "\\textquotedbl{}"
            case "−": out += "\\ensuremath{-}"
            case "–": out += "--"
            case "—": out += "---"
            case "‖": out += "\\ensuremath{\\|}"
            case "∇": out += "\\ensuremath{\\nabla}"
            case "≤": out += "\\ensuremath{\\le}"
            case "≥": out += "\\ensuremath{\\ge}"
            case "≈": out += "\\ensuremath{\\approx}"
            case "×": out += "\\ensuremath{\\times}"
            case "·": out += "\\ensuremath{\\cdot}"
            case "±": out += "\\ensuremath{\\pm}"
            case "µ", "μ": out += "\\ensuremath{\\mu}"
            case "κ": out += "\\ensuremath{\\kappa}"
            case "τ": out += "\\ensuremath{\\tau}"
            case "ρ": out += "\\ensuremath{\\rho}"
            case "α": out += "\\ensuremath{\\alpha}"
            case "∞": out += "\\ensuremath{\\infty}"
            case "₀": out += "\\ensuremath{_0}"
            case "₁": out += "\\ensuremath{_1}"
            case "²": out += "\\ensuremath{^2}"
            case "⁻": out += "\\ensuremath{^-}"
            case "’": out += "'"
            default:
                if c.isASCII { out.append(c) } else { out += "?" }
            }
        }
        return out
    }

    /// A number written by ``NumberFormat`` set for print: `1.23e-05` → `\ensuremath{1.23\cdot 10^{-5}}`,
    /// `12.3 [10.1–14.0]` → the same with each number set; `nan`, `inf` and text are escaped.
    public static func number(_ text: String) -> String {
        var out = ""
        var token = ""
        func flush() {
            guard !token.isEmpty else { return }
            out += setNumber(token)
            token = ""
        }
        for c in text {
            if c.isNumber || c == "." || c == "e" || ((c == "-" || c == "+") && token.last == "e") || (c == "-" && token.isEmpty) {
                token.append(c)
            } else {
                flush()
                out += escape(String(c))
            }
        }
        flush()
        return out
    }

    private static func setNumber(_ token: String) -> String {
        guard let e = token.firstIndex(of: "e"), token.first != "e" else {
            return token.first == "-" ? "\\ensuremath{" + token + "}" : escape(token)
        }
        let mantissa = token[..<e]
        guard let exponent = Int(token[token.index(after: e)...]) else { return escape(token) }
        return "\\ensuremath{" + mantissa + "\\cdot 10^{" + String(exponent) + "}}"
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
