namespace CompressionTasks.IO;

/// <summary>
/// A write-only view of a stream that calls back once, right after the first bytes written through it reached the
/// stream underneath (flushed), before any later write: where a crash test stops a process in the middle of a file.
/// Disposing it leaves the underlying stream open.
/// </summary>
internal sealed class FirstWriteSignal(Stream inner, Action firstWrite) : Stream
{
    private Action? _firstWrite = firstWrite;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        if (buffer.Length > 0 && _firstWrite is { } signal)
        {
            _firstWrite = null;
            inner.Flush();
            signal();
        }
    }

    public override void WriteByte(byte value) => Write([value]);
}
