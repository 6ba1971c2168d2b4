"""A backward pass, step by step, on the graph autograd really built.

`record` walks `loss.grad_fn`, hooks every node, runs `loss.backward()` and keeps what torch itself
sent: each node's gradient (dloss/d its output) and the gradient it passed down each edge.
`steps` turns that into the page's steps: forward in topological order, then backward in the
order torch ran the nodes (`_stepper_svg.py` draws the graph).
"""

import re
import string

from _autograd_graph import walk


def _name(node, tensors):
    for name, tensor in tensors.items():
        if tensor.grad_fn is node or getattr(node, "variable", None) is tensor:
            return name
    raise LookupError(f"no name for the graph node {type(node).__name__}: name every tensor")


def record(loss, tensors):
    """{nodes, edges, backward}: autograd's nodes and edges with torch's own values and gradients."""
    nodes, found, depth = walk(loss.grad_fn)
    edges = list(dict.fromkeys(found))  # walk lists an edge again for each path that reaches it
    received, sent, ran = {}, {}, []

    def hook_for(node):
        def hook(grad_inputs, grad_outputs):  # gradients sent down, gradient received
            ran.append(node)
            received[node] = grad_outputs[0].detach().clone()
            for (child, _), grad in zip(node.next_functions, grad_inputs):
                if child is not None:
                    sent[(child, node)] = grad.detach().clone()

        return hook

    handles = [node.register_hook(hook_for(node)) for node in nodes]
    loss.backward()
    for handle in handles:
        handle.remove()
    ids = {node: f"n{i}" for i, node in enumerate(nodes)}
    out = {"nodes": [], "edges": [], "backward": [ids[n] for n in ran]}
    for node in nodes:
        name = _name(node, tensors)
        value = tensors[name].detach()
        leaf = {"leaf_grad": node.variable.grad} if hasattr(node, "variable") else {}
        out["nodes"].append(
            {
                "id": ids[node],
                "name": name,
                "op": type(node).__name__,
                "depth": depth[node],
                "shape": list(value.shape),
                "value": value,
                "grad": received[node],
                **leaf,
            }
        )
    for child, parent in edges:
        grad = sent[(child, parent)]
        scalar = grad.dim() == 0 and received[parent].dim() == 0
        local = (grad / received[parent]).item() if scalar else None  # sent = received · local
        out["edges"].append({"source": ids[child], "target": ids[parent], "sent": grad, "local": local})
    return out


def number(value, wrap=False):
    """A number as the page writes it: 4 significant digits, a real minus sign, (−1) in a product."""
    text = f"{value:.4g}".replace("-", "\u2212")
    return f"({text})" if wrap and value < 0 else text


def _shown(tensor):
    """A scalar as a number; a tensor as its shape and first entries."""
    if tensor.dim() == 0:
        return number(tensor.item())
    first = ", ".join(number(v) for v in tensor.flatten()[:3].tolist())
    more = ", …" if tensor.numel() > 3 else ""
    return f"dạng {'×'.join(map(str, tensor.shape))}, [{first}{more}]"


def steps(graph, tensors, exprs, rules=None, of="loss"):
    """The page's steps: {phase, node, edges, text}, forward then backward, numbers from graph."""
    by_id = {n["id"]: n for n in graph["nodes"]}
    edges = list(enumerate(graph["edges"]))
    out = []
    by_name = {n["name"]: n for n in graph["nodes"]}
    for node in [by_name[k] for k in tensors if k in by_name]:  # the order the forward pass ran
        name, value = node["name"], node["value"]
        said = " = " if value.dim() == 0 else ": "
        if name not in exprs:
            text = f"{name}{said}{_shown(value)} (lá: tham số cần gradient)"
            out.append({"phase": "forward", "node": node["id"], "name": name, "edges": [], "text": text})
            continue
        symbols = exprs[name].format_map({k: k for k in tensors})
        inputs = [field for _, field, _, _ in string.Formatter().parse(exprs[name]) if field]
        if all(tensors[k].dim() == 0 for k in inputs):  # numbers: show the arithmetic too
            numbers = {k: number(tensors[k].item(), wrap=True) for k in inputs}
            filled = re.sub(r"\|\((−[^()|]*)\)\|", r"|\1|", exprs[name].format_map(numbers))  # |−3|
            symbols += f" = {filled}"
        text = f"{name} = {symbols}{said}{_shown(value)}"
        used = [i for i, e in edges if e["target"] == node["id"]]
        out.append({"phase": "forward", "node": node["id"], "name": name, "edges": used, "text": text})
    for node in map(by_id.get, graph["backward"]):
        name, used = node["name"], [i for i, e in edges if e["source"] == node["id"]]
        head = f"∂{of}/∂{name} = "
        if not used:
            text = head + f"{_shown(node['grad'])} (backward() bắt đầu từ đây)"
        elif all(graph["edges"][i]["local"] is not None for i in used):
            users = [(by_id[graph["edges"][i]["target"]], graph["edges"][i]["local"]) for i in used]
            symbols = " + ".join(f"∂{of}/∂{p['name']} · ∂{p['name']}/∂{name}" for p, _ in users)
            factors = " + ".join(f"{number(p['grad'].item(), True)} · {number(k, True)}" for p, k in users)
            text = head + f"{symbols} = {factors} = {_shown(node['grad'])}"
        else:  # tensors: the rule that made the gradient, then what torch sent
            text = head + f"{rules[name]}: {_shown(node['grad'])}"
        if "leaf_grad" in node:
            text += f", ghi vào {name}.grad"
        out.append({"phase": "backward", "node": node["id"], "name": name, "edges": used, "text": text})
    return out
