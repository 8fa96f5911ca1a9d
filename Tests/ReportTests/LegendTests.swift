import DescentCore
@testable import DescentReport
import Foundation
import Testing

@Suite("The legend defines every status and column; summary.md counts statuses per optimizer")
struct LegendTests {
    /// Every column name the legend defines (a row may define several, comma-separated).
    var defined: Set<String> {
        let all = Legend.summaryCSV + Legend.targetsCSV + Legend.referenceCSV + Legend.traceCSV
            + Legend.otherCSV.flatMap(\.columns) + Legend.overview
        return Set(all.flatMap { $0.name.split(separator: ",").map { String($0.drop { $0 == " " }) } })
    }

    @Test("Every status has its CSV value, its words in tables and a meaning, in both files")
    func everyStatus() {
        #expect(Legend.statuses.map(\.status).sorted() == RunStatus.allCases.sorted())
        let maxIterations = Legend.statuses.first { $0.status == .maxIterations }!
        #expect(maxIterations.words == "max iterations")
        for s in RunStatus.allCases {
            #expect(Legend.markdown.contains("| `\(s.rawValue)` |"))
            #expect(Legend.article.contains("| `\(s.rawValue)` |"))
        }
        // A `|` inside a meaning would split the table's row.
        for line in Legend.statusTable.split(separator: "\n").dropFirst(2) {
            #expect(line.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count == 4, "\(line)")
        }
    }

    @Test("Every column of every CSV file a run writes, and of the overview, is defined")
    func everyColumn() throws {
        let set = ResultSet(records: fixtureRecords, references: fixtureReferences, hash: "0123abcd")
        let files = ReportFiles.raw(set, problemOrder: []) + ReportFiles.derived(set)
        var checked = 0
        for (name, text) in files where name.hasSuffix(".csv") && !name.hasPrefix("traces/") {
            guard let header = text.split(separator: "\n").first else { continue }
            for column in header.split(separator: ",") {
                #expect(defined.contains(String(column)), "\(name): column \(column) is not in the legend")
                checked += 1
            }
        }
        #expect(checked > 40)
        for column in CSV.summaryColumns + CSV.targetColumns + CSV.referenceColumns + CSV.traceColumns + TuningTables.columns {
            #expect(defined.contains(column), "\(column) is not in the legend")
        }
        for column in TerminalTable.standings(fixtureRecords, references: fixtureReferences).split(separator: "\n")[0]
            .split(separator: "  ", omittingEmptySubsequences: true).map({ String($0.drop { $0 == " " }) }) {
            #expect(defined.contains(column), "overview column \(column) is not in the legend")
        }
    }

    @Test("tables/legend.md is written with the tables, and tables.md points to it")
    func writtenWithTheTables() throws {
        let set = ResultSet(records: fixtureRecords, references: fixtureReferences, hash: "0123abcd")
        let files = Dictionary(ReportFiles.derived(set), uniquingKeysWith: { a, _ in a })
        #expect(files["tables/legend.md"] == Legend.markdown)
        #expect(try #require(files["tables/tables.md"]).contains("legend.md defines every status and column"))
    }

    @Test("summary.md: one row per optimizer with counts by status, in tables.md's order, and the legend")
    func summaryCounts() throws {
        var records: [RunRecord] = []
        for (i, status) in [RunStatus.converged, .converged, .stalled].enumerated() {
            var r = fixtureRecords[1]
            r.seed = UInt64(i)
            r.result.status = status
            records.append(r)
        }
        records.append(fixtureRecords[0])
        let text = Markdown.summary(records, references: fixtureReferences)
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| optimizer") && !$0.hasPrefix("| status (CSV)") }
        #expect(rows.count == 2 + Legend.statuses.count)
        // adam converged on 2 of 3 runs, so it reached targets gd never did: first, as in tables.md.
        #expect(rows[0].hasPrefix("| adam(lr=0.01,beta1=0.8) | 3 | 2 | · | 1 |"))
        #expect(rows[1].hasPrefix("| gd | 1 | · | 1 | · |"))
        #expect(text.contains("| optimizer | runs | converged | max iterations | stalled | median final f − f* |"))
        #expect(text.contains("## Legend") && text.contains("| `max_iterations` | max iterations |"))
        let order = ResultTables.ordered(Grouping.problems(records, references: fixtureReferences)[0].groups, measure: .evaluations)
        #expect(order.map(\.optimizer) == ["adam(lr=0.01,beta1=0.8)", "gd"])
    }
}
