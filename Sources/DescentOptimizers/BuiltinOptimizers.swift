import DescentCore

/// The optimizers that ship with Descent, in display order.
public enum BuiltinOptimizers {
    /// Every built-in optimizer and alias. `swift run suite --all` runs each with its defaults.
    public static var all: [OptimizerEntry] {
        [
            OptimizerEntry(SGD.self, name: "gd", summary: "gradient descent x ← x − lr·d (sgd with momentum 0)"),
            OptimizerEntry(SGD.self, name: "momentum", summary: "heavy-ball momentum: sgd with momentum 0.9") {
                $0.momentum = 0.9
            },
            OptimizerEntry(SGD.self, name: "nesterov", summary: "Nesterov momentum: sgd with momentum 0.9, nesterov") {
                $0.momentum = 0.9
                $0.nesterov = true
            },
            OptimizerEntry(SGD.self).alias(of: "gd"),
            OptimizerEntry(Adagrad.self),
            OptimizerEntry(RMSprop.self),
            OptimizerEntry(Adadelta.self),
            OptimizerEntry(Adam.self),
            OptimizerEntry(Adam.self, name: "amsgrad", summary: "AMSGrad: adam with the running maximum of v") {
                $0.amsgrad = true
            },
            OptimizerEntry(Adam.self, name: "adamw", summary: "AdamW: adam with decoupled weight decay 0.01 (torch.optim.AdamW)") {
                $0.decoupledWeightDecay = true
                $0.weightDecay = 1e-2
            },
            OptimizerEntry(NAdam.self),
            OptimizerEntry(RAdam.self),
            OptimizerEntry(Adamax.self),
            OptimizerEntry(ASGD.self),
            OptimizerEntry(Rprop.self),
            OptimizerEntry(Adafactor.self),
            OptimizerEntry(Lion.self),
            OptimizerEntry(AdaBelief.self),
            OptimizerEntry(Yogi.self),
            OptimizerEntry(ScheduleFreeSGD.self),
            OptimizerEntry(ScheduleFreeAdamW.self),
            OptimizerEntry(solver: LBFGS.self),
            OptimizerEntry(solver: LBFGS.self, name: "lbfgs-wolfe",
                           summary: "L-BFGS with line_search_fn='strong_wolfe' (torch.optim.LBFGS; Liu & Nocedal 1989)") {
                $0.lineSearch = .strongWolfe
            },
            OptimizerEntry(Prodigy.self),
            OptimizerEntry(DAdaptAdam.self),
            OptimizerEntry(DAdaptSGD.self),
            OptimizerEntry(Polyak.self),
            OptimizerEntry(ArmijoSGD.self),
            OptimizerEntry(AcceleratedMomentum.self),
            OptimizerEntry(AcceleratedMomentum.self, name: "heavy-ball",
                           summary: "Polyak's heavy ball with α = 4/(√L + √μ)², β = ((√L − √μ)/(√L + √μ))² from the certificate (Polyak 1964)") {
                $0.method = .heavyBall
            },
        ]
    }

    /// Gradient transformations, schedules and decoupled weight decay for `+` chains.
    public static var modifiers: [ModifierEntry] {
        [
            ModifierEntry(transformation: ClipByNorm.self),
            ModifierEntry(transformation: ClipByValue.self),
            ModifierEntry(transformation: L2.self),
            .decoupledWeightDecay,
            ModifierEntry(schedule: ConstantSchedule.self),
            ModifierEntry(schedule: StepSchedule.self),
            ModifierEntry(schedule: ExponentialSchedule.self),
            ModifierEntry(schedule: InverseTimeSchedule.self),
            ModifierEntry(schedule: CosineSchedule.self),
            ModifierEntry(schedule: WarmupCosineSchedule.self),
        ]
    }
}
