// The umbrella module for plugin authors: `import Descent` brings in the protocols, the
// harness, the built-in problems and optimizers, reporting and the `suite` entry point.
@_exported import DescentCLI
@_exported import DescentCore
@_exported import DescentOptimizers
@_exported import DescentProblems
@_exported import DescentReference
@_exported import DescentReport
