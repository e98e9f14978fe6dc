using System.Text;

namespace HostDaemons.TestUtilities;

/// <summary>
/// The manifests of issue 17: about 130 KB of YAML whose aliases expand one 100 KB string 10,000 times (1 GB), as a
/// static pod and as a DaemonSet. Generated, never committed.
/// </summary>
public static class AliasBombs
{
    public const int StringBytes = 100_000;

    public const int Aliases = 10_000;

    /// <summary>The line of the static pod's <c>args:</c>, the list of aliases.</summary>
    public const int StaticPodAliasLine = 10;

    /// <summary>The line of the DaemonSet's <c>args:</c>.</summary>
    public const int DaemonSetAliasLine = 18;

    public static string StaticPod(string name = "bomb") => Manifest($"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {name}
          annotations:
            payload: &a "{new string('x', StringBytes)}"
        spec:
          containers:
          - name: c
            args: [{Repeat()}]
            image: busybox:1.36
        """);

    public static string DaemonSet(string name = "bomb") => Manifest($"""
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: {name}
          annotations:
            payload: &a "{new string('x', StringBytes)}"
        spec:
          selector:
            matchLabels:
              app: {name}
          template:
            metadata:
              labels:
                app: {name}
            spec:
              containers:
              - name: c
                args: [{Repeat()}]
                image: busybox:1.36
        """);

    private static string Repeat()
    {
        var aliases = new StringBuilder(Aliases * 3);
        for (var i = 0; i < Aliases; i++)
        {
            aliases.Append(i == 0 ? "*a" : ",*a");
        }

        return aliases.ToString();
    }

    private static string Manifest(string text) => text.ReplaceLineEndings("\n") + "\n";
}
