# The seed's RNN step (../shared/seed-examples/rnn_autograd.py) with ember, and with its last
# line corrected: next_h is 20x1, so the gradient passed to backward must be 20x1 too.
import ember as torch
from ember.autograd import Variable

x = Variable(torch.randn(1, 10))
prev_h = Variable(torch.randn(1, 20))
W_h = Variable(torch.randn(20, 20))
W_x = Variable(torch.randn(20, 10))

i2h = torch.mm(W_x, x.t())
h2h = torch.mm(W_h, prev_h.t())
next_h = i2h + h2h
next_h = next_h.tanh()

next_h.backward(torch.ones(20, 1))
