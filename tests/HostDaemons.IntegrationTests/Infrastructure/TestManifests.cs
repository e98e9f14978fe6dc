namespace HostDaemons.IntegrationTests.Infrastructure;

/// <summary>The manifests and names scenario tests share.</summary>
public static class TestManifests
{
    /// <summary>A shell that idles until SIGTERM and then exits at once, so a pod stops without waiting out its grace.</summary>
    public const string SleepUntilTerm = "trap 'exit 0' TERM; while true; do sleep 1 & wait $!; done";

    /// <summary>
    /// A DaemonSet of one busybox container selected by <c>app: NAME</c>; <paramref name="labels"/> (<c>k: v, ...</c>)
    /// go on the DaemonSet and its pods, <paramref name="nodeSelector"/> (<c>{k: v}</c>) and <paramref name="podSpec"/>
    /// (YAML lines, unindented) in the pod spec.
    /// </summary>
    public static string Daemon(string name, string labels = "", string nodeSelector = "", string command = SleepUntilTerm, int gracePeriod = 5, string podSpec = "")
    {
        var allLabels = labels.Length == 0 ? $"app: {name}" : $"app: {name}, {labels}";
        var selectorLine = (nodeSelector.Length == 0 ? "" : $"\n      nodeSelector: {nodeSelector}")
            + string.Concat(podSpec.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => "\n      " + line));
        return $$"""
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: {{name}}
              labels: {{{allLabels}}}
            spec:
              selector:
                matchLabels: {app: {{name}}}
              template:
                metadata:
                  labels: {{{allLabels}}}
                spec:{{selectorLine}}
                  terminationGracePeriodSeconds: {{gracePeriod}}
                  containers:
                  - name: main
                    image: busybox:latest
                    command: ["/bin/sh", "-c", "{{command}}"]
            """;
    }

    /// <summary>A DaemonSet selected by <c>app: NAME</c> whose pod spec is <paramref name="podSpec"/> (YAML lines, unindented).</summary>
    public static string DaemonWithPodSpec(string name, string podSpec)
    {
        var spec = string.Concat(podSpec.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => "\n      " + line));
        return $$$"""
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: {{{name}}}}
            spec:
              selector: {matchLabels: {app: {{{name}}}}}
              template:
                metadata: {labels: {app: {{{name}}}}}
                spec:{{{spec}}}
            """;
    }

    /// <summary>A static pod manifest (v1 Pod, label <c>app: NAME</c>) of one container that idles until SIGTERM; <paramref name="comment"/> goes first.</summary>
    public static string StaticPod(string name, string image = "busybox:latest", string comment = "", string command = SleepUntilTerm) => $$"""
        {{comment}}apiVersion: v1
        kind: Pod
        metadata:
          name: {{name}}
          labels: {app: {{name}}}
        spec:
          terminationGracePeriodSeconds: 5
          containers:
          - name: main
            image: {{image}}
            command: ["/bin/sh", "-c", "{{command}}"]
        """;

    /// <summary>Node names unique to one test run, so tests sharing the engine never see each other's containers.</summary>
    public static string[] Nodes(string test, int count = 3)
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        return [.. Enumerable.Range(0, count).Select(i => $"{test}-{(char)('a' + i)}-{suffix}")];
    }
}
