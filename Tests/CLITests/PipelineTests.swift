@testable import DescentCLI
import DescentCore
import DescentReport
import DescentTestSupport
import Foundation
import Testing

@Suite("The run pipeline: plan, job, scheduler, writer")
struct PipelineTests {
    func plan(_ arguments: [String]) throws -> Plan {
        let command = try RunCommand.parse(arguments)
        return try Plan(command, registry: .standard)
    }

    @Test("the plan of a tuned selection with a non-convex problem: three passes, their jobs in order (golden)")
    func tunedPlan() throws {
        let plan = try plan(["--problem", "rosenbrock", "--problem", "mlp(samples=40)", "--optimizer", "adam", "--optimizer", "gd",
                             "--tune", "--tune-grid", "1e-2:1e-1:2", "--instances", "2"])
        #expect(plan.text() == """
            phase 1 of 3: tuning sweep, 8 runs
              rosenbrock instance 0 seed 0: adam(lr=0.01), adam(lr=0.1), gd(lr=0.01), gd(lr=0.1)
              mlp(samples=40) instance 0 seed 0: adam(lr=0.01), adam(lr=0.1), gd(lr=0.01), gd(lr=0.1)
            phase 2 of 3: first pass, 4 runs
              mlp(samples=40) instance 1 seed 1: adam, gd
              mlp(samples=40) instance 2 seed 2: adam, gd
            phase 3 of 3: measured runs, 8 runs
              rosenbrock instance 1 seed 1: adam, gd
              rosenbrock instance 2 seed 2: adam, gd
              mlp(samples=40) instance 1 seed 1: adam, gd
              mlp(samples=40) instance 2 seed 2: adam, gd

            """)
    }

    @Test("with several workers the costliest problem starts first; a shard keeps its pairs, a non-convex problem whole (golden)")
    func startOrderAndShards() throws {
        let plan = try plan(["--problem", "rosenbrock", "--problem", "quadratic(n=30)", "--optimizer", "adam", "--optimizer", "gd",
                             "--seeds", "2", "--batch-size", "1", "--problem", "logistic(samples=20)", "--problem", "mlp(samples=40)",
                             "--shard", "2/2"])
        #expect(plan.text(workers: 2) == """
            phase 1 of 2: first pass, 4 runs
              mlp(samples=40) instance 0 seed 0: adam, gd
              mlp(samples=40) instance 0 seed 1: adam, gd
            phase 2 of 2: measured runs, 10 runs
              mlp(samples=40) instance 0 seed 0: adam, gd
              mlp(samples=40) instance 0 seed 1: adam, gd
              logistic(samples=20) instance 0 seed 0: gd
              logistic(samples=20) instance 0 seed 1: gd
              quadratic(n=30) instance 0 seed 0: gd
              quadratic(n=30) instance 0 seed 1: gd
              rosenbrock instance 0 seed 0: gd
              rosenbrock instance 0 seed 1: gd

            """)
    }

    @Test("a job crosses to a worker as one message and comes back equal, every number to the bit")
    func jobMessage() throws {
        let plan = try plan(["--problem", "quadratic(n=4)", "--optimizer", "adam", "--time-limit", "0.30000000000000004",
                             "--tolerance", "1e-300", "--seed", "18446744073709551615"])
        let pass = plan.measured(plan.untuned)
        var job = plan.job(pass, slot: 0, trial: 0, references: [:])
        job.optimalValue = 0.1 + 0.2
        job.bestReached = .leastNonzeroMagnitude
        job.settings.curvature = Job.Bounds(Curvature(strongConvexity: 1 / 3, smoothness: .greatestFiniteMagnitude))
        let message = try job.encoded()
        #expect(!message.contains("\n"))
        let back = try Job.decoded(message)
        #expect(back == job)
        #expect(back.optimalValue?.bitPattern == (0.1 + 0.2).bitPattern)
        #expect(back.settings.samplingSeed == Plan.samplingSeed(.max))
        #expect(back.settings.timeLimit == 0.30000000000000004 && back.settings.tolerance == 1e-300)
    }

    @Test("one execute serves both paths: a worker's job and the in-process job give the same bits")
    func sameBitsBothPaths() throws {
        let plan = try plan(["--problem", "rosenbrock", "--optimizer", "adam", "--optimizer", "gd", "--max-iterations", "50"])
        let pass = plan.measured(plan.untuned)
        let job = plan.job(pass, slot: 0, trial: 0, references: [:])
        func results(_ instance: ProblemInstance, _ optimizers: [ConfiguredOptimizer]) throws -> [RunResult] {
            var out: [RunResult] = []
            try job.execute(on: instance, optimizers: optimizers, cancellation: CancellationFlag(),
                            events: Job.Events(finished: { _, r in out.append(r) }))
            return out
        }
        let local = try results(plan.instance(of: job, in: pass), pass.runs[0].map(\.optimizer))
        let (instance, optimizers) = try Job.decoded(try job.encoded()).resolve(in: .standard)
        let remote = try results(instance, optimizers)
        #expect(local.count == 2 && remote.count == 2)
        for (a, b) in zip(local, remote) {
            #expect(a.finalValue.bitPattern == b.finalValue.bitPattern && a.iterations == b.iterations && a.status == b.status)
        }
    }
}
