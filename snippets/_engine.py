"""A scalar autograd engine: every operation records its inputs and a backward closure.

The idea of PyTorch's autograd, on plain Python floats (64-bit), small enough to read at once.
"""

import math


class Value:
    def __init__(self, data, inputs=(), op=""):
        self.data, self.grad = float(data), 0.0
        self.inputs, self.op = inputs, op  # the nodes this one was computed from
        self._backward = lambda: None  # sends self.grad on to the inputs (a leaf has none)

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():  # ∂(a + b)/∂a = ∂(a + b)/∂b = 1
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():  # ∂(a·b)/∂a = b, ∂(a·b)/∂b = a
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(self.data)
        out = Value(t, (self,), "tanh")

        def _backward():  # tanh'(z) = 1 − tanh²(z)
            self.grad += (1 - t * t) * out.grad

        out._backward = _backward
        return out

    def abs(self):
        out = Value(abs(self.data), (self,), "abs")

        def _backward():  # |d|' = sign(d), taken as 0 at d = 0 like torch.abs
            self.grad += ((self.data > 0) - (self.data < 0)) * out.grad

        out._backward = _backward
        return out

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-other if isinstance(other, Value) else Value(-other))

    def __rsub__(self, other):
        return Value(other) + (-self)

    __radd__, __rmul__ = __add__, __mul__

    def topological_order(self):
        order, seen = [], set()

        def visit(node):  # depth first: a node joins the list only after all of its inputs
            if node not in seen:
                seen.add(node)
                for parent in node.inputs:
                    visit(parent)
                order.append(node)

        visit(self)
        return order

    def backward(self):
        self.grad = 1.0  # ∂out/∂out
        for node in reversed(self.topological_order()):  # every consumer before its inputs
            node._backward()
