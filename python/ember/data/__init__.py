"""ember.data: data sources beyond ember.utils.data's datasets; ember.data.streams reads live
streams (sensor feeds over sockets, pipes and files) as datasets."""
from ember.data import streams

__all__ = ["streams"]
