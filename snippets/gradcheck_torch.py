"""torch.autograd.gradcheck on the hand-written layer, and on a deliberately wrong backward."""

import torch
from torch.autograd.gradcheck import GradcheckError

from _manual_layers import LinearReLU, linear_backward, relu_backward
import sitekit

# %% inputs
device = sitekit.device()
# drawn on the CPU, then moved: the same numbers on every device
x = torch.randn(4, 3, dtype=torch.float64).to(device).requires_grad_()
weight = torch.randn(3, 2, dtype=torch.float64).to(device).requires_grad_()
bias = torch.randn(2, dtype=torch.float64).to(device).requires_grad_()

# %% passing
passed = torch.autograd.gradcheck(LinearReLU.apply, (x, weight, bias), eps=1e-6, atol=1e-5, rtol=1e-3)
print("gradcheck(LinearReLU):", passed)
sitekit.report("manual_passes", passed)


# %% wrong
class WrongLinearReLU(LinearReLU):
    @staticmethod
    def backward(ctx, grad_out):
        x, weight, z = ctx.saved_tensors
        grad_x, grad_weight, grad_bias = linear_backward(relu_backward(grad_out, z), x, weight)
        return grad_x, grad_weight, grad_bias / len(x)  # bug: the bias gradient is averaged, not summed


with sitekit.expect(GradcheckError, match="Jacobian mismatch"):
    torch.autograd.gradcheck(WrongLinearReLU.apply, (x, weight, bias), eps=1e-6, atol=1e-5, rtol=1e-3)
caught = torch.autograd.gradcheck(WrongLinearReLU.apply, (x, weight, bias), raise_exception=False)
print("gradcheck(WrongLinearReLU, raise_exception=False):", caught)
sitekit.report("wrong_passes", caught)
