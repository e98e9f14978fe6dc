using HostDaemons.Model.Objects;
using HostDaemons.Model.Serialization;
using HostDaemons.Model.Validation;

namespace HostDaemons.Model.Tests;

/// <summary>Objects of any kind written as YAML, decoded as hdctl decodes them, then defaulted and validated as the control plane does.</summary>
internal static class KindYaml
{
    /// <summary>The one object of <paramref name="yaml"/>, decoded (not defaulted): decoding problems fail the test.</summary>
    public static IKubeObject Decode(string yaml)
    {
        var read = ManifestReader.Read(yaml, "test.yaml", validate: false);
        Assert.True(read.Succeeded, string.Join("\n", read.Problems));
        return Assert.Single(read.Objects).Value;
    }

    /// <summary>The object of <paramref name="yaml"/>, defaulted.</summary>
    public static T Defaulted<T>(string yaml)
        where T : class, IKubeObject
    {
        var value = Decode(yaml);
        ObjectValidator.ApplyDefaults(value);
        return Assert.IsType<T>(value, exactMatch: false);
    }

    /// <summary>Every validation error of the defaulted object, as Kubernetes words it: <c>path: Type: detail</c>.</summary>
    public static string[] Errors(string yaml) => [.. ObjectValidator.Validate(Defaulted<IKubeObject>(yaml)).Select(e => e.ToString())];

    /// <summary>The update rules' errors for <paramref name="updated"/> over <paramref name="existing"/>, both defaulted.</summary>
    public static string[] UpdateErrors(string existing, string updated) =>
        [.. ObjectValidator.ValidateUpdate(Defaulted<IKubeObject>(updated), Defaulted<IKubeObject>(existing)).Select(e => e.ToString())];
}
