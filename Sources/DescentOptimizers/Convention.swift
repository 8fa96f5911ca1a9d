import DescentCore

/// Which library's update formula to follow where PyTorch and optax differ.
public enum Convention: String, CaseIterable, Sendable, ParameterRepresentable {
    /// torch.optim: ε outside √, AMSGrad's maximum on raw v, PyTorch's operation order.
    case pytorch
    /// optax: AMSGrad's maximum on bias-corrected v̂, `eps_root` inside √ (Adam), ε inside √ (RMSprop).
    case optax
}
