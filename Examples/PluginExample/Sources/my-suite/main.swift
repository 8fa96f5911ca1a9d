import Descent

// The suite with this package's optimizers and problem added to the built-ins; `package` names the
// package (and, from its git checkout, its commit) in every metadata.json the runs write.
SuiteMain.main(
    registry: .standard(
        adding: [ProblemEntry(name: "booth", summary: "Booth's function; f* = 0 at (1, 3)") { _, _ throws(SpecError) in Booth() }],
        optimizers: [OptimizerEntry(SignDescent.self), OptimizerEntry(QHAdam.self)]
    ),
    package: PluginPackage(name: "PluginExample", version: "0.1.0")
)
