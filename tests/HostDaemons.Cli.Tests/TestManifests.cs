namespace HostDaemons.Cli.Tests;

/// <summary>Manifests the command tests read from files.</summary>
internal static class TestManifests
{
    /// <summary>The smallest valid DaemonSet: <c>x</c>, one busybox container.</summary>
    public const string DaemonSet = """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: x
        spec:
          selector:
            matchLabels: {app: x}
          template:
            metadata:
              labels: {app: x}
            spec:
              containers:
              - name: main
                image: busybox
        """;
}
