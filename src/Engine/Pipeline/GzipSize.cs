using System.IO.Compression;

namespace CompressionTasks.Pipeline;

/// <summary>
/// The size a model takes compressed with gzip. Pruned weights stay dense in ONNX, so the file size does not move;
/// the compressed size shows what sparsity saves in storage and download.
/// </summary>
public static class GzipSize
{
    public static long Of(string path)
    {
        using var input = File.OpenRead(path);
        var counter = new CountingStream();
        using (var gzip = new GZipStream(counter, CompressionLevel.Optimal, leaveOpen: true))
        {
            input.CopyTo(gzip);
        }

        return counter.Length;
    }

    /// <summary>A write-only sink that only counts bytes.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
