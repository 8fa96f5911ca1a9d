import DescentCore
import DescentReport
import PropertyBased
import Testing

/// Names the spec grammar accepts: letters, digits, _ - .
let nameGen = Gen<Character?>.element(of: Array("abcxyzABZ019_-.") as [Character]).map { $0! }.string(of: 1...12)
/// Parameter keys: letters, digits, _.
let keyGen = Gen<Character?>.element(of: Array("abklmz_019") as [Character]).map { $0! }.string(of: 1...8)
/// Values without the grammar's separators.
let valueGen = Gen<Character?>.element(of: Array("0123456789.e-+xyzTRUEfalse") as [Character]).map { $0! }.string(of: 1...10)
/// Arbitrary printable ASCII and line ends, for robustness.
let noiseGen = Gen<Character?>.element(of: Array(" !\"#$%&'()*+,-./0123456789:;<=>?@AZaz[\\]^_`{|}~\n\t") as [Character])
    .map { $0! }.string(of: 0...120)

@Suite("Parser properties")
struct ParserProperties {
    @Test("a spec prints and parses back to itself")
    func specRoundTrip() async {
        await propertyCheck(input: nameGen, keyGen.array(of: 0...4), valueGen.array(of: 4)) { name, keys, values in
            var unique: [String] = []
            for k in keys where !unique.contains(k) { unique.append(k) }
            let text = unique.isEmpty ? name : "\(name)(\(zip(unique, values).map { "\($0)=\($1)" }.joined(separator: ",")))"
            let spec = try? Spec(parsing: text)
            #expect(spec?.name == name)
            #expect(spec?.arguments.map(\.name) == unique)
            #expect(spec.map { try? Spec(parsing: $0.description) } == spec)
        }
    }

    @Test("any text either parses as a spec or throws a SpecError, and never traps")
    func specTotal() async {
        await propertyCheck(count: 500, input: noiseGen) { text in
            do {
                let spec = try Spec(parsing: text)
                #expect(!spec.name.isEmpty)
            } catch let error as SpecError {
                #expect(!error.description.isEmpty)
            } catch {
                Issue.record("unexpected error type: \(error)")
            }
            _ = try? Registry(problems: [], optimizers: []).selectOptimizers([text])
        }
    }

    @Test("any text either parses as an instance file or throws an error naming the file")
    func instanceFileTotal() async {
        await propertyCheck(count: 500, input: noiseGen) { text in
            do {
                let file = try InstanceFile(parsing: text, path: "p.toml")
                #expect(!file.name.isEmpty && !file.family.isEmpty)
            } catch let error as InstanceFileError {
                #expect(error.path == "p.toml" && error.line >= 0)
            } catch {
                Issue.record("unexpected error type: \(error)")
            }
        }
    }

    @Test("a generated instance file parses back its fields")
    func instanceFileRoundTrip() async {
        await propertyCheck(input: nameGen, keyGen, Gen.double(in: -1e6...1e6)) { name, key, value in
            let text = "# generated\nname = \"\(name)\"\nfamily = \"quadratic\"  # trailing\n\n[parameters]\n\(key) = \(value)\n"
            let file = try? InstanceFile(parsing: text, path: "g.toml")
            #expect(file?.name == name && file?.family == "quadratic")
            #expect(file?.parameters.first.flatMap { Double($0.value) } == value)
        }
    }
}

@Suite("Number and record properties")
struct CodecProperties {
    @Test("every double prints in shortest form and parses back bit for bit")
    func exactNumbers() async {
        await propertyCheck(count: 1000, input: Gen.uint64()) { bits in
            let x = Double(bitPattern: bits)
            let parsed = Double(NumberFormat.exact(x))
            if x.isNaN { #expect(parsed?.isNaN == true) } else { #expect(parsed?.bitPattern == x.bitPattern) }
        }
    }

    @Test("3 significant digits are within half a unit of the third digit")
    func scientific() async {
        await propertyCheck(count: 1000, input: Gen.double(in: -1e300...1e300)) { x in
            guard x != 0, let y = Double(NumberFormat.scientific(x)) else { return }
            #expect(Swift.abs(y - x) <= 0.005 * Swift.abs(x) * (1 + 1e-12), "\(x) → \(y)")
        }
    }

    @Test("a run record survives encoding, labels with any characters included")
    func runCodec() async {
        await propertyCheck(count: 200, input: noiseGen, Gen.double(in: -1e10...1e10), Gen.int(in: 0...10_000)) { label, f, k in
            let row = TraceRow(iteration: k, gradientEvaluations: k + 1, sampleGradients: k + 1, epochs: Double(k + 1), value: f,
                               suboptimality: nil, gradientNorm: Swift.abs(f), stepNorm: k == 0 ? nil : 0.5, time: 1e-3)
            let result = RunResult(status: .maxIterations, iterations: k, gradientEvaluations: k + 1, sampleGradients: k + 1,
                                   epochs: Double(k + 1), initialValue: f, finalValue: f, optimalValue: nil,
                                   gradientNorm: Swift.abs(f), time: 1e-3, trace: [row], finalPoint: [], note: label)
            let record = RunRecord(problem: label, dimension: 3, optimizer: label + "+x", seed: 7, result: result)
            let back = RunCodec.decode(RunCodec.encode(record))
            #expect(back?.problem == label && back?.optimizer == label + "+x")
            #expect(back?.result.trace == [row])
            #expect(back?.result.note == (label.isEmpty ? nil : label))
        }
    }
}
