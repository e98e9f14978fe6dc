using System.Globalization;

namespace HostDaemons.Bench.Infrastructure;

/// <summary>The benchmark's manifests: busybox (a local image), network none, a process that stops at once on SIGTERM.</summary>
internal static class Manifests
{
    public const string Image = "busybox:latest";

    /// <summary>Sleeps until SIGTERM, then exits at once, so stopping a pod never waits out its grace period.</summary>
    public const string Command = "trap 'exit 0' TERM; sleep 86400 & wait";

    public static string DaemonSet(string name, string? nodeSelector = null, string? env = null, string? maxUnavailable = null) =>
        string.Create(CultureInfo.InvariantCulture, $"""
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: {name}
          namespace: default
        spec:
          selector:
            matchLabels:
              app: {name}
        {(maxUnavailable is null ? "" : $"  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxUnavailable: {maxUnavailable}\n")}  template:
            metadata:
              labels:
                app: {name}
            spec:
        {(nodeSelector is null ? "" : $"      nodeSelector:\n        {nodeSelector}\n")}      terminationGracePeriodSeconds: 5
              containers:
              - name: main
                image: {Image}
                command: ["sh", "-c", "{Command}"]
        {(env is null ? "" : $"        env:\n        - name: BENCH_VERSION\n          value: \"{env}\"\n")}
        """);

    public static string StaticPod(string name) =>
        string.Create(CultureInfo.InvariantCulture, $"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {name}
        spec:
          terminationGracePeriodSeconds: 5
          containers:
          - name: main
            image: {Image}
            command: ["sh", "-c", "{Command}"]

        """);

    public static string Secret(string name, int value) =>
        string.Create(CultureInfo.InvariantCulture, $"""
        apiVersion: v1
        kind: Secret
        metadata:
          name: {name}
          namespace: default
        stringData:
          value: "{value}"

        """);
}
