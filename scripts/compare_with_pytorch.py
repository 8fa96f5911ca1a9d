#!/usr/bin/env python3
"""Step-by-step comparison of Descent's optimizers with torch.optim (float64).

For each configuration below, runs `suite` on extended Rosenbrock with --log-every 1 and
--tolerance 0, replays the same optimizer with torch.optim (foreach=False, the single-tensor
path Descent mirrors) from the same start, with f and the gradient computed in Python floats in
exactly the order Descent computes them, and prints how many of the 301 values of f are
bit-identical, the first step where they differ, the relative difference there, and the largest
relative difference over the run. A wrong formula shows as a large difference at an early step;
a last-bit difference (PyTorch's CPU `add_(alpha=)`, `addcmul_` and `lerp_` are fused
multiply-adds, Descent's arithmetic is not) shows as ~1e-16 at the first difference, which a
sensitive problem may then amplify. Exit status 1 if any first difference exceeds 1e-13. Needs torch (not a project dependency; install it in a venv outside the repo):

    python3 -m venv ~/.venvs/torch && ~/.venvs/torch/bin/pip install torch
    swift build -c release
    ~/.venvs/torch/bin/python scripts/compare_with_pytorch.py .build/release/suite

L-BFGS is compared iterate by iterate (each inner iteration of repeated step(closure) calls, as a
training loop makes them), with the closure calls made by then, on extended Rosenbrock and on a
diagonal quadratic where rounding differences are not amplified. Pass a second argument to compare
only the specs that contain it (`... suite lbfgs`).

Lion, AdaBelief, Yogi and schedule-free SGD are compared with their authors' packages when installed:

    ~/.venvs/torch/bin/pip install --no-deps lion-pytorch adabelief-pytorch torch-optimizer schedulefree prodigyopt dadaptation
"""
import contextlib
import csv
import io
import math
import os
import subprocess
import sys
import tempfile

import torch

torch.set_default_dtype(torch.float64)
N = 10          # extended Rosenbrock dimension
STEPS = 300     # optimizer steps compared

# (Descent spec, torch optimizer factory)
CASES = [
    ("gd(lr=0.0005)", lambda p: torch.optim.SGD(p, lr=0.0005, foreach=False)),
    ("momentum(lr=0.0005)", lambda p: torch.optim.SGD(p, lr=0.0005, momentum=0.9, foreach=False)),
    ("sgd(lr=0.0002,momentum=0.8,dampening=0.3,weight_decay=0.01)",
     lambda p: torch.optim.SGD(p, lr=0.0002, momentum=0.8, dampening=0.3, weight_decay=0.01, foreach=False)),
    ("nesterov(lr=0.0005)", lambda p: torch.optim.SGD(p, lr=0.0005, momentum=0.9, nesterov=True, foreach=False)),
    ("adagrad(lr=0.1)", lambda p: torch.optim.Adagrad(p, lr=0.1, foreach=False)),
    ("adagrad(lr=0.1,lr_decay=0.01,weight_decay=0.1,initial_accumulator_value=0.5)",
     lambda p: torch.optim.Adagrad(p, lr=0.1, lr_decay=0.01, weight_decay=0.1, initial_accumulator_value=0.5,
                                   foreach=False)),
    ("rmsprop(lr=0.001)", lambda p: torch.optim.RMSprop(p, lr=0.001, foreach=False)),
    ("rmsprop(lr=0.001,momentum=0.5,centered=true,weight_decay=0.01)",
     lambda p: torch.optim.RMSprop(p, lr=0.001, momentum=0.5, centered=True, weight_decay=0.01, foreach=False)),
    ("adadelta", lambda p: torch.optim.Adadelta(p, foreach=False)),
    ("adadelta(lr=0.5,rho=0.8,weight_decay=0.1)",
     lambda p: torch.optim.Adadelta(p, lr=0.5, rho=0.8, weight_decay=0.1, foreach=False)),
    ("adam(lr=0.01)", lambda p: torch.optim.Adam(p, lr=0.01, foreach=False)),
    ("adam(lr=0.01,beta1=0.8,beta2=0.99,eps=1e-6,weight_decay=0.1)",
     lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1, foreach=False)),
    ("amsgrad(lr=0.01)", lambda p: torch.optim.Adam(p, lr=0.01, amsgrad=True, foreach=False)),
    ("adamw(lr=0.01)", lambda p: torch.optim.AdamW(p, lr=0.01, foreach=False)),
    ("adamw(lr=0.01,weight_decay=0.5,amsgrad=true)",
     lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.5, amsgrad=True, foreach=False)),
    ("nadam(lr=0.01)", lambda p: torch.optim.NAdam(p, lr=0.01, foreach=False)),
    ("nadam(lr=0.01,weight_decay=0.1,decoupled_weight_decay=true)",
     lambda p: torch.optim.NAdam(p, lr=0.01, weight_decay=0.1, decoupled_weight_decay=True, foreach=False)),
    ("radam(lr=0.0005)", lambda p: torch.optim.RAdam(p, lr=0.0005, foreach=False)),
    ("radam(lr=0.0005,beta1=0.8,beta2=0.99,eps=1e-6,weight_decay=0.1)",
     lambda p: torch.optim.RAdam(p, lr=0.0005, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1, foreach=False)),
    ("radam(lr=0.0005,weight_decay=0.1,decoupled_weight_decay=true)",
     lambda p: torch.optim.RAdam(p, lr=0.0005, weight_decay=0.1, decoupled_weight_decay=True, foreach=False)),
    ("adamax(lr=0.01)", lambda p: torch.optim.Adamax(p, lr=0.01, foreach=False)),
    ("adamax(lr=0.01,beta1=0.8,beta2=0.99,eps=1e-6,weight_decay=0.1)",
     lambda p: torch.optim.Adamax(p, lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1, foreach=False)),
    ("asgd(lr=0.0005)", lambda p: torch.optim.ASGD(p, lr=0.0005, foreach=False)),
    ("asgd(lr=0.0005,lambd=0.01,alpha=0.5,t0=100,weight_decay=0.1)",
     lambda p: torch.optim.ASGD(p, lr=0.0005, lambd=0.01, alpha=0.5, t0=100, weight_decay=0.1, foreach=False)),
    ("rprop", lambda p: torch.optim.Rprop(p, foreach=False)),
    ("rprop(lr=0.001,etaminus=0.3,etaplus=1.5,step_size_min=0.0001,step_size_max=0.1)",
     lambda p: torch.optim.Rprop(p, lr=0.001, etas=(0.3, 1.5), step_sizes=(1e-4, 0.1), foreach=False)),
    ("adafactor", lambda p: torch.optim.Adafactor(p, foreach=False)),
    ("adafactor(lr=0.001,beta2_decay=-0.5,eps1=1e-10,eps2=0.01,d=2,weight_decay=0.1)",
     lambda p: torch.optim.Adafactor(p, lr=0.001, beta2_decay=-0.5, eps=(1e-10, 0.01), d=2, weight_decay=0.1,
                                     foreach=False)),
]


# The authors' reference code where a package ships it (install with --no-deps next to torch:
# lion-pytorch, adabelief-pytorch, torch-optimizer, schedulefree, prodigyopt, dadaptation); a case whose
# package is missing is skipped.
def _lion(**kw):
    from lion_pytorch import Lion
    return lambda p: Lion(p, **kw)


def _adabelief(**kw):
    from adabelief_pytorch import AdaBelief
    return lambda p: AdaBelief(p, rectify=False, print_change_log=False, **kw)


def _schedulefree(name, **kw):
    """schedulefree's reference optimizer `name` (SGDScheduleFreeReference, ...) in train mode."""
    import schedulefree

    def make(p):
        opt = getattr(schedulefree, name)(p, **kw)
        opt.train()
        return opt
    return make


def _yogi(**kw):
    from torch_optimizer import Yogi
    return lambda p: Yogi(p, **kw)


def _prodigy(**kw):
    from prodigyopt import Prodigy
    return lambda p: Prodigy(p, **kw)


def _dadapt(name, **kw):
    import dadaptation
    return lambda p: getattr(dadaptation, name)(p, **kw)


REFERENCE_CASES = [
    ("prodigy", "prodigyopt", lambda: _prodigy()),
    ("prodigy(lr=0.5,beta1=0.8,beta3=0.9,weight_decay=0.1,use_bias_correction=true,d_coef=2,growth_rate=1.5)", "prodigyopt",
     lambda: _prodigy(lr=0.5, betas=(0.8, 0.999), beta3=0.9, weight_decay=0.1, use_bias_correction=True, d_coef=2.0,
                      growth_rate=1.5)),
    ("prodigy(weight_decay=0.1,decouple=false,safeguard_warmup=true,beta1=0)", "prodigyopt",
     lambda: _prodigy(betas=(0.0, 0.999), weight_decay=0.1, decouple=False, safeguard_warmup=True)),
    ("dadapt-adam", "dadaptation", lambda: _dadapt("DAdaptAdam")),
    ("dadapt-adam(lr=0.5,weight_decay=0.1,decouple=true,use_bias_correction=true,growth_rate=2)", "dadaptation",
     lambda: _dadapt("DAdaptAdam", lr=0.5, weight_decay=0.1, decouple=True, use_bias_correction=True, growth_rate=2.0)),
    ("dadapt-adam(weight_decay=0.1,beta1=0.8,beta2=0.99)", "dadaptation",
     lambda: _dadapt("DAdaptAdam", weight_decay=0.1, betas=(0.8, 0.99))),
    ("dadapt-sgd(lr=0.01)", "dadaptation", lambda: _dadapt("DAdaptSGD", lr=0.01)),
    ("dadapt-sgd(lr=0.01,momentum=0.9,weight_decay=0.1,growth_rate=1.1)", "dadaptation",
     lambda: _dadapt("DAdaptSGD", lr=0.01, momentum=0.9, weight_decay=0.1, growth_rate=1.1)),
    ("schedulefree-sgd(lr=0.0005)", "schedulefree", lambda: _schedulefree("SGDScheduleFreeReference", lr=0.0005)),
    ("schedulefree-sgd(lr=0.0005,momentum=0.8,weight_decay=0.1,warmup_steps=20,r=0.5,weight_lr_power=1)", "schedulefree",
     lambda: _schedulefree("SGDScheduleFreeReference", lr=0.0005, momentum=0.8, weight_decay=0.1, warmup_steps=20, r=0.5, weight_lr_power=1)),
    ("schedulefree-adamw(lr=0.01)", "schedulefree", lambda: _schedulefree("AdamWScheduleFreeReference", lr=0.01)),
    ("schedulefree-adamw(lr=0.01,beta1=0.8,beta2=0.99,eps=1e-6,weight_decay=0.1,warmup_steps=20,decay_at_z=true)",
     "schedulefree", lambda: _schedulefree("AdamWScheduleFreeReference", lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1, warmup_steps=20,
                                                  decay_at_z=True)),
    ("lion(lr=0.0001)", "lion-pytorch", lambda: _lion(lr=0.0001)),
    ("lion(lr=0.0001,beta1=0.8,beta2=0.9,weight_decay=0.5)", "lion-pytorch",
     lambda: _lion(lr=0.0001, betas=(0.8, 0.9), weight_decay=0.5)),
    ("adabelief(lr=0.01)", "adabelief-pytorch", lambda: _adabelief(lr=0.01)),
    ("adabelief(lr=0.01,weight_decay=0.1,amsgrad=true)", "adabelief-pytorch",
     lambda: _adabelief(lr=0.01, weight_decay=0.1, amsgrad=True)),
    ("adabelief(lr=0.01,weight_decay=0.1,decoupled_weight_decay=false)", "adabelief-pytorch",
     lambda: _adabelief(lr=0.01, weight_decay=0.1, weight_decouple=False)),
    ("yogi(lr=0.01)", "torch-optimizer", lambda: _yogi(lr=0.01)),
    ("yogi(lr=0.01,beta1=0.8,beta2=0.99,eps=1e-6,weight_decay=0.1)", "torch-optimizer",
     lambda: _yogi(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
]


def value_and_gradient(x):
    """Extended Rosenbrock, in the order of Descent's ExtendedRosenbrock.valueAndGradient: pair j's
    term in partial sum j mod 8, the eight combined in Kernels.combine's fixed tree."""
    lanes = [0.0] * 8
    g = [0.0] * len(x)
    for j in range(0, len(x), 2):
        u = x[j]
        r = x[j + 1] - u * u
        lanes[(j // 2) % 8] += 100 * r * r + (1 - u) * (1 - u)
        g[j] = -400 * u * r - 2 * (1 - u)
        g[j + 1] = 200 * r
    s = lanes
    f = ((s[0] + s[4]) + (s[2] + s[6])) + ((s[1] + s[5]) + (s[3] + s[7]))
    return f, g


def torch_trace(factory):
    """f at every iterate; for a schedule-free method (the optimizer keeps `x` in its state) f at x,
    the point its paper evaluates, with the gradient taken at the parameter y as in training."""
    p = torch.tensor([-1.2 if i % 2 == 0 else 1.0 for i in range(N)], requires_grad=False)
    with contextlib.redirect_stdout(io.StringIO()):  # adabelief-pytorch prints its settings
        opt = factory([p])
    values = []
    for _ in range(STEPS + 1):
        f, g = value_and_gradient(p.tolist())
        averaged = opt.state[p].get("x") if p in opt.state else None
        values.append(f if averaged is None else value_and_gradient(averaged.tolist())[0])
        p.grad = torch.tensor(g)
        opt.step()
    return values


# L-BFGS runs as a training loop calls it: step(closure) again and again. Compared iterate by
# iterate (each inner iteration), with the closure calls made by then.
ROSENBROCK = f"extended-rosenbrock(n={N})"
QUADRATIC = f"quadratic(n={N},kappa=100,rotated=false,linear=ones)"
LBFGS_CASES = [
    (ROSENBROCK, "lbfgs", dict()),
    (ROSENBROCK, "lbfgs(lr=0.5,history_size=5,max_iter=7)", dict(lr=0.5, history_size=5, max_iter=7)),
    (ROSENBROCK, "lbfgs-wolfe", dict(line_search_fn="strong_wolfe")),
    (ROSENBROCK, "lbfgs-wolfe(history_size=3,max_iter=5,max_eval=6)",
     dict(line_search_fn="strong_wolfe", history_size=3, max_iter=5, max_eval=6)),
    (QUADRATIC, "lbfgs", dict()),
    (QUADRATIC, "lbfgs(lr=0.5,history_size=3,max_iter=7)", dict(lr=0.5, history_size=3, max_iter=7)),
    (QUADRATIC, "lbfgs-wolfe", dict(line_search_fn="strong_wolfe")),
    (QUADRATIC, "lbfgs-wolfe(history_size=2,max_iter=4,max_eval=5)",
     dict(line_search_fn="strong_wolfe", history_size=2, max_iter=4, max_eval=5)),
]


def quadratic_value_and_gradient(x):
    """Descent's diagonal quadratic ½Σaᵢxᵢ² − Σxᵢ, aᵢ = 100^(i/(n−1)) (glibc's pow, as Descent's),
    term i in partial sum i mod 8, combined as Kernels.combine does."""
    n = len(x)
    lanes = [0.0] * 8
    g = [0.0] * n
    for i in range(n):
        a = math.pow(100.0, i / (n - 1))
        ax = a * x[i]
        lanes[i % 8] += 0.5 * x[i] * ax - 1.0 * x[i]
        g[i] = ax - 1.0
    s = lanes
    return ((s[0] + s[4]) + (s[2] + s[6])) + ((s[1] + s[5]) + (s[3] + s[7])), g


def lbfgs_trace(problem, kw, iterations):
    """f at x₀ and after each of torch's inner iterations, and the closure calls made by then."""
    if problem == QUADRATIC:
        value_and_gradient = quadratic_value_and_gradient
        p = torch.zeros(N)
    else:
        value_and_gradient = globals()["value_and_gradient"]
        p = torch.tensor([-1.2 if i % 2 == 0 else 1.0 for i in range(N)], requires_grad=False)
    opt = torch.optim.LBFGS([p], **kw)
    calls = [0]

    def closure():
        calls[0] += 1
        f, g = value_and_gradient(p.tolist())
        p.grad = torch.tensor(g)
        return torch.tensor(f)

    values, evaluations = [value_and_gradient(p.tolist())[0]], [1]
    trial = [False]
    directional = opt._directional_evaluate
    add = opt._add_grad

    def directional_evaluate(closure, x, t, d):
        trial[0] = True
        try:
            return directional(closure, x, t, d)
        finally:
            trial[0] = False

    def add_grad(t, d):
        add(t, d)
        if not trial[0]:  # a move, not a line-search trial
            values.append(value_and_gradient(p.tolist())[0])
            # Without a line search the new point's closure call comes after the move.
            evaluations.append(calls[0] + (0 if kw.get("line_search_fn") else 1))

    opt._directional_evaluate = directional_evaluate
    opt._add_grad = add_grad
    while len(values) <= iterations:
        before = len(values)
        opt.step(closure)
        if len(values) == before:
            break  # torch takes no more steps
    return values[:iterations + 1], evaluations[:iterations + 1]


def descent_trace(suite, spec, folder, column="f", problem=None):
    subprocess.run([suite, "--problem", problem or f"extended-rosenbrock(n={N})", "--optimizer", spec, "--max-iterations",
                    str(STEPS), "--tolerance", "0", "--log-every", "1", "--output", folder, "--quiet"],
                   check=True, stdout=subprocess.DEVNULL)
    (problem_folder,) = os.listdir(os.path.join(folder, "traces"))
    traces = os.path.join(folder, "traces", problem_folder)
    (name,) = os.listdir(traces)
    with open(os.path.join(traces, name)) as handle:
        return [float(row[column]) for row in csv.DictReader(handle)]


def compare(suite, spec, factory):
    """(identical, first difference, relative difference there, largest relative difference)."""
    with tempfile.TemporaryDirectory() as folder:
        ours = descent_trace(suite, spec, folder)
    theirs = torch_trace(factory)
    assert len(ours) == len(theirs) == STEPS + 1, (spec, len(ours), len(theirs))
    return differences(ours, theirs)


def differences(ours, theirs):
    """(identical, first difference, relative difference there, largest relative difference) of two traces."""
    rel = [abs(a - b) / max(abs(b), 1e-300) for a, b in zip(ours, theirs)]
    first = next((i for i, r in enumerate(rel) if r != 0), None)
    return sum(r == 0 for r in rel), first, rel[first] if first is not None else 0.0, max(rel)


def row(spec, result, values=STEPS + 1):
    same, first, at_first, largest = result
    return f"{spec:<78} {same:>5}/{values:<5} {'-' if first is None else first:>10} {at_first:>10.1e} {largest:>10.1e}"


def main():
    suite = sys.argv[1] if len(sys.argv) > 1 else ".build/release/suite"
    only = sys.argv[2] if len(sys.argv) > 2 else ""  # compare only the specs containing this text
    print(f"torch {torch.__version__}, extended Rosenbrock n = {N}, {STEPS} steps, float64")
    print(f"{'optimizer':<78} {'identical f':>11} {'first diff':>10} {'rel. there':>10} {'max rel.':>10}")
    worst_first = 0.0
    for spec, factory in CASES:
        if only not in spec:
            continue
        result = compare(suite, spec, factory)
        worst_first = max(worst_first, result[2])
        print(row(spec, result))
    print(f"largest first difference: {worst_first:.1e}")
    print(f"\ntorch.optim.LBFGS, iterate by iterate (each inner iteration of repeated step(closure) calls)")
    for problem, spec, kw in LBFGS_CASES:
        if only not in spec:
            continue
        with tempfile.TemporaryDirectory() as folder:
            ours = descent_trace(suite, spec, folder, problem=problem)
        with tempfile.TemporaryDirectory() as folder:
            calls = [int(float(c)) for c in descent_trace(suite, spec, folder, "gradient_evaluations", problem)]
        theirs, their_calls = lbfgs_trace(problem, kw, len(ours) - 1)
        if len(ours) != len(theirs):  # one stopped earlier (torch's tolerances): a difference too
            worst_first = float("inf")
            print(f"{spec}: Descent made {len(ours) - 1} iterations, torch {len(theirs) - 1}")
            n = min(len(ours), len(theirs))
            ours, theirs, calls, their_calls = ours[:n], theirs[:n], calls[:n], their_calls[:n]
        result = differences(ours, theirs)
        worst_first = max(worst_first, result[2])
        same_calls = "closure calls equal" if calls == their_calls else f"closure calls differ: {calls[:8]} vs {their_calls[:8]}"
        print(row(f"{spec} on {problem.split('(')[0]}", result, len(ours)) + f"  ({same_calls})")
        if calls != their_calls:
            worst_first = float("inf")
    print(f"largest first difference: {worst_first:.1e}")
    print("\nagainst the authors' reference code")
    for spec, package, make in REFERENCE_CASES:
        if only not in spec:
            continue
        try:
            factory = make()
            with contextlib.redirect_stdout(io.StringIO()):
                factory([torch.zeros(1, requires_grad=True)])
        except ImportError:
            print(f"{spec:<78} skipped: pip install --no-deps {package}")
            continue
        result = compare(suite, spec, factory)
        worst_first = max(worst_first, result[2])
        print(row(spec, result) + f"  ({package})")
    print(f"largest first difference: {worst_first:.1e}")
    sys.exit(0 if worst_first <= 1e-13 else 1)


if __name__ == "__main__":
    main()
