using System.Globalization;
using System.Text;
using System.Xml;

namespace CompressionTasks.Reports;

/// <summary>
/// Gate verdicts as JUnit XML, the format CI servers show as test results: one <c>testsuite</c> per model, one
/// <c>testcase</c> per gate (<c>classname</c> = <c>model.variant</c>, <c>name</c> = the gate). No timestamps or
/// durations, so the same report renders to the same bytes.
/// </summary>
public static class JUnitReport
{
    public static string Render(CompressionReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var settings = new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\n",
            NewLineHandling = NewLineHandling.Entitize,
        };
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, settings))
        {
            var all = report.Models.SelectMany(m => m.Variants).SelectMany(v => v.Gates ?? []).ToList();
            xml.WriteStartDocument();
            xml.WriteStartElement("testsuites");
            xml.WriteAttributeString("name", "compression");
            WriteCounts(xml, all);
            foreach (var model in report.Models)
            {
                WriteSuite(xml, model);
            }

            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteSuite(XmlWriter xml, ModelReport model)
    {
        var gates = model.Variants.SelectMany(v => (v.Gates ?? []).Select(g => (Variant: v, Gate: g))).ToList();
        xml.WriteStartElement("testsuite");
        xml.WriteAttributeString("name", Clean(model.Name));
        WriteCounts(xml, gates.Select(g => g.Gate).ToList());
        foreach (var (variant, gate) in gates)
        {
            xml.WriteStartElement("testcase");
            xml.WriteAttributeString("classname", Clean($"{model.Name}.{variant.Name}"));
            xml.WriteAttributeString("name", Clean(gate.Name));
            switch (gate.Outcome())
            {
                case GateOutcome.Failed:
                    xml.WriteStartElement("failure");
                    xml.WriteAttributeString("message", Clean(gate.Summary()));
                    xml.WriteAttributeString("type", Clean(gate.Code ?? "gate"));
                    if (gate.Detail is { Length: > 0 } detail)
                    {
                        xml.WriteString(Clean(detail));
                    }

                    xml.WriteEndElement();
                    break;
                case GateOutcome.Skipped:
                    xml.WriteStartElement("skipped");
                    xml.WriteAttributeString("message", Clean(gate.Detail![GateOutcomes.SkippedPrefix.Length..]));
                    xml.WriteEndElement();
                    break;
                default:
                    if (gate.Detail is { Length: > 0 } passedDetail)
                    {
                        xml.WriteElementString("system-out", Clean(passedDetail));
                    }

                    break;
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    private static void WriteCounts(XmlWriter xml, IReadOnlyList<GateReport> gates)
    {
        xml.WriteAttributeString("tests", gates.Count.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("failures", gates.Count(g => g.Outcome() == GateOutcome.Failed).ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("errors", "0");
        xml.WriteAttributeString("skipped", gates.Count(g => g.Outcome() == GateOutcome.Skipped).ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>XML 1.0 cannot carry most control characters, even escaped; names are user input, so replace them.</summary>
    private static string Clean(string text)
    {
        if (text.All(XmlConvert.IsXmlChar))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
            {
                sb.Append(text, i, 2);
                i++;
            }
            else
            {
                sb.Append(XmlConvert.IsXmlChar(text[i]) ? text[i] : '\uFFFD');
            }
        }

        return sb.ToString();
    }
}
