# The seed's RNN step (../shared/seed-examples/rnn_autograd.py) with ember. Two changes make it
# compute gradients: the last line passes a 20x1 gradient (next_h is 20x1), and the Variables
# require grad (since PyTorch 0.4, Variable(t) alone does not, and backward would say so).
import ember as torch
from ember.autograd import Variable

x = Variable(torch.randn(1, 10), requires_grad=True)
prev_h = Variable(torch.randn(1, 20), requires_grad=True)
W_h = Variable(torch.randn(20, 20), requires_grad=True)
W_x = Variable(torch.randn(20, 10), requires_grad=True)

i2h = torch.mm(W_x, x.t())
h2h = torch.mm(W_h, prev_h.t())
next_h = i2h + h2h
next_h = next_h.tanh()

next_h.backward(torch.ones(20, 1))
print("next_h.grad_fn:", next_h.grad_fn)
for name, tensor in [("W_h", W_h), ("W_x", W_x), ("x", x), ("prev_h", prev_h)]:
    print(f"|d{name}| = {tensor.grad.norm().item():.4f}")
