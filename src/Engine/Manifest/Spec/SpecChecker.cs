using System.Globalization;
using CompressionTasks.Diagnostics;
using CompressionTasks.Manifest.Yaml;
using CompressionTasks.Passes;

namespace CompressionTasks.Manifest.Spec;

/// <summary>
/// Checks a YAML tree against the key tables: unknown keys (with a suggestion), value types, ranges, allowed values,
/// required keys, and pass entries against the <see cref="PassCatalog"/>. Reports every problem, never stops at the first.
/// Cross-references (datasets, variants, files) are the binder's job, once the shapes are known to be right.
/// </summary>
internal sealed class SpecChecker(PassCatalog passes, List<Diagnostic> diagnostics)
{
    public void Check(YamlTreeNode node, ValueSpec spec, string path)
    {
        switch (spec)
        {
            case ScalarSpec scalar:
                CheckScalar(node, scalar, path);
                break;
            case ListSpec list:
                if (Expect<YamlTreeSequence>(node, path, "a list") is { } sequence)
                {
                    CheckCount(sequence, list, path);
                    for (var i = 0; i < sequence.Items.Count; i++)
                    {
                        Check(sequence.Items[i], list.Items, $"{path}[{i}]");
                    }
                }

                break;
            case ObjectSpec obj:
                if (Expect<YamlTreeMapping>(node, path, "a mapping") is { } mapping)
                {
                    CheckObject(mapping, obj, path);
                }

                break;
            case MapSpec map:
                if (Expect<YamlTreeMapping>(node, path, "a mapping") is { } named)
                {
                    foreach (var (key, value) in named.Entries)
                    {
                        Check(value, map.Values, $"{path}.{key.Value}");
                    }
                }

                break;
            case OneOfSpec oneOf:
                CheckOneOf(node, oneOf, path);
                break;
            case PassListSpec:
                if (Expect<YamlTreeSequence>(node, path, "a list of passes") is { } passList)
                {
                    for (var i = 0; i < passList.Items.Count; i++)
                    {
                        CheckPass(passList.Items[i], $"{path}[{i}]");
                    }
                }

                break;
            default:
                throw new InvalidOperationException($"No check for {spec.GetType().Name}.");
        }
    }

    private void CheckObject(YamlTreeMapping mapping, ObjectSpec spec, string path)
    {
        var known = spec.Keys.Select(k => k.Name).ToArray();
        foreach (var (key, value) in mapping.Entries)
        {
            var keySpec = spec.Keys.FirstOrDefault(k => k.Name == key.Value);
            if (keySpec is null)
            {
                var hint = NameSuggester.Suggest(key.Value, known) is { } suggestion
                    ? $"did you mean '{suggestion}'?"
                    : $"expected one of: {string.Join(", ", known)}";
                Error(DiagnosticCodes.UnknownKey, key, $"unknown key '{key.Value}' in {Describe(path)}; {hint}");
                continue;
            }

            if (value is YamlTreeScalar { IsNull: true } && !keySpec.Required)
            {
                continue;
            }

            Check(value, keySpec.Value, Join(path, key.Value));
        }

        foreach (var required in spec.Keys.Where(k => k.Required))
        {
            var value = mapping[required.Name];
            if (value is null || value is YamlTreeScalar { IsNull: true })
            {
                var code = ReferenceEquals(spec, ManifestSpec.Root) && required.Name == "version"
                    ? DiagnosticCodes.UnsupportedVersion
                    : DiagnosticCodes.MissingRequiredKey;
                var message = code == DiagnosticCodes.UnsupportedVersion
                    ? $"the manifest has no 'version'; add 'version: {ManifestSpec.CurrentVersion}' as its first line"
                    : $"{Describe(path)} needs '{required.Name}'{RequiredHint(required)}";
                diagnostics.Add(Diagnostic.Error(code, value?.Location ?? mapping.Location, message));
            }
        }
    }

    private void CheckScalar(YamlTreeNode node, ScalarSpec spec, string path)
    {
        if (node is not YamlTreeScalar scalar || scalar.IsNull)
        {
            Error(DiagnosticCodes.WrongType, node, $"'{path}' must be {Article(spec)}, got {node.Describe()}");
            return;
        }

        switch (spec.Kind)
        {
            case ScalarKind.Boolean:
                if (scalar.AsBoolean() is null)
                {
                    Error(DiagnosticCodes.WrongType, node, $"'{path}' must be true or false, got {node.Describe()}{QuoteHint(scalar, s => s.AsBoolean() is not null)}");
                }

                return;
            case ScalarKind.Integer:
                if (scalar.AsInteger() is not { } integer)
                {
                    Error(DiagnosticCodes.WrongType, node, $"'{path}' must be a whole number, got {node.Describe()}{QuoteHint(scalar, s => s.AsInteger() is not null)}");
                    return;
                }

                CheckRange(node, spec, path, integer);
                return;
            case ScalarKind.Number:
                if (scalar.AsNumber() is not { } number)
                {
                    Error(DiagnosticCodes.WrongType, node, $"'{path}' must be a number, got {node.Describe()}{QuoteHint(scalar, s => s.AsNumber() is not null)}");
                    return;
                }

                CheckRange(node, spec, path, number);
                return;
            default:
                if (scalar.Value.Length == 0)
                {
                    Error(DiagnosticCodes.WrongType, node, $"'{path}' must not be empty");
                    return;
                }

                if (spec.AllowedValues.Count > 0 && !spec.AllowedValues.Contains(scalar.Value, StringComparer.Ordinal))
                {
                    Error(DiagnosticCodes.InvalidChoice, node,
                        $"'{path}' must be one of {string.Join(", ", spec.AllowedValues)}, got '{scalar.Value}'{NameSuggester.Hint(scalar.Value, spec.AllowedValues)}");
                }

                return;
        }
    }

    /// <summary>"; remove the quotes" when the quoted text would be right unquoted (<c>version: "1"</c>).</summary>
    private static string QuoteHint(YamlTreeScalar scalar, Func<YamlTreeScalar, bool> wouldParse) =>
        !scalar.IsPlain && wouldParse(new YamlTreeScalar(scalar.Location, scalar.Value, isPlain: true)) ? "; remove the quotes" : string.Empty;

    private void CheckRange(YamlTreeNode node, ScalarSpec spec, string path, double value)
    {
        if (RangeProblem(value, spec.Minimum, spec.Maximum, spec.ExclusiveMinimum, spec.ExclusiveMaximum) is { } problem)
        {
            Error(DiagnosticCodes.ValueOutOfRange, node, $"'{path}' must be {problem}, got {Format(value)}");
        }
    }

    internal static string? RangeProblem(double value, double? min, double? max, bool exclusiveMin, bool exclusiveMax)
    {
        var belowMin = min is { } lo && (exclusiveMin ? value <= lo : value < lo);
        var aboveMax = max is { } hi && (exclusiveMax ? value >= hi : value > hi);
        if (!double.IsFinite(value) || belowMin || aboveMax)
        {
            var lower = min is { } a ? (exclusiveMin ? $"greater than {Format(a)}" : $"at least {Format(a)}") : null;
            var upper = max is { } b ? (exclusiveMax ? $"less than {Format(b)}" : $"at most {Format(b)}") : null;
            return (lower, upper) switch
            {
                (null, null) => "a finite number",
                (not null, null) => lower,
                (null, not null) => upper,
                _ => $"{lower} and {upper}",
            };
        }

        return null;
    }

    private void CheckCount(YamlTreeSequence sequence, ListSpec spec, string path)
    {
        var count = sequence.Items.Count;
        if (spec.MinItems is { } min && spec.MinItems == spec.MaxItems && count != min)
        {
            Error(DiagnosticCodes.ValueOutOfRange, sequence, $"'{path}' must have exactly {min} items, got {count}");
        }
        else if (spec.MinItems is { } lo && count < lo)
        {
            Error(DiagnosticCodes.ValueOutOfRange, sequence, $"'{path}' must have at least {lo} item{(lo == 1 ? "" : "s")}, got {count}");
        }
        else if (spec.MaxItems is { } hi && count > hi)
        {
            Error(DiagnosticCodes.ValueOutOfRange, sequence, $"'{path}' must have at most {hi} items, got {count}");
        }
    }

    private void CheckOneOf(YamlTreeNode node, OneOfSpec spec, string path)
    {
        var match = spec.Alternatives.FirstOrDefault(a => node switch
        {
            YamlTreeSequence => a is ListSpec,
            YamlTreeMapping => a is ObjectSpec or MapSpec,
            _ => a is ScalarSpec,
        });
        if (match is null)
        {
            Error(DiagnosticCodes.WrongType, node, $"'{path}' must be {spec.TypeName}, got {node.Describe()}");
            return;
        }

        Check(node, match, path);
    }

    private void CheckPass(YamlTreeNode entry, string path)
    {
        YamlTreeScalar nameNode;
        YamlTreeNode? value = null;
        switch (entry)
        {
            case YamlTreeScalar { IsNull: false } bare:
                nameNode = bare;
                break;
            case YamlTreeMapping { Entries.Count: 1 } single:
                nameNode = single.Entries[0].Key;
                value = single.Entries[0].Value;
                break;
            case YamlTreeMapping { Entries.Count: > 1 } several:
                Error(DiagnosticCodes.InvalidPassEntry, several.Entries[1].Key,
                    $"'{path}' names more than one pass ('{several.Entries[0].Key.Value}', '{several.Entries[1].Key.Value}'); write one list entry per pass");
                return;
            default:
                Error(DiagnosticCodes.InvalidPassEntry, entry,
                    $"'{path}' must name a pass, as '{{ quantize: {{ mode: static }} }}', '{{ convert: fp16 }}' or a bare pass name; got {entry.Describe()}");
                return;
        }

        if (!passes.TryGet(nameNode.Value, out var descriptor))
        {
            var known = passes.Names.ToArray();
            var hint = NameSuggester.Suggest(nameNode.Value, known) is { } suggestion
                ? $"did you mean '{suggestion}'?"
                : known.Length == 0 ? "no passes are available" : $"known passes: {string.Join(", ", known)}";
            Error(DiagnosticCodes.UnknownPass, nameNode, $"unknown pass '{nameNode.Value}' in '{path}'; {hint}");
            return;
        }

        var given = new HashSet<string>(StringComparer.Ordinal);
        switch (value)
        {
            case null or YamlTreeScalar { IsNull: true }:
                break;
            case YamlTreeScalar scalar when descriptor.ScalarOption is { } optionName:
                given.Add(optionName);
                if (descriptor.FindOption(optionName) is { } scalarOption)
                {
                    CheckPassOption(scalar, scalarOption, descriptor, path);
                }

                break;
            case YamlTreeMapping options:
                foreach (var (key, optionValue) in options.Entries)
                {
                    given.Add(key.Value);
                    if (descriptor.FindOption(key.Value) is not { } option)
                    {
                        var names = descriptor.Options.Select(o => o.Name).ToArray();
                        var hint = NameSuggester.Suggest(key.Value, names) is { } suggestion
                            ? $"did you mean '{suggestion}'?"
                            : names.Length == 0 ? "it takes no options" : $"its options: {string.Join(", ", names)}";
                        Error(DiagnosticCodes.UnknownPassOption, key, $"pass '{descriptor.Name}' has no option '{key.Value}'; {hint}");
                        continue;
                    }

                    CheckPassOption(optionValue, option, descriptor, path);
                }

                break;
            default:
                var form = descriptor.ScalarOption is null
                    ? $"options as a mapping, e.g. '{{ {descriptor.Name}: {{ {descriptor.Options.FirstOrDefault()?.Name ?? "option"}: ... }} }}'"
                    : $"a value for '{descriptor.ScalarOption}' or options as a mapping";
                Error(DiagnosticCodes.InvalidPassEntry, value, $"pass '{descriptor.Name}' takes {form}; got {value.Describe()}");
                return;
        }

        foreach (var missing in descriptor.Options.Where(o => o.Required && !given.Contains(o.Name)))
        {
            Error(DiagnosticCodes.MissingPassOption, nameNode,
                $"pass '{descriptor.Name}' needs option '{missing.Name}'" +
                (missing.AllowedValues.Count > 0 ? $": one of {string.Join(", ", missing.AllowedValues)}" : $" ({missing.Description.TrimEnd('.')})"));
        }
    }

    private void CheckPassOption(YamlTreeNode node, PassOptionSpec option, PassDescriptor pass, string path)
    {
        foreach (var (at, eachItem, problem) in PassOptionProblems(node, option))
        {
            Error(DiagnosticCodes.InvalidPassOption, at, eachItem
                ? $"'{path}': each item of {pass.Name} option '{option.Name}' {problem}"
                : $"'{path}': {pass.Name} option '{option.Name}' {problem}");
        }
    }

    /// <summary>Whether <see cref="CheckPassOption"/> reports a problem with this value (the binder then leaves the option at its default).</summary>
    internal static bool HasPassOptionProblem(YamlTreeNode node, PassOptionSpec option) => PassOptionProblems(node, option).Any();

    /// <summary>Each problem of an option's value: where it is, whether it is one item of a list, and what is wrong.</summary>
    private static IEnumerable<(YamlTreeNode At, bool EachItem, string Problem)> PassOptionProblems(YamlTreeNode node, PassOptionSpec option)
    {
        ArgumentNullException.ThrowIfNull(option);
        if (option.Kind is PassOptionKind.StringList or PassOptionKind.NumberList)
        {
            if (node is not YamlTreeSequence list)
            {
                yield return (node, false, $"must be a list, got {node.Describe()}");
                yield break;
            }

            var itemOption = option with { Kind = option.Kind == PassOptionKind.StringList ? PassOptionKind.String : PassOptionKind.Number };
            foreach (var item in list.Items)
            {
                if (PassOptionProblem(item, itemOption) is { } itemProblem)
                {
                    yield return (item, true, itemProblem);
                }
            }

            yield break;
        }

        if (PassOptionProblem(node, option) is { } problem)
        {
            var hint = option.Kind == PassOptionKind.Choice && node is YamlTreeScalar s ? NameSuggester.Hint(s.Value, option.AllowedValues) : string.Empty;
            yield return (node, false, problem + hint);
        }
    }

    private static string? PassOptionProblem(YamlTreeNode node, PassOptionSpec option)
    {
        if (node is not YamlTreeScalar scalar || scalar.IsNull)
        {
            return $"must be {KindName(option.Kind)}, got {node.Describe()}";
        }

        double? number;
        switch (option.Kind)
        {
            case PassOptionKind.Boolean:
                return scalar.AsBoolean() is null ? $"must be true or false, got {node.Describe()}" : null;
            case PassOptionKind.Integer:
                number = scalar.AsInteger();
                if (number is null)
                {
                    return $"must be a whole number, got {node.Describe()}";
                }

                break;
            case PassOptionKind.Number:
                number = scalar.AsNumber();
                if (number is null)
                {
                    return $"must be a number, got {node.Describe()}";
                }

                break;
            case PassOptionKind.Choice:
                return option.AllowedValues.Contains(scalar.Value, StringComparer.Ordinal)
                    ? null
                    : $"must be one of {string.Join(", ", option.AllowedValues)}, got '{scalar.Value}'";
            default:
                return scalar.Value.Length == 0 ? "must not be empty" : null;
        }

        return RangeProblem(number.Value, option.Minimum, option.Maximum, exclusiveMin: false, exclusiveMax: false) is { } range
            ? $"must be {range}, got {Format(number.Value)}"
            : null;
    }

    private static string KindName(PassOptionKind kind) => kind switch
    {
        PassOptionKind.Boolean => "true or false",
        PassOptionKind.Integer => "a whole number",
        PassOptionKind.Number => "a number",
        _ => "a string",
    };

    private T? Expect<T>(YamlTreeNode node, string path, string what)
        where T : YamlTreeNode
    {
        if (node is T typed)
        {
            return typed;
        }

        Error(DiagnosticCodes.WrongType, node, $"'{path}' must be {what}, got {node.Describe()}");
        return null;
    }

    private static string RequiredHint(KeySpec key) => key.Value switch
    {
        ScalarSpec { AllowedValues.Count: > 0 } choice => $": one of {string.Join(", ", choice.AllowedValues)}",
        _ when key.Example is { } example => $", e.g. '{key.Name}: {example}'",
        _ => string.Empty,
    };

    private static string Article(ScalarSpec spec) => spec.AllowedValues.Count > 0
        ? $"one of {string.Join(", ", spec.AllowedValues)}"
        : spec.Kind switch
        {
            ScalarKind.Integer => "a whole number",
            ScalarKind.Number => "a number",
            ScalarKind.Boolean => "true or false",
            ScalarKind.Path => "a path",
            ScalarKind.Reference => "a name",
            _ => "a string",
        };

    private static string Describe(string path) => path.Length == 0 ? "the manifest" : $"'{path}'";

    internal static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    internal static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private void Error(DiagnosticCode code, YamlTreeNode node, string message) =>
        diagnostics.Add(Diagnostic.Error(code, node.Location, message));
}
