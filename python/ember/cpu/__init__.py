"""ember.cpu (torch.cpu): ember.cpu.amp, autocast on the CPU."""
from ember.cpu import amp as amp
