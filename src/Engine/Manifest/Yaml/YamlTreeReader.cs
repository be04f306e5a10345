using System.Text;
using CompressionTasks.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace CompressionTasks.Manifest.Yaml;

/// <summary>
/// Reads a manifest's bytes into a <see cref="YamlTreeNode"/> tree with every node's position, turning each kind of
/// hostile or broken input into a CMP1xxx diagnostic: oversized files, bytes that are not UTF-8, tabs in indentation,
/// syntax errors, anchors and aliases (no alias expansion, so no "billion laughs"), explicit tags (no type is ever
/// instantiated from the document), several documents, and duplicate keys.
/// </summary>
internal static class YamlTreeReader
{
    /// <summary>A manifest is a hand-written file; anything larger is a mistake (or an attack), rejected before parsing.</summary>
    public const long MaxSizeBytes = 1024 * 1024;

    /// <summary>Real manifests nest about six levels; the cap keeps a crafted document from exhausting the stack.</summary>
    public const int MaxDepth = 64;

    public static YamlTreeNode? Read(string displayPath, byte[] bytes, List<Diagnostic> diagnostics)
    {
        if (bytes.LongLength > MaxSizeBytes)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.ManifestTooLarge, SourceLocation.InFile(displayPath),
                $"the manifest is {bytes.LongLength:N0} bytes; the limit is {MaxSizeBytes:N0} bytes (1 MiB)"));
            return null;
        }

        if (!TryDecode(displayPath, bytes, diagnostics, out var text))
        {
            return null;
        }

        if (FindTabIndentation(displayPath, text) is { } tab)
        {
            diagnostics.Add(tab);
            return null;
        }

        var parser = new Parser(new StringReader(text));
        try
        {
            return Parse(displayPath, parser, diagnostics);
        }
        catch (InvalidOperationException ex) when (ex.Source == typeof(Parser).Assembly.GetName().Name)
        {
            // YamlDotNet's scanner throws this instead of a YamlException on some malformed flow collections (a plain
            // scalar cut by a key inside `[ { ... } ]`); it is still a syntax error, placed at the last node read.
            var mark = parser.Current?.Start ?? Mark.Empty;
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.YamlSyntaxError, SourceLocation.At(displayPath, Math.Max(1, (int)mark.Line), Math.Max(1, (int)mark.Column)),
                "malformed flow collection ('[ ]' or '{ }') after this point: check brackets, commas and colons"));
            return null;
        }
        catch (YamlException ex)
        {
            var message = ex.Message;

            // YamlDotNet prefixes its own "(Line: 3, Col: 5, ...)"; the canonical origin already says where.
            var close = message.IndexOf("): ", StringComparison.Ordinal);
            if (message.StartsWith("(Line:", StringComparison.Ordinal) && close > 0)
            {
                message = message[(close + 3)..];
            }

            message = message.Trim().TrimEnd('.');
            if (message.Length > 0)
            {
                message = char.ToLowerInvariant(message[0]) + message[1..];
            }

            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.YamlSyntaxError, At(displayPath, ex.Start), message));
            return null;
        }
    }

    public static SourceLocation At(string file, Mark mark) => SourceLocation.At(file, (int)mark.Line, (int)mark.Column);

    private static bool TryDecode(string displayPath, byte[] bytes, List<Diagnostic> diagnostics, out string text)
    {
        ReadOnlySpan<byte> span = bytes;
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            span = span[3..];
        }

        int line = 1, column = 1;
        var rest = span;
        while (!rest.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(rest, out var rune, out var consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                var offset = span.Length - rest.Length + (bytes.Length - span.Length);
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.ManifestNotUtf8, SourceLocation.At(displayPath, line, column),
                    $"byte 0x{rest[0]:X2} at offset {offset} is not valid UTF-8; save the manifest as UTF-8"));
                text = string.Empty;
                return false;
            }

            if (rune.Value == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }

            rest = rest[consumed..];
        }

        text = Encoding.UTF8.GetString(span);
        return true;
    }

    /// <summary>YAML forbids tabs for indentation; the parser's own message for them is obscure, so say it plainly.</summary>
    private static Diagnostic? FindTabIndentation(string displayPath, string text)
    {
        var line = 1;
        var atLineStart = true;
        var column = 1;
        foreach (var c in text)
        {
            if (c == '\n')
            {
                line++;
                column = 1;
                atLineStart = true;
                continue;
            }

            if (atLineStart && c == '\t')
            {
                return Diagnostic.Error(DiagnosticCodes.TabIndentation, SourceLocation.At(displayPath, line, column),
                    "tab character in indentation; YAML indents with spaces only");
            }

            if (c != ' ' && c != '-' && c != '\r')
            {
                atLineStart = false;
            }

            column++;
        }

        return null;
    }

    private static YamlTreeNode? Parse(string displayPath, Parser parser, List<Diagnostic> diagnostics)
    {
        parser.Consume<StreamStart>();
        if (parser.Accept<StreamEnd>(out _))
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.ManifestEmpty, SourceLocation.At(displayPath, 1, 1),
                "the manifest is empty; start it with 'version: 1' (run 'dotnet compress init' for a starter)"));
            return null;
        }

        parser.Consume<DocumentStart>();
        var root = ReadNode(displayPath, parser, diagnostics, 0);
        parser.Consume<DocumentEnd>();
        if (parser.Accept<DocumentStart>(out var second))
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.MultipleDocuments, At(displayPath, second.Start),
                "the manifest holds more than one YAML document ('---'); keep a single document"));
            return null;
        }

        if (root is YamlTreeScalar { IsNull: true })
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.ManifestEmpty, SourceLocation.At(displayPath, 1, 1),
                "the manifest has no content; start it with 'version: 1' (run 'dotnet compress init' for a starter)"));
            return null;
        }

        return root;
    }

    private static string ShowTag(string tag) =>
        tag.StartsWith("tag:yaml.org,2002:", StringComparison.Ordinal) ? "!!" + tag["tag:yaml.org,2002:".Length..] : tag;

    private static YamlTreeNode ReadNode(string file, IParser parser, List<Diagnostic> diagnostics, int depth)
    {
        var current = parser.Current ?? throw new YamlException("unexpected end of the document");
        var location = At(file, current.Start);
        if (depth > MaxDepth)
        {
            throw new YamlException(current.Start, current.End, $"nesting deeper than {MaxDepth} levels");
        }

        if (current is AnchorAlias alias)
        {
            // Aliases are refused, not expanded: expansion is what exponential "billion laughs" documents exploit.
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.AnchorOrAlias, location,
                $"alias '*{alias.Value}' is not supported; write the value out in full"));
            parser.MoveNext();
            return new YamlTreeScalar(location, string.Empty, isPlain: true);
        }

        if (current is NodeEvent node)
        {
            if (!node.Anchor.IsEmpty)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.AnchorOrAlias, location,
                    $"anchor '&{node.Anchor}' is not supported; write each value out in full"));
            }

            if (!node.Tag.IsEmpty)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.ExplicitTag, location,
                    $"explicit tag '{ShowTag(node.Tag.Value)}' is not supported; remove it (values are typed by their key)"));
            }
        }

        switch (current)
        {
            case Scalar scalar:
                parser.MoveNext();
                return new YamlTreeScalar(location, scalar.Value, scalar.Style is ScalarStyle.Plain or ScalarStyle.Any);
            case SequenceStart:
            {
                parser.MoveNext();
                var sequence = new YamlTreeSequence(location);
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    sequence.Items.Add(ReadNode(file, parser, diagnostics, depth + 1));
                }

                return sequence;
            }

            case MappingStart:
            {
                parser.MoveNext();
                var mapping = new YamlTreeMapping(location);
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var key = ReadNode(file, parser, diagnostics, depth + 1);
                    var value = ReadNode(file, parser, diagnostics, depth + 1);
                    if (key is not YamlTreeScalar scalarKey)
                    {
                        diagnostics.Add(Diagnostic.Error(DiagnosticCodes.WrongType, key.Location,
                            $"a key must be a plain name, got {key.Describe()}"));
                        continue;
                    }

                    if (mapping.KeyNode(scalarKey.Value) is { } first)
                    {
                        diagnostics.Add(Diagnostic.Error(DiagnosticCodes.DuplicateKey, scalarKey.Location,
                            $"key '{scalarKey.Value}' appears twice in this mapping (first at line {first.Location.Line})"));
                        continue;
                    }

                    mapping.Add(scalarKey, value);
                }

                return mapping;
            }

            default:
                throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
        }
    }
}
