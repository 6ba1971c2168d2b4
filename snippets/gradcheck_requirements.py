"""What torch.autograd.gradcheck requires: an input with requires_grad. float32 only draws a warning."""

import warnings

import torch
from torch.autograd.gradcheck import GradcheckError

import sitekit

# %% float32
device = sitekit.device()
x32 = torch.randn(3).to(device).requires_grad_()  # float32
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    passed = torch.autograd.gradcheck(torch.sin, (x32,), raise_exception=False)
print(f"{caught[0].category.__name__}: {str(caught[0].message).split('. ')[0]}.")
print("gradcheck(sin, float32) với ngưỡng mặc định:", passed)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    loose = torch.autograd.gradcheck(torch.sin, (x32,), eps=1e-2, atol=1e-3, rtol=1e-2)
print("gradcheck(sin, float32) với eps=1e-2, atol=1e-3, rtol=1e-2:", loose)
sitekit.report("float32_warns", len(caught) > 0)
sitekit.report("float32_default", passed)
sitekit.report("float32_loose", loose)

# %% no-requires-grad
x64 = torch.randn(3, dtype=torch.float64).to(device)  # float64, but no requires_grad
with sitekit.expect(ValueError, match="at least one input tensor to require gradient"):
    torch.autograd.gradcheck(torch.sin, (x64,))

# %% indices
a = torch.randn(2, dtype=torch.float64).to(device).requires_grad_()
b = torch.randn(2, dtype=torch.float64).to(device).requires_grad_()


class WrongSecond(torch.autograd.Function):
    """a * b, whose backward gets the gradient of the second input (b) wrong."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx, grad_out):
        a, b = ctx.saved_tensors
        return grad_out * b, grad_out * a * 2  # bug: the factor 2 in the gradient of b


with sitekit.expect(GradcheckError, match="with respect to input 1"):
    torch.autograd.gradcheck(WrongSecond.apply, (a, b))
