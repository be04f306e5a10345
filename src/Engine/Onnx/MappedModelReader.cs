using System.IO.MemoryMappedFiles;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CompressionTasks.Onnx;

/// <summary>
/// Hands a parser the bytes of a file through a read-only memory map. Parsing copies every tensor out of the span into
/// its own array, so this is the only copy: no intermediate file-sized buffer whose first touch would cost as much
/// page-fault time as the parse, and packed <c>float_data</c> is read with the parser's bulk path rather than through
/// a 4 KB stream buffer. The map is released before returning; nothing refers to it afterwards.
/// </summary>
internal static class MappedModelReader
{
    public delegate T SpanParser<out T>(ReadOnlySpan<byte> bytes);

    public static T Read<T>(string path, SpanParser<T> parse)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        var length = checked((int)file.Length);
        using var map = MemoryMappedFile.CreateFromFile(file, mapName: null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
        using var view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
        var handle = view.SafeMemoryMappedViewHandle;
        var added = false;
        try
        {
            // The span is built from the view's address without pointer syntax (so the engine needs no /unsafe);
            // the reference count taken here keeps the mapping alive while the parser reads it.
            handle.DangerousAddRef(ref added);
            var address = handle.DangerousGetHandle() + (nint)view.PointerOffset;
            ref var first = ref Unsafe.AddByteOffset(ref Unsafe.NullRef<byte>(), address);
            return parse(MemoryMarshal.CreateReadOnlySpan(ref first, length));
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }
}
