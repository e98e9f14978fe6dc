using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Tests;

/// <summary>
/// The YAML of <see cref="TestObjects.DaemonSetYaml"/> with fields added to its container (indented 8) and then to its
/// pod spec (indented 6), read as hdctl reads a file: decoded, defaulted and validated, every problem with its line.
/// </summary>
internal static class TemplateYaml
{
    /// <summary>The line of the first added field: the container's fields come first, then the pod spec's.</summary>
    public const int FirstLine = 17;

    public const string FileName = "ds.yaml";

    /// <summary>The path of the test container in every validation message.</summary>
    public const string ContainerPath = "spec.template.spec.containers[0]";

    public const string PodSpecPath = "spec.template.spec";

    private const string InvalidPrefix = "The DaemonSet \"x\" is invalid: ";

    public static string Text(string container = "", string pod = "") =>
        TestObjects.DaemonSetYaml(containerExtra: Indent(container, 8) + Indent(pod, 6));

    public static ManifestReadResult Read(string container = "", string pod = "") => ManifestReader.Read(Text(container, pod), FileName);

    /// <summary>Every problem as hdctl prints it: <c>ds.yaml:LINE:COLUMN: message</c>.</summary>
    public static string[] Problems(string container = "", string pod = "") => [.. Read(container, pod).Problems.Select(p => p.ToString())];

    /// <summary>Every problem as Kubernetes words the error (<c>path: Type: detail</c>), without file, line and object.</summary>
    public static string[] Errors(string container = "", string pod = "") =>
        [.. Read(container, pod).Problems.Select(p => p.Message.StartsWith(InvalidPrefix, StringComparison.Ordinal) ? p.Message[InvalidPrefix.Length..] : p.Message)];

    /// <summary>A problem as <see cref="Problems"/> prints a validation error of the test DaemonSet.</summary>
    public static string Invalid(int line, int column, string error) => $"{FileName}:{line}:{column}: The DaemonSet \"x\" is invalid: {error}";

    /// <summary>The pod spec of a manifest that must read without problems, after defaults.</summary>
    public static PodSpec Spec(string container = "", string pod = "")
    {
        var result = Read(container, pod);
        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        return Assert.IsType<DaemonSet>(Assert.Single(result.Objects).Value).Spec.Template.Spec;
    }

    private static string Indent(string text, int spaces)
    {
        if (text.Length == 0)
        {
            return "";
        }

        var prefix = new string(' ', spaces);
        return string.Concat(text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n').Select(line => line.Length == 0 ? "\n" : prefix + line + "\n"));
    }
}
