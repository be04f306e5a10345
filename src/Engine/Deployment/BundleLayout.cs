namespace CompressionTasks.Deployment;

/// <summary>
/// Where a bundle goes: <c>&lt;out&gt;/deploy/&lt;target&gt;/&lt;model&gt;-&lt;variant&gt;/</c> and, next to it,
/// <c>&lt;model&gt;-&lt;variant&gt;.tar.gz</c> whose entries all sit under <c>&lt;model&gt;-&lt;variant&gt;/</c>.
/// </summary>
public sealed record BundleLayout(string OutputFolder, string Target, string Model, string Variant)
{
    public const string DeployFolderName = "deploy";

    public string BundleName => BundleNames.Check($"{BundleNames.Check(Model, "model")}-{BundleNames.Check(Variant, "variant")}", "bundle");

    public string TargetFolder => Path.Combine(Path.GetFullPath(OutputFolder), DeployFolderName, BundleNames.Check(Target, "target"));

    public string Folder => Path.Combine(TargetFolder, BundleName);

    public string ArchivePath => Folder + ".tar.gz";
}
