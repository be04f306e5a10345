using System.Text;

namespace CompressionTasks.Hardening.Tests.Fuzzing;

/// <summary>
/// The fuzz inputs of one seed, in order: case <c>i</c> of a seed is always the same bytes, so a finding reported as
/// "seed S, case i" is reproduced by enumerating to it.
/// </summary>
internal static class FuzzInputs
{
    public static IEnumerable<byte[]> Onnx(int seed, int cases)
    {
        var mutator = new Mutator(seed);
        var seeds = OnnxTarget.Seeds;
        for (var i = 0; i < cases; i++)
        {
            var original = seeds[i % seeds.Count];
            yield return (i % 3) switch
            {
                0 => mutator.MutateProtobuf(original),
                1 => mutator.MutateBytes(original, seeds[(i + 1) % seeds.Count]),
                _ => mutator.MutateProtobuf(mutator.MutateProtobuf(original)),
            };
        }
    }

    public static IEnumerable<byte[]> Manifest(int seed, int cases)
    {
        var mutator = new Mutator(seed);
        var seeds = ManifestTarget.Seeds;
        for (var i = 0; i < cases; i++)
        {
            var original = seeds[i % seeds.Count];
            yield return (i % 4) switch
            {
                3 => mutator.MutateBytes(Encoding.UTF8.GetBytes(original), Encoding.UTF8.GetBytes(seeds[(i + 1) % seeds.Count])),
                _ => mutator.MutateYaml(original),
            };
        }
    }
}
