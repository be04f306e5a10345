using System.Buffers.Binary;
using System.Text;

namespace CompressionTasks.Runner.Tests;

/// <summary>
/// The symbol versions an ELF file needs from its libraries (<c>readelf -V</c>'s "Version needs" section,
/// <c>.gnu.version_r</c>), read straight from the file so the check runs on any host for any architecture:
/// <c>GLIBC_2.27</c>, <c>GLIBCXX_3.4.25</c>, ... A loader refuses the file on a system whose glibc or libstdc++ lacks one.
/// </summary>
internal static class ElfVersionNeeds
{
    private const uint ShtGnuVerneed = 0x6ffffffe;

    public static bool IsElf(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[4];
        return stream.Read(magic) == 4 && magic.SequenceEqual("\u007fELF"u8);
    }

    /// <summary>Every needed version name, e.g. <c>GLIBC_2.17</c>; 64-bit little-endian ELF only (aarch64, x86-64).</summary>
    public static IReadOnlyList<string> Read(string path)
    {
        var elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || !elf.AsSpan(0, 4).SequenceEqual("\u007fELF"u8) || elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException($"{path} is not a 64-bit little-endian ELF file");
        }

        var sectionOffset = (long)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x28));
        var sectionSize = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3A));
        var sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3C));
        var names = new List<string>();
        for (var s = 0; s < sectionCount; s++)
        {
            var header = elf.AsSpan((int)(sectionOffset + (s * sectionSize)), sectionSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != ShtGnuVerneed)
            {
                continue;
            }

            var offset = (int)BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]);
            var link = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]);
            var entries = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x2C..]);
            var strings = elf.AsSpan((int)(sectionOffset + (link * sectionSize)), sectionSize);
            var stringsOffset = (int)BinaryPrimitives.ReadUInt64LittleEndian(strings[0x18..]);
            var entry = offset;
            for (var e = 0; e < entries; e++)
            {
                // Elf64_Verneed: vn_version(2) vn_cnt(2) vn_file(4) vn_aux(4) vn_next(4)
                var count = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(entry + 2));
                var aux = entry + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(entry + 8));
                for (var a = 0; a < count; a++)
                {
                    // Elf64_Vernaux: vna_hash(4) vna_flags(2) vna_other(2) vna_name(4) vna_next(4)
                    var name = stringsOffset + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(aux + 8));
                    var end = Array.IndexOf(elf, (byte)0, name);
                    names.Add(Encoding.ASCII.GetString(elf, name, end - name));
                    aux += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(aux + 12));
                }

                entry += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(entry + 12));
            }
        }

        return names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The highest needed version with <paramref name="prefix"/> (<c>GLIBC_</c>, <c>GLIBCXX_</c>); null when none.</summary>
    public static Version? Highest(IEnumerable<string> needs, string prefix) =>
        needs.Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && Version.TryParse(n[prefix.Length..], out _))
            .Select(n => Version.Parse(n[prefix.Length..]))
            .DefaultIfEmpty()
            .Max();

    /// <summary>Files among <paramref name="folder"/>'s ELF files that need a newer glibc or libstdc++ than the ceilings.</summary>
    public static IReadOnlyList<string> AboveCeiling(string folder, Version glibc, Version glibcxx) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(IsElf)
            .Select(f => (File: Path.GetRelativePath(folder, f), Needs: Read(f)))
            .Where(x => Highest(x.Needs, "GLIBC_") > glibc || Highest(x.Needs, "GLIBCXX_") > glibcxx)
            .Select(x => $"{x.File}: {string.Join(", ", x.Needs.Where(n => n.StartsWith("GLIBC", StringComparison.Ordinal)))}")
            .Order(StringComparer.Ordinal)
            .ToArray();
}
