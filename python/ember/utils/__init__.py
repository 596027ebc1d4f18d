from ember.utils import dlpack as dlpack
