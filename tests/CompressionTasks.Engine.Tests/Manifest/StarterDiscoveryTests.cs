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
    public void ForFolder_OnlyATestImageTree_SplitsItIntoAStratifiedCalibrationSubsetAndTheRestForEvaluation()
    {
        using var workspace = DigitsWorkspace(withData: false);
        CopyFolder(RepositoryFolder.Path("data", "digits", "test"), Path.Combine(workspace.Folder, "images", "test"));

        var yaml = ManifestTemplate.ForFolder(workspace.Folder, TestPasses.Catalog, "./compression.schema.json");
        workspace.Manifest(yaml);
        var diagnostics = ManifestLoader.Validate(workspace.ManifestPath, TestPasses.Catalog);
        var manifest = ManifestLoader.Load(workspace.ManifestPath, TestPasses.Catalog);

        Assert.IsEmpty(diagnostics, string.Join("\n", diagnostics));
        var model = manifest.Models[0];
        Assert.AreEqual("images-test", model.Dataset);
        Assert.AreEqual("images-test-calib", model.Calibration);
        var (evaluation, calibration) = (manifest.Datasets["images-test"], manifest.Datasets["images-test-calib"]);
        Assert.AreEqual(evaluation.Path, calibration.Path, "the subset reads the same files: nothing is copied");
        Assert.AreEqual((134, SamplingMode.Stratified, 1), (calibration.Limit, calibration.Sampling, calibration.Seed), "a quarter of 539");
        Assert.AreEqual(calibration.ToSelection(), evaluation.Except);

        // What the run reads: disjoint, together the whole tree, each class its share in the subset.
        using var all = DatasetReader.Open(CompressionTasks.Pipeline.DatasetSources.From(evaluation) with { Except = null }, 1);
        using var calibrated = DatasetReader.Open(CompressionTasks.Pipeline.DatasetSources.From(calibration), 1);
        using var evaluated = DatasetReader.Open(CompressionTasks.Pipeline.DatasetSources.From(evaluation), 1);
        Assert.AreEqual((134, 405), (calibrated.Count, evaluated.Count));
        Assert.IsEmpty(calibrated.Indices.Intersect(evaluated.Indices).ToArray());
        CollectionAssert.AreEqual(all.Indices.ToArray(), calibrated.Indices.Concat(evaluated.Indices).Order().ToArray());
        foreach (var perClass in calibrated.Labels!.GroupBy(l => l))
        {
            var share = all.Labels!.Count(l => l == perClass.Key) * 134.0 / all.Count;
            Assert.IsLessThan(1.0, Math.Abs(perClass.Count() - share), $"class {perClass.Key}");
        }

        StringAssert.Contains(yaml, "    # 134 of 539 samples, a seeded choice stratified by label (each class its share)\n    limit: 134\n    sampling: stratified\n    seed: 1\n");
        StringAssert.Contains(yaml, "    # the same files without the 134 samples images-test-calib selects: 405 samples, none seen by calibration or recovery\n    except: images-test-calib\n");
        StringAssert.Contains(yaml, "calibration: images-test-calib   # the only set, split: calibration fits on 134 of its 539 samples, and `images-test` leaves them out (except), so the gates judge the other 405");
        Assert.IsLessThan(yaml.IndexOf("  images-test-calib:", StringComparison.Ordinal), yaml.IndexOf("  images-test:", StringComparison.Ordinal), "the evaluation set comes first");
        Assert.AreEqual("static", model.Variants[0].Passes[0].DescribeOptions()["mode"]);
    }

    [TestMethod]
    public void CalibrationSubset_Sizes_HalfOfSmallSetsAQuarterOfLargerOnesNoneUnderTen()
    {
        static int? Limit(int count) => CalibrationSubset.Plan(new FoundDataset("s", DatasetFormat.Npy, "s.npy", null, DatasetRole.Evaluation, [4], false, Enumerable.Range(0, count).Select(i => i % 3).ToArray()))?.Limit;

        Assert.AreEqual((null, 5, 20, 32, 32, 32, 250, 256), (Limit(9), Limit(10), Limit(40), Limit(64), Limit(65), Limit(128), Limit(1000), Limit(5000)));
    }

    [TestMethod]
    public void ForFolder_OnlyNineLabelledImages_CalibratesOnAllOfThemAndSaysSo()
    {
        using var workspace = DigitsWorkspace(withData: false);
        CopyImages(workspace, perClass: 1, classes: 9);

        var yaml = ManifestTemplate.ForFolder(workspace.Folder, TestPasses.Catalog, "./compression.schema.json");
        workspace.Manifest(yaml);
        var manifest = ManifestLoader.Load(workspace.ManifestPath, TestPasses.Catalog);

        var model = manifest.Models.Single();
        Assert.AreEqual(("images", "images"), (model.Dataset, model.Calibration));
        Assert.IsNull(manifest.Datasets["images"].Except);
        Assert.DoesNotContain("except:", yaml);
        StringAssert.Contains(yaml, "calibration: images   # the only set, too small to split (9 samples, under 10): calibrating on all of it");
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
        CopyImages(workspace, perClass: 4, classes: 10);

        var yaml = ManifestTemplate.ForFolder(workspace.Folder, TestPasses.Catalog, "./compression.schema.json");
        workspace.Manifest(yaml);
        var manifest = ManifestLoader.Load(workspace.ManifestPath, TestPasses.Catalog);

        // 20 of the 40 calibrate, and the gate judges the other 20: one of 20 is 5 points, so a 1-point gate would fail
        // on any single changed prediction.
        Assert.AreEqual((20, SamplingMode.Stratified), (manifest.Datasets["images-calib"].Limit, manifest.Datasets["images-calib"].Sampling));
        Assert.AreEqual("images-calib", manifest.Datasets["images"].Except?.Dataset);
        Assert.AreEqual(GateMetric.Top1, manifest.Gates.Single().Metric);
        Assert.AreEqual(6.0, manifest.Gates[0].MaxDropPoints);
        StringAssert.Contains(yaml, "# labelled data, 20 samples: one changed prediction moves top-1 by 5 points, so the gate allows one");
    }

    private static void CopyImages(ManifestWorkspace workspace, int perClass, int classes)
    {
        foreach (var classFolder in Directory.GetDirectories(RepositoryFolder.Path("data", "digits", "test")).Order(StringComparer.Ordinal).Take(classes))
        {
            var target = Path.Combine(workspace.Folder, "images", Path.GetFileName(classFolder));
            Directory.CreateDirectory(target);
            foreach (var file in Directory.GetFiles(classFolder).Order(StringComparer.Ordinal).Take(perClass))
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            }
        }
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
