using CompressionTasks.Evaluation;
using CompressionTasks.Evaluation.Datasets;
using CompressionTasks.Manifest;
using CompressionTasks.Manifest.Init;

namespace CompressionTasks.Engine.Tests.Manifest;

/// <summary>What <c>init</c> finds and guesses on the committed digits fixtures (real models, real images and arrays).</summary>
[TestClass]
public sealed class StarterDiscoveryTests
{
    [TestMethod]
    public void Discover_DigitsData_FindsTheClassTreeAndTheNpyPairsWithRoles()
    {
        using var workspace = DigitsWorkspace(withData: true);

        var found = DatasetDiscovery.Discover(workspace.Folder).ToDictionary(d => d.Name);

        CollectionAssert.AreEquivalent(new[] { "digits-test", "digits-test-npy", "digits-calib", "digits-train" }, found.Keys.ToArray());
        var images = found["digits-test"];
        Assert.AreEqual(DatasetFormat.ImageFolder, images.Format);
        Assert.AreEqual("data/digits/test", images.Path);
        Assert.IsNull(images.LabelsPath, "class subfolders label the images; the CSV beside them is not needed");
        Assert.IsTrue(images.Grayscale);
        Assert.AreEqual(539, images.Count);
        Assert.AreEqual(DatasetRole.Evaluation, images.Role);
        var calib = found["digits-calib"];
        Assert.AreEqual((DatasetFormat.Npy, "data/digits/calib_x.npy", "data/digits/calib_y.npy", DatasetRole.Calibration), (calib.Format, calib.Path, calib.LabelsPath, calib.Role));
        CollectionAssert.AreEqual(new[] { 1, 8, 8 }, calib.SampleShape.ToArray());
        Assert.AreEqual(DatasetRole.Training, found["digits-train"].Role);
    }

    [TestMethod]
    public void Discover_FlatImagesWithLabelsCsv_IsALabelledImageFolder()
    {
        using var workspace = new ManifestWorkspace();
        var lines = Path.Combine(workspace.Folder, "lines");
        Directory.CreateDirectory(lines);
        var csv = new List<string>();
        foreach (var file in Directory.GetFiles(RepositoryFolder.Path("data", "digits", "test"), "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(40))
        {
            File.Copy(file, Path.Combine(lines, Path.GetFileName(file)));
            csv.Add($"{Path.GetFileName(file)},{Path.GetFileName(Path.GetDirectoryName(file))}");
        }

        File.WriteAllLines(Path.Combine(lines, "labels.csv"), csv);

        var found = DatasetDiscovery.Discover(workspace.Folder).Single();

        Assert.AreEqual((DatasetFormat.ImageFolder, "lines", "lines/labels.csv"), (found.Format, found.Path, found.LabelsPath));
        Assert.AreEqual(40, found.Count);
        Assert.IsTrue(found.Labelled);
    }

    [TestMethod]
    public void ModelProfile_DigitsCnn_IsAConvNetWithASymbolicBatch()
    {
        var profile = ModelProfileReader.Read(RepositoryFolder.Path("models", "digits_cnn.onnx"))!;

        Assert.AreEqual(ModelArchitecture.Convolutional, profile.Architecture);
        Assert.AreEqual("input", profile.InputName);
        Assert.AreEqual((TensorLayout.Nchw, 1, 8, 8, 10), (profile.Layout, profile.Channels, profile.Height, profile.Width, profile.OutputClasses));
        Assert.IsTrue(profile.HasSymbolicDims);
    }

    [TestMethod]
    public void ModelProfile_ConvNetWithSymbolicHeightAndWidth_IsAConvNetCountedAtTheGuessedSide()
    {
        // Conv MACs need H and W; the classifier's Gemm does not. Counted unbound, the head would outweigh the convs.
        var profile = ModelProfileReader.Read(RepositoryFolder.Path("models", "realworld", "tiny_symbolic.onnx"))!;

        Assert.AreEqual(ModelArchitecture.Convolutional, profile.Architecture, $"conv share {profile.ConvMacShare}");
        Assert.IsGreaterThan(0.9, profile.ConvMacShare);
        Assert.AreEqual((TensorLayout.Nchw, 3, (int?)null, (int?)null), (profile.Layout, profile.Channels, profile.Height, profile.Width));
    }

    [TestMethod]
    public void ModelProfile_NotAModel_IsNull()
    {
        using var workspace = new ManifestWorkspace();

        Assert.IsNull(ModelProfileReader.Read(workspace.File("broken.onnx", "not protobuf at all")));
    }

    [TestMethod]
    public void ForFolder_DigitsModelsAndData_ConvNetsGetStaticInt8AndPrunedWithCalibrationSetAndTop1Gate()
    {
        using var workspace = DigitsWorkspace(withData: true);

        var yaml = ManifestTemplate.ForFolder(workspace.Folder, TestPasses.Catalog, "./compression.schema.json");
        workspace.Manifest(yaml);
        var manifest = ManifestLoader.Load(workspace.ManifestPath, TestPasses.Catalog);

        Assert.HasCount(2, manifest.Models);
        foreach (var model in manifest.Models)
        {
            Assert.AreEqual("digits-test", model.Dataset);
            Assert.AreEqual("digits-calib", model.Calibration, "a set named for calibration is used as it is");
            CollectionAssert.AreEqual(new long[] { 1, 1, 8, 8 }, model.InputShapes["input"].ToArray(), "the symbolic batch is bound, the rest from the samples");
            CollectionAssert.AreEqual(new[] { "int8", "pruned" }, model.Variants.Select(v => v.Name).ToArray(), "fp16 is only for GPU targets");
            Assert.AreEqual("static", model.Variants[0].Passes[0].DescribeOptions()["mode"]);
            CollectionAssert.AreEqual(new[] { "prune", "recover" }, model.Variants[1].Passes.Select(p => p.Name).ToArray());
        }

        var preprocess = manifest.Datasets["digits-test"].Preprocess;
        Assert.AreEqual(ColorMode.Grayscale, preprocess.ColorMode);
        Assert.AreEqual(GateMetric.Top1, manifest.Gates.Single().Metric);
        Assert.AreEqual(1.0, manifest.Gates[0].MaxDropPoints);
        Assert.IsNull(manifest.Gates[0].Models, "every model has labelled data, so the gate needs no models: list");
        StringAssert.Contains(yaml, "# conv net: static int8 runs as QLinearConv");
        StringAssert.Contains(yaml, "also found, not used");
        Assert.IsEmpty(manifest.Warnings);
        var problems = MiniJsonSchema.Parse(ManifestSchema.Generate(TestPasses.Catalog)).Validate(MiniJsonSchema.YamlToJson(yaml));
        Assert.IsEmpty(problems, string.Join("\n", problems));
    }

    [TestMethod]
    public void ForFolder_OnlyATestImageTree_SplitsAStratifiedCalibrationSubsetWithLimitAndSampling()
    {
        using var workspace = DigitsWorkspace(withData: false);
        CopyFolder(RepositoryFolder.Path("data", "digits", "test"), Path.Combine(workspace.Folder, "images", "test"));

        workspace.Manifest(ManifestTemplate.ForFolder(workspace.Folder, TestPasses.Catalog, "./compression.schema.json"));
        var manifest = ManifestLoader.Load(workspace.ManifestPath, TestPasses.Catalog);

        var model = manifest.Models[0];
        Assert.AreEqual("images-test", model.Dataset);
        Assert.AreEqual("images-test-calib", model.Calibration);
        var calibration = manifest.Datasets["images-test-calib"];
        Assert.AreEqual(manifest.Datasets["images-test"].Path, calibration.Path, "the subset reads the same files: nothing is copied");
        Assert.AreEqual((134, SamplingMode.Stride), (calibration.Limit, calibration.Sampling));
        // The class subfolders order the samples by class, so every n-th one keeps each class's share.
        var labels = Directory.GetDirectories(calibration.Path).Order(StringComparer.Ordinal)
            .SelectMany(d => Enumerable.Repeat(int.Parse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture), Directory.GetFiles(d).Length)).ToArray();
        var chosen = SampleSelector.Select(labels.Length, calibration.Limit, calibration.Sampling, calibration.Seed);
        foreach (var perClass in chosen.GroupBy(i => labels[i]))
        {
            var share = labels.Count(l => l == perClass.Key) * 134.0 / labels.Length;
            Assert.IsLessThanOrEqualTo(1.0, Math.Abs(perClass.Count() - share), $"class {perClass.Key}");
        }

        Assert.AreEqual("static", model.Variants[0].Passes[0].DescribeOptions()["mode"]);
    }

    [TestMethod]
    public void ForFolder_ModelWithoutData_FallsBackToDynamicInt8AndGuessesTheInputShape()
    {
        using var workspace = DigitsWorkspace(withData: false);

        var yaml = ManifestTemplate.ForFolder(workspace.Folder, TestPasses.Catalog, "./compression.schema.json");
        workspace.Manifest(yaml);
        var manifest = ManifestLoader.Load(workspace.ManifestPath, TestPasses.Catalog);

        var model = manifest.Models[0];
        Assert.IsNull(model.Calibration);
        CollectionAssert.AreEqual(new[] { "int8" }, model.Variants.Select(v => v.Name).ToArray(), "static int8 and recover need calibration (CMP1060): not written");
        Assert.AreEqual("dynamic", model.Variants[0].Passes[0].DescribeOptions()["mode"]);
        CollectionAssert.AreEqual(new long[] { 1, 1, 8, 8 }, model.InputShapes["input"].ToArray());
        StringAssert.Contains(yaml, "# GUESS, confirm it: no dataset gives 'batch'");
        StringAssert.Contains(yaml, "# not enabled, conv net: remove 30% of the channels");
        Assert.IsEmpty(manifest.Gates);
    }

    [TestMethod]
    public void ForFolder_FortyLabelledImages_GateAllowsOneChangedPredictionAndSaysWhy()
    {
        using var workspace = DigitsWorkspace(withData: false);
        foreach (var classFolder in Directory.GetDirectories(RepositoryFolder.Path("data", "digits", "test")))
        {
            var target = Path.Combine(workspace.Folder, "images", Path.GetFileName(classFolder));
            Directory.CreateDirectory(target);
            foreach (var file in Directory.GetFiles(classFolder).Order(StringComparer.Ordinal).Take(4))
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            }
        }

        var yaml = ManifestTemplate.ForFolder(workspace.Folder, TestPasses.Catalog, "./compression.schema.json");
        workspace.Manifest(yaml);
        var manifest = ManifestLoader.Load(workspace.ManifestPath, TestPasses.Catalog);

        // One of 40 is 2.5 points: a 1-point gate would fail on any single changed prediction.
        Assert.AreEqual(GateMetric.Top1, manifest.Gates.Single().Metric);
        Assert.AreEqual(3.0, manifest.Gates[0].MaxDropPoints);
        StringAssert.Contains(yaml, "# labelled data, 40 samples: one changed prediction moves top-1 by 2.5 points, so the gate allows one");
    }

    [TestMethod]
    public void VariantChooser_ConvNetWhereInt8SumsCanSaturate_GetsReduceRangeWithItsReason()
    {
        var saturating = VariantChooser.Choose(ModelArchitecture.Convolutional, hasCalibration: true, gpuTarget: false, TestPasses.Catalog, int8CanSaturate: true);
        var exact = VariantChooser.Choose(ModelArchitecture.Convolutional, hasCalibration: true, gpuTarget: false, TestPasses.Catalog, int8CanSaturate: false);

        StringAssert.Contains(saturating[0].Passes, "reduceRange: true");
        StringAssert.Contains(saturating[0].Why, "no VNNI");
        Assert.DoesNotContain("reduceRange", exact[0].Passes);
        StringAssert.Contains(saturating[1].Passes, "roundTo: 8");
    }

    [TestMethod]
    public void PreprocessGuess_ThreeChannel224Input_UsesImageNetStatisticsAndResizes()
    {
        var model = new ModelProfile("pixel_values", [(object)"batch", 3L, 224L, 224L], ModelArchitecture.Convolutional, 1, TensorLayout.Nchw, 1000);
        var photos = new FoundDataset("photos", DatasetFormat.ImageFolder, "photos", null, DatasetRole.Unknown, [3, 256, 320], Grayscale: false, null) { SampleCount = 5 };

        var guess = PreprocessGuess.For(model, photos);

        Assert.AreEqual("{ colorMode: rgb, resize: [224, 224], scale: 0.0039215686, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], layout: NCHW }", guess.ToYaml());
        StringAssert.Contains(guess.Why, "ImageNet mean/std");
        CollectionAssert.AreEqual(new[] { 3, 224, 224 }, guess.SampleShape(photos).ToArray());
    }

    [TestMethod]
    public void PreprocessGuess_SymbolicHeightAndWidthWith224Images_UsesImageNetStatisticsWithoutResizing()
    {
        // torchvision exported with dynamic_axes: [batch, 3, height, width]; the images decide the size it runs at.
        var model = new ModelProfile("input", [(object)"batch", 3L, "height", "width"], ModelArchitecture.Convolutional, 0.61, TensorLayout.Nchw, 5);
        var images = new FoundDataset("images", DatasetFormat.ImageFolder, "images", null, DatasetRole.Unknown, [3, 224, 224], Grayscale: false, null) { SampleCount = 40 };
        var odd = images with { SampleShape = [3, 200, 160] };

        var guess = PreprocessGuess.For(model, images);

        Assert.AreEqual("{ colorMode: rgb, scale: 0.0039215686, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], layout: NCHW }", guess.ToYaml());
        StringAssert.Contains(guess.Why, "3-channel any-size input");
        StringAssert.Contains(guess.Why, "ImageNet mean/std");
        Assert.IsFalse(PreprocessGuess.For(model, odd).ImageNet, "200x160 images are no ImageNet crop");
    }

    [TestMethod]
    public void VariantChooser_MatMulHeavyModel_GetsDynamicInt8EvenWithCalibration()
    {
        var variants = VariantChooser.Choose(ModelArchitecture.MatMulHeavy, hasCalibration: true, gpuTarget: true, TestPasses.Catalog);

        CollectionAssert.AreEqual(new[] { "int8", "fp16" }, variants.Select(v => v.Name).ToArray());
        StringAssert.Contains(variants[0].Passes, "mode: dynamic");
        Assert.IsTrue(variants.All(v => !v.Commented && v.Why.Length > 0));
    }

    [TestMethod]
    public void VariantChooser_ConvNetForGpuTarget_AddsFp16()
    {
        var variants = VariantChooser.Choose(ModelArchitecture.Convolutional, hasCalibration: true, gpuTarget: true, TestPasses.Catalog);

        CollectionAssert.AreEqual(new[] { "int8", "pruned", "fp16" }, variants.Where(v => !v.Commented).Select(v => v.Name).ToArray());
    }

    private static ManifestWorkspace DigitsWorkspace(bool withData)
    {
        var workspace = new ManifestWorkspace();
        Directory.CreateDirectory(Path.Combine(workspace.Folder, "models"));
        File.Copy(RepositoryFolder.Path("models", "digits_cnn.onnx"), Path.Combine(workspace.Folder, "models", "digits_cnn.onnx"));
        if (withData)
        {
            File.Copy(RepositoryFolder.Path("models", "digits_resnet.onnx"), Path.Combine(workspace.Folder, "models", "digits_resnet.onnx"));
            CopyFolder(RepositoryFolder.Path("data", "digits"), Path.Combine(workspace.Folder, "data", "digits"));
        }

        return workspace;
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
