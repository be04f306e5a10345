using System.Collections.Concurrent;
using System.Reflection;

namespace CompressionTasks.Manifest;

/// <summary>
/// The manifest vocabulary of an enumeration: each member's <see cref="ManifestNameAttribute"/> spelling, in
/// declaration order. A member without the attribute is not part of the vocabulary (an internal state).
/// </summary>
public static class ManifestNames
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<(string Name, object Value)>> Tables = new();

    /// <summary>Every (spelling, member) pair of <paramref name="enumType"/>, in declaration order.</summary>
    public static IReadOnlyList<(string Name, object Value)> Of(Type enumType)
    {
        ArgumentNullException.ThrowIfNull(enumType);
        return Tables.GetOrAdd(enumType, static type =>
        {
            if (!type.IsEnum)
            {
                throw new ArgumentException($"{type.Name} is not an enumeration", nameof(enumType));
            }

            var entries = type.GetFields(BindingFlags.Public | BindingFlags.Static)
                .OrderBy(f => f.MetadataToken)
                .Select(f => (Attribute: f.GetCustomAttribute<ManifestNameAttribute>(), Value: f.GetValue(null)!))
                .Where(e => e.Attribute is not null)
                .Select(e => (e.Attribute!.Name, e.Value))
                .ToArray();
            if (entries.Length == 0)
            {
                throw new InvalidOperationException($"enumeration {type.Name} has no [ManifestName] members");
            }

            return entries;
        });
    }

    /// <summary>The manifest spelling of <paramref name="value"/>.</summary>
    public static string Name<T>(T value)
        where T : struct, Enum => NameOf(value);

    /// <summary>The manifest spelling of a boxed enumeration value.</summary>
    public static string NameOf(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        foreach (var (name, member) in Of(value.GetType()))
        {
            if (member.Equals(value))
            {
                return name;
            }
        }

        throw new ArgumentException($"{value.GetType().Name}.{value} has no manifest spelling", nameof(value));
    }

    /// <summary>The member spelled <paramref name="name"/> (exactly), or null.</summary>
    public static object? Parse(Type enumType, string name)
    {
        foreach (var (spelling, member) in Of(enumType))
        {
            if (string.Equals(spelling, name, StringComparison.Ordinal))
            {
                return member;
            }
        }

        return null;
    }

    /// <summary>The member spelled <paramref name="name"/> (exactly), or null.</summary>
    public static T? Parse<T>(string name)
        where T : struct, Enum => Parse(typeof(T), name) is T value ? value : null;

    public static IReadOnlyList<string> Spellings(Type enumType) => Of(enumType).Select(e => e.Name).ToArray();
}
