"""ember.data.streams: live data streams as datasets.

A Stream reads a source (TCP client or server, UDP, unix socket, a subprocess's stdout, a file
being appended to, or records pushed from a driver callback) on a C++ I/O thread, frames it
(length-prefixed binary records of a Schema, newline-delimited JSON or CSV), and buffers the
records under a backpressure policy. The I/O, framing, parsing and buffering are C++
(ember/data/streams); these classes are thin shells over ember._C._streams.

    schema = Schema([("speed", "float32"), ("ranges", ember.float32, (16,))])
    stream = Stream(tcp_client("127.0.0.1", 5555), schema, format="ndjson")
    for batch in DataLoader(StreamDataset(stream, batch_size=32), batch_size=None):
        ...
"""
from ember._C import _streams as _core
from ember.data.streams.dataset import StreamDataset
from ember.data.streams.stream import Batch, Record, Stream

Schema = _core.Schema
Source = _core.Source
StreamDisconnected = _core.StreamDisconnected
VehicleFeed = _core.VehicleFeed
encode_frame = _core.encode_frame
tcp_client = _core.tcp_client
tcp_server = _core.tcp_server
udp = _core.udp
unix_client = _core.unix_client
unix_server = _core.unix_server
subprocess = _core.subprocess
file_tail = _core.file_tail

__all__ = ["Batch", "Record", "Schema", "Source", "Stream", "StreamDataset", "StreamDisconnected",
           "VehicleFeed", "encode_frame", "file_tail", "subprocess", "tcp_client", "tcp_server",
           "udp", "unix_client", "unix_server"]
