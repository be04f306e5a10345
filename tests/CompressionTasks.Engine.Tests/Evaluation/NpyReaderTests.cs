using System.Text;
using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation;
using CompressionTasks.Evaluation.Datasets;

namespace CompressionTasks.Engine.Tests.Evaluation;

[TestClass]
public sealed class NpyReaderTests
{
    private static string Npy(string name) => Path.Combine(TestData.Reference, "npy", name);

    [TestMethod]
    [DataRow("f32_v1.npy", NpyDataType.Float32)]
    [DataRow("f64_v2.npy", NpyDataType.Float64)]
    public void ReadRows_NumpyWrittenVersions_MatchTheFloat32Values(string file, NpyDataType type)
    {
        var expected = TestData.ReadNpy(Npy("expected_f32.npy"), out _);
        using var reader = NpyArrayReader.OpenFile(Npy(file));
        Assert.AreEqual(type, reader.Header.DataType);
        CollectionAssert.AreEqual(new long[] { 6, 2, 3 }, reader.Header.Shape.ToArray());
        var actual = new float[36];
        reader.ReadRows(0, 6, actual);
        CollectionAssert.AreEqual(expected, actual);
    }

    [TestMethod]
    public void ReadRows_Version3UInt8_ConvertsToFloat()
    {
        var expected = TestData.ReadNpy(Npy("expected_u8_as_f32.npy"), out _);
        using var reader = NpyArrayReader.OpenFile(Npy("u8_v3.npy"));
        Assert.AreEqual(NpyDataType.UInt8, reader.Header.DataType);
        var actual = new float[36];
        reader.ReadRows(0, 6, actual);
        CollectionAssert.AreEqual(expected, actual);
    }

    [TestMethod]
    public void ReadRows_FromTheMiddle_ReturnsThoseRows()
    {
        var all = TestData.ReadNpy(Npy("expected_f32.npy"), out _);
        using var reader = NpyArrayReader.OpenFile(Npy("f32_v1.npy"));
        var rows = new float[12];
        reader.ReadRows(4, 2, rows);
        CollectionAssert.AreEqual(all[24..], rows);
    }

    [TestMethod]
    public void ReadAllIntegers_Int32AndInt64Labels_ReadsValues()
    {
        using var i64 = NpyArrayReader.OpenFile(Npy("labels_i64.npy"));
        using var i32 = NpyArrayReader.OpenFile(Npy("labels_i32.npy"));
        CollectionAssert.AreEqual(new long[] { 0, 1, 2, 1, 0, 2 }, i64.ReadAllIntegers());
        CollectionAssert.AreEqual(new long[] { 2, 2, 1, 0, 1, 0 }, i32.ReadAllIntegers());
    }

    [TestMethod]
    public void Open_FortranOrder_ReportsCMP3003WithFileName()
    {
        var ex = Assert.ThrowsExactly<CompressionException>(() => NpyArrayReader.OpenFile(Npy("fortran.npy")));
        Assert.AreEqual(DiagnosticCodes.InvalidNpyFile, ex.Code);
        StringAssert.Contains(ex.Message, "fortran.npy");
        StringAssert.Contains(ex.Message, "Fortran order");
    }

    [TestMethod]
    public void Open_BigEndian_ReportsCMP3003()
    {
        var ex = Assert.ThrowsExactly<CompressionException>(() => NpyArrayReader.OpenFile(Npy("big_endian.npy")));
        Assert.AreEqual(DiagnosticCodes.InvalidNpyFile, ex.Code);
        StringAssert.Contains(ex.Message, "big-endian");
    }

    [TestMethod]
    public void Open_TruncatedData_ReportsCMP3003WithSizes()
    {
        var folder = TestData.NewTempFolder();
        var path = Path.Combine(folder, "short.npy");
        var bytes = File.ReadAllBytes(Npy("f32_v1.npy"));
        File.WriteAllBytes(path, bytes[..^8]);
        var ex = Assert.ThrowsExactly<CompressionException>(() => NpyArrayReader.OpenFile(path));
        Assert.AreEqual(DiagnosticCodes.InvalidNpyFile, ex.Code);
        StringAssert.Contains(ex.Message, "short.npy");
        StringAssert.Contains(ex.Message, "truncated");
    }

    [TestMethod]
    public void Open_NotNpy_ReportsCMP3003()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "text.npy");
        File.WriteAllText(path, "hello, world");
        var ex = Assert.ThrowsExactly<CompressionException>(() => NpyArrayReader.OpenFile(path));
        Assert.AreEqual(DiagnosticCodes.InvalidNpyFile, ex.Code);
        StringAssert.Contains(ex.Message, "magic");
    }

    [TestMethod]
    public void Open_HeaderWithoutShape_ReportsCMP3003()
    {
        var header = "{'descr': '<f4', 'fortran_order': False, }";
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, 0 };
        bytes.AddRange(Encoding.Latin1.GetBytes(header));
        var path = Path.Combine(TestData.NewTempFolder(), "noshape.npy");
        File.WriteAllBytes(path, bytes.ToArray());
        var ex = Assert.ThrowsExactly<CompressionException>(() => NpyArrayReader.OpenFile(path));
        StringAssert.Contains(ex.Message, "'shape'");
    }

    [TestMethod]
    public void Open_HugeShape_ReportsCMP3003WithoutAllocating()
    {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000000, 1000000000000), }";
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, 0 };
        bytes.AddRange(Encoding.Latin1.GetBytes(header));
        var path = Path.Combine(TestData.NewTempFolder(), "huge.npy");
        File.WriteAllBytes(path, bytes.ToArray());
        var ex = Assert.ThrowsExactly<CompressionException>(() => NpyArrayReader.OpenFile(path));
        Assert.AreEqual(DiagnosticCodes.InvalidNpyFile, ex.Code);
        StringAssert.Contains(ex.Message, "too large");
    }

    [TestMethod]
    [DataRow("stored.npz", "x", "y", new[] { 0, 1, 2, 1, 0, 2 })]
    [DataRow("deflated.npz", "images", "targets", new[] { 2, 2, 1, 0, 1, 0 })]
    public void Npz_StoredOrDeflated_ReadsSamplesAndLabels(string file, string arrayKey, string labelsKey, int[] labels)
    {
        var expected = TestData.ReadNpy(Npy("expected_f32.npy"), out _);
        var source = new DatasetSource("npz", DatasetFormat.Npz, Npy(file)) { ArrayKey = arrayKey, LabelsKey = labelsKey };
        using var reader = DatasetReader.Open(source);
        CollectionAssert.AreEqual(new[] { 2, 3 }, reader.SampleShape.ToArray());
        CollectionAssert.AreEqual(labels, reader.Labels!.ToArray());
        var actual = new float[36];

        // Backwards after forwards: a deflated member must be reopened, not misread.
        reader.ReadBatch(3, 3, actual.AsSpan(18));
        reader.ReadBatch(0, 3, actual);
        CollectionAssert.AreEqual(expected, actual);
    }

    [TestMethod]
    public void Npz_MissingKey_ReportsCMP3004ListingMembers()
    {
        var source = new DatasetSource("npz", DatasetFormat.Npz, Npy("deflated.npz"));
        var ex = Assert.ThrowsExactly<CompressionException>(() => DatasetReader.Open(source));
        Assert.AreEqual(DiagnosticCodes.InvalidNpzFile, ex.Code);
        StringAssert.Contains(ex.Message, "images.npy");
    }

    [TestMethod]
    public void Npz_NotAZip_ReportsCMP3004()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "bad.npz");
        File.WriteAllText(path, "not a zip");
        var ex = Assert.ThrowsExactly<CompressionException>(() => DatasetReader.Open(new DatasetSource("bad", DatasetFormat.Npz, path)));
        Assert.AreEqual(DiagnosticCodes.InvalidNpzFile, ex.Code);
        StringAssert.Contains(ex.Message, "bad.npz");
    }
}
